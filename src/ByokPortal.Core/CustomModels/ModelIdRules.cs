using ByokPortal.Core.Common;

namespace ByokPortal.Core.CustomModels;

/// <summary>A model ID as the provider names it, or an Azure / Foundry deployment name.</summary>
public static class ModelIdRules
{
    public const string Message = "A model ID has 1 to 200 characters, and no spaces or control, invisible or direction-changing characters.";

    public static bool IsValid(string? modelId) =>
        !string.IsNullOrWhiteSpace(modelId)
        && modelId.Length <= CustomModel.ModelIdMaxLength
        && !modelId.Any(char.IsWhiteSpace)
        && !TextRules.HasHiddenCharacters(modelId);
}
