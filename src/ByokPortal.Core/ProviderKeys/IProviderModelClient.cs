using ByokPortal.Core.Common;

namespace ByokPortal.Core.ProviderKeys;

/// <summary>Where to reach a provider: its kind, base/resource/deployment URL and (Azure) api-version. Never the credential.</summary>
public sealed record ProviderEndpoint(ProviderKind Provider, string BaseUrl, string? ApiVersion);

/// <summary>
/// Calls an LLM provider's model-list endpoint with a credential (PRODUCT.md, "Providers and credentials"): "Fetch new models" and
/// "Test credentials" both use it. Failures come back as <see cref="ProviderCallError"/> saying why, never echoing the credential.
/// </summary>
public interface IProviderModelClient
{
    Task<Result<IReadOnlyList<string>>> ListModelsAsync(ProviderEndpoint endpoint, string? credential, CancellationToken cancellationToken);
}
