using System.Text.RegularExpressions;
using ByokPortal.Core.Common;
using ByokPortal.Core.CustomModels;
using FluentValidation;

namespace ByokPortal.Core.ProviderKeys;

/// <summary>
/// The rules of the key form, shared by the form (field by field), Save (whole input) and "Fetch new models" / "Test credentials"
/// (the <see cref="ConnectionFields"/> only: the same length and character rules, without requiring a name or models yet).
/// </summary>
public sealed partial class ProviderKeyInputValidator : AbstractValidator<ProviderKeyInput>
{
    public const int MaxModelsPerKey = 500;
    public const int MaxCredentialLength = 8192;

    /// <summary>What a call to the provider uses: validated on its own before "Fetch new models" and "Test credentials".</summary>
    public static readonly string[] ConnectionFields =
        [nameof(ProviderKeyInput.Provider), nameof(ProviderKeyInput.Credential), nameof(ProviderKeyInput.BaseUrl), nameof(ProviderKeyInput.ApiVersion)];

    public ProviderKeyInputValidator()
    {
        // An unknown provider (a value no form offers) gets "Choose a provider." and skips the rules that depend on the provider.
        RuleFor(i => i.Provider)
            .Cascade(CascadeMode.Stop)
            .Must(ProviderCatalog.IsKnown).WithMessage("Choose a provider.")
            .Must(p => ProviderCatalog.Get(p).TakesApiKey).WithMessage("This provider cannot be added with an API key yet.");

        // One message per field at a time: a tab-only name is "required", not also "has control characters".
        RuleFor(i => i.Name)
            .Cascade(CascadeMode.Stop)
            .Must(n => !string.IsNullOrWhiteSpace(n)).WithMessage("Name is required.")
            .MaximumLength(ProviderKey.NameMaxLength).WithMessage($"Name must be at most {ProviderKey.NameMaxLength} characters.")
            .WithoutHiddenCharacters("Name");

        RuleFor(i => i.Credential)
            .Must(c => !string.IsNullOrWhiteSpace(c)).WithMessage("Key is required.")
            .When(i => !i.IsEdit && ProviderCatalog.IsKnown(i.Provider) && ProviderCatalog.Get(i.Provider).ApiKeyRequired);
        // Surrounding spaces and line breaks (a paste) are trimmed before use, so only what is inside counts.
        RuleFor(i => i.Credential)
            .Cascade(CascadeMode.Stop)
            .MaximumLength(MaxCredentialLength).WithMessage("Key is too long.")
            .Must(c => c is null || !c.Trim().Any(ch => char.IsWhiteSpace(ch) || char.IsControl(ch))).WithMessage("Key must not contain spaces or line breaks.")
            .Must(c => !TextRules.HasHiddenCharacters(c?.Trim())).WithMessage(TextRules.HiddenCharactersMessage("Key"));

        RuleFor(i => i.BaseUrl)
            .Must(u => !string.IsNullOrWhiteSpace(u))
            .WithMessage(i => $"{ProviderCatalog.Get(i.Provider).EndpointLabel} is required.")
            .When(i => ProviderCatalog.IsKnown(i.Provider) && (ProviderCatalog.Get(i.Provider).EndpointRequired || ProviderCatalog.Get(i.Provider).DefaultBaseUrl is null));
        RuleFor(i => i.BaseUrl)
            .Cascade(CascadeMode.Stop)
            .MaximumLength(ProviderKey.BaseUrlMaxLength).WithMessage(i => $"{ProviderCatalog.Get(i.Provider).EndpointLabel} is too long.")
            .Must(u => !TextRules.HasHiddenCharacters(u?.Trim())).WithMessage(i => TextRules.HiddenCharactersMessage(ProviderCatalog.Get(i.Provider).EndpointLabel))
            .Must(BeHttpUrl).WithMessage(i => $"{ProviderCatalog.Get(i.Provider).EndpointLabel} must be an http:// or https:// address.")
            .Must(HaveNoSecretParts).WithMessage(i => $"{ProviderCatalog.Get(i.Provider).EndpointLabel} must not contain a user name, password, query string or fragment: put the key in the Key field.")
            .When(i => ProviderCatalog.IsKnown(i.Provider) && !string.IsNullOrWhiteSpace(i.BaseUrl));

        RuleFor(i => i.ApiVersion)
            .Cascade(CascadeMode.Stop)
            .Must(v => !TextRules.HasHiddenCharacters(v?.Trim())).WithMessage(TextRules.HiddenCharactersMessage("API version"))
            .Must(v => string.IsNullOrWhiteSpace(v) || IsApiVersion(v.Trim()))
            .WithMessage("API version must be a date such as 2024-10-21 (or 2025-01-01-preview).")
            .When(i => ProviderCatalog.IsKnown(i.Provider) && ProviderCatalog.Get(i.Provider).TakesApiVersion);

        RuleFor(i => i.ModelIds)
            .Must(m => m.Count > 0).WithMessage("Select or add at least one model.")
            .When(i => i.RequireModels);
        RuleFor(i => i.ModelIds)
            .Must(m => m.Count <= MaxModelsPerKey).WithMessage($"A key can serve at most {MaxModelsPerKey} models.")
            .Must(m => m.Distinct(StringComparer.Ordinal).Count() == m.Count).WithMessage("Each model can be added once.");
        RuleForEach(i => i.ModelIds)
            .Must(ModelIdRules.IsValid).WithMessage(ModelIdRules.Message);

        RuleFor(i => i.ApiKeyIds)
            .Must(ids => ids.Count > 0).WithMessage("Choose at least one API key, or assign the key to the entire organization.")
            .When(i => !i.AssignToEntireOrganization);
    }

    private static bool BeHttpUrl(string? value) =>
        Uri.TryCreate(value?.Trim(), UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http" && !string.IsNullOrEmpty(uri.Host);

    private static bool HaveNoSecretParts(string? value) =>
        !Uri.TryCreate(value?.Trim(), UriKind.Absolute, out var uri) || (uri.UserInfo.Length == 0 && uri.Query.Length == 0 && uri.Fragment.Length == 0);

    /// <summary>A day (2024-02-30 is none) with an optional "-preview".</summary>
    private static bool IsApiVersion(string value) => ApiVersionPattern().IsMatch(value) && TextRules.TryParseDate(value[..10], out _);

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}(-preview)?$", RegexOptions.CultureInvariant)]
    private static partial Regex ApiVersionPattern();
}
