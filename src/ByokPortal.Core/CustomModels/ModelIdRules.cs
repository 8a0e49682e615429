namespace ByokPortal.Core.CustomModels;

/// <summary>A model ID as the provider names it, or an Azure / Foundry deployment name.</summary>
public static class ModelIdRules
{
    public const string Message = "A model ID has 1 to 200 characters and no spaces.";

    public static bool IsValid(string? modelId) =>
        !string.IsNullOrWhiteSpace(modelId)
        && modelId.Length <= CustomModel.ModelIdMaxLength
        && !modelId.Any(c => char.IsWhiteSpace(c) || char.IsControl(c));
}
