using ByokPortal.Core.Common;
using ByokPortal.Core.ProviderKeys;

namespace ByokPortal.Providers.Tests;

public static class ModelListings
{
    /// <summary>A model listing as the list of model IDs it holds (or its error).</summary>
    public static async Task<Result<IReadOnlyList<string>>> ModelsAsync(this Task<Result<ModelListing>> listing)
    {
        ArgumentNullException.ThrowIfNull(listing);
        var result = await listing;
        return result.IsSuccess ? Result.Success(result.Value.Models) : result.Error!;
    }
}
