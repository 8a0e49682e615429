using System.Collections.Frozen;
using ByokPortal.Core.ProviderKeys;

namespace ByokPortal.Providers.Adapters;

/// <summary>The adapter of each provider kind the runtime serves.</summary>
public static class ProviderAdapters
{
    private static readonly FrozenDictionary<ProviderKind, IProviderAdapter> ByKind = new IProviderAdapter[]
    {
        new OpenAICompatibleAdapter(ProviderKind.OpenAI),
        new AzureOpenAIAdapter(),
        new MicrosoftFoundryAdapter(),
        new AnthropicAdapter(),
        new GoogleAIStudioAdapter(),
        new OpenAICompatibleAdapter(ProviderKind.Mistral),
        new OpenAICompatibleAdapter(ProviderKind.XAI),
        new OpenAICompatibleAdapter(ProviderKind.DeepSeek),
        new OpenAICompatibleAdapter(ProviderKind.ZAI),
        new OpenAICompatibleAdapter(ProviderKind.Minimax),
        new OpenAICompatibleAdapter(ProviderKind.Ollama),
        new OpenAICompatibleAdapter(ProviderKind.OpenAICompatible),
    }.ToFrozenDictionary(a => a.Kind);

    /// <summary>The adapter of <paramref name="kind"/>, or null for a provider the runtime cannot serve yet.</summary>
    public static IProviderAdapter? Find(ProviderKind kind) => ByKind.GetValueOrDefault(kind);
}
