using ByokPortal.Core.ProviderKeys;

namespace ByokPortal.Providers.Adapters;

/// <summary>Google AI Studio through its OpenAI-compatible endpoint, <c>{base}/v1beta/openai</c>, with a Bearer key.</summary>
public sealed class GoogleAIStudioAdapter() : OpenAICompatibleAdapter(ProviderKind.GoogleAIStudio)
{
    protected override string OpenAIBase(ProviderConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return connection.BaseUrl.TrimEnd('/') + "/v1beta/openai";
    }
}
