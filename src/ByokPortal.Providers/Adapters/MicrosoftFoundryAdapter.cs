using ByokPortal.Core.ProviderKeys;

namespace ByokPortal.Providers.Adapters;

/// <summary>Microsoft Foundry: OpenAI's API at the deployment URL, with header <c>api-key</c> (one key per deployment URL).</summary>
public sealed class MicrosoftFoundryAdapter() : OpenAICompatibleAdapter(ProviderKind.MicrosoftFoundry)
{
    public override void Authenticate(HttpRequestMessage request, string? credential)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Headers.TryAddWithoutValidation("api-key", credential);
    }
}
