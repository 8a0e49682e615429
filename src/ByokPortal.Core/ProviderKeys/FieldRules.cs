using System.Text.RegularExpressions;
using ByokPortal.Core.Access;
using ByokPortal.Core.Common;

namespace ByokPortal.Core.ProviderKeys;

/// <summary>The rules adapters compose for their fields, each written once: API keys, URLs, versions, plain settings.</summary>
public static partial class FieldRules
{
    /// <summary>An API key as typed: surrounding spaces and line breaks (a paste) are trimmed, so only what is inside counts.</summary>
    public static IEnumerable<FieldError> ApiKey(string? value, string property, string label)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            yield break;
        }

        if (value.Length > ProviderKeyInputValidator.MaxCredentialLength)
        {
            yield return new(property, $"{label} is too long.");
        }
        else if (value.Trim().Any(ch => char.IsWhiteSpace(ch) || char.IsControl(ch)))
        {
            yield return new(property, $"{label} must not contain spaces or line breaks.");
        }
        else if (TextRules.HasHiddenCharacters(value.Trim()))
        {
            yield return new(property, TextRules.HiddenCharactersMessage(label));
        }
    }

    /// <summary>An http(s) address without user name, password, query or fragment (a secret typed there would come back in messages).</summary>
    public static IEnumerable<FieldError> Url(string? value, string property, string label, bool required)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required)
            {
                yield return new(property, $"{label} is required.");
            }

            yield break;
        }

        if (value.Length > ProviderKey.BaseUrlMaxLength)
        {
            yield return new(property, $"{label} is too long.");
        }
        else if (TextRules.HasHiddenCharacters(value.Trim()))
        {
            yield return new(property, TextRules.HiddenCharactersMessage(label));
        }
        else if (!Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || string.IsNullOrEmpty(uri.Host))
        {
            yield return new(property, $"{label} must be an http:// or https:// address.");
        }
        else if (uri.UserInfo.Length > 0 || uri.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            yield return new(property, $"{label} must not contain a user name, password, query string or fragment: put the key in the API key field.");
        }
    }

    /// <summary>A day (2024-02-30 is none) with an optional "-preview".</summary>
    public static IEnumerable<FieldError> ApiVersion(string? value, string property)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            yield break;
        }

        if (TextRules.HasHiddenCharacters(value.Trim()))
        {
            yield return new(property, TextRules.HiddenCharactersMessage("API version"));
        }
        else if (!ApiVersionPattern().IsMatch(value.Trim()) || !TextRules.TryParseDate(value.Trim()[..10], out _))
        {
            yield return new(property, "API version must be a date such as 2024-10-21 (or 2025-01-01-preview).");
        }
    }

    /// <summary>A short setting made of letters, digits, dots, dashes and underscores (a project ID, a region).</summary>
    public static IEnumerable<FieldError> Identifier(string? value, string property, string label, bool required, int maxLength = 63)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required)
            {
                yield return new(property, $"{label} is required.");
            }

            yield break;
        }

        if (value.Trim().Length > maxLength)
        {
            yield return new(property, $"{label} must be at most {maxLength} characters.");
        }
        else if (TextRules.HasHiddenCharacters(value))
        {
            yield return new(property, TextRules.HiddenCharactersMessage(label));
        }
        else if (!IdentifierPattern().IsMatch(value.Trim()))
        {
            yield return new(property, $"{label} may contain only letters, digits, dots, dashes and underscores.");
        }
    }

    /// <summary>One of the field's choices.</summary>
    public static IEnumerable<FieldError> Choice(string? value, FormField field)
    {
        ArgumentNullException.ThrowIfNull(field);
        if (!string.IsNullOrWhiteSpace(value) && field.Choices is { } choices && !choices.Contains(value.Trim(), StringComparer.Ordinal))
        {
            yield return new(field.Property, $"{field.Label} must be one of: {string.Join(", ", choices)}.");
        }
    }

    /// <summary>The trimmed URL without a trailing slash, or <paramref name="fallback"/> when empty.</summary>
    public static string? EffectiveUrl(string? value, string? fallback) =>
        string.IsNullOrWhiteSpace(value) ? fallback : value.Trim().TrimEnd('/');

    /// <summary>The Name field's message when the scope already has a key of that name (adding and editing).</summary>
    public static ValidationError DuplicateName(string name, ResolvedScope owner) =>
        ValidationError.For(nameof(ProviderKeyInput.Name), $"An API key named \"{name}\" already exists in {owner.DisplayName}. Choose another name.");

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}(-preview)?$", RegexOptions.CultureInvariant)]
    private static partial Regex ApiVersionPattern();

    [GeneratedRegex(@"^[A-Za-z0-9._-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex IdentifierPattern();
}
