using System.Collections.Frozen;
using System.ComponentModel.DataAnnotations;
using System.Reflection;

namespace ByokPortal.Core.ProviderKeys;

/// <summary>The providers ByokPortal supports. Each has one adapter (ByokPortal.Providers) that owns everything else about it.</summary>
public enum ProviderKind
{
    [Display(Name = "OpenAI")]
    OpenAI,

    [Display(Name = "Azure OpenAI")]
    AzureOpenAI,

    [Display(Name = "Microsoft Foundry")]
    MicrosoftFoundry,

    [Display(Name = "Anthropic")]
    Anthropic,

    [Display(Name = "Google AI Studio")]
    GoogleAIStudio,

    [Display(Name = "Google Vertex AI")]
    GoogleVertexAI,

    [Display(Name = "Mistral AI")]
    Mistral,

    [Display(Name = "xAI")]
    XAI,

    [Display(Name = "DeepSeek")]
    DeepSeek,

    [Display(Name = "Z.AI")]
    ZAI,

    [Display(Name = "Minimax")]
    Minimax,

    [Display(Name = "AWS Bedrock")]
    AwsBedrock,

    [Display(Name = "Ollama")]
    Ollama,

    [Display(Name = "OpenAI-compatible")]
    OpenAICompatible,
}

public static class ProviderKindNames
{
    private static readonly FrozenDictionary<ProviderKind, string> Names = Enum.GetValues<ProviderKind>().ToFrozenDictionary(
        kind => kind,
        kind => typeof(ProviderKind).GetField(kind.ToString())!.GetCustomAttribute<DisplayAttribute>()?.Name ?? kind.ToString());

    /// <summary>The provider's name as people know it ("Azure OpenAI"); the enum's name for a value no member has.</summary>
    public static string DisplayName(this ProviderKind kind) => Names.TryGetValue(kind, out var name) ? name : kind.ToString();

    /// <summary>Whether <paramref name="kind"/> is a declared member (input from outside may hold any number).</summary>
    public static bool IsDeclared(this ProviderKind kind) => Names.ContainsKey(kind);
}
