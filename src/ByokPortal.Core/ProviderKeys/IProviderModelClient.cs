using ByokPortal.Core.Common;

namespace ByokPortal.Core.ProviderKeys;

/// <summary>Where to reach a provider: its kind and the key's saved address and settings. Never the credential.</summary>
public sealed record ProviderEndpoint(ProviderKind Provider, StoredConnection Connection)
{
    /// <summary>A provider whose address is its base URL (and Azure's api-version), with no other settings.</summary>
    public ProviderEndpoint(ProviderKind provider, string baseUrl, string? apiVersion)
        : this(provider, new StoredConnection(baseUrl, apiVersion, null))
    {
    }
}

/// <summary>One check of a model-list call: which (a region for AWS Bedrock, else none), whether it passed, and why not.</summary>
public sealed record ModelCheck(string? Region, ProviderFailureReason? Failure, string Message, int ModelCount)
{
    public bool Passed => Failure is null;
}

/// <summary>The models the provider lists for a credential, and the check behind each part of the list.</summary>
public sealed record ModelListing(IReadOnlyList<string> Models, IReadOnlyList<ModelCheck> Checks);

/// <summary>
/// Calls an LLM provider's model-list endpoint with a credential (PRODUCT.md, "Providers and credentials"): "Fetch new models" and
/// "Test credentials" both use it. Failures come back as <see cref="ProviderCallError"/> saying why (per region where a provider has
/// several), never echoing the credential.
/// </summary>
public interface IProviderModelClient
{
    Task<Result<ModelListing>> ListModelsAsync(ProviderEndpoint endpoint, string? credential, CancellationToken cancellationToken);
}
