using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace ByokPortal.Core.Common;

/// <summary>URL names of enterprises and organizations: lower-case letters, digits and single hyphens.</summary>
public static partial class Slug
{
    public const int MaxLength = 64;

    /// <summary>Names the portal's own routes and words use: an organization may not take them.</summary>
    public static readonly IReadOnlySet<string> Reserved = new HashSet<string>(StringComparer.Ordinal)
    {
        "new", "edit", "delete", "settings", "api", "admin", "administrator", "root", "system", "enterprise", "enterprises",
        "organization", "organizations", "org", "orgs", "people", "person", "users", "user", "groups", "group", "scim", "identity",
        "signin", "signout", "login", "logout", "auth", "oauth", "sso", "healthz", "health", "error", "not-found", "no-access",
        "static", "assets", "public", "models", "audit-log", "ai-controls", "copilot", "byok", "byokportal", "portal", "v1", "www",
    };

    public static bool IsValid(string? value) =>
        value is { Length: > 0 and <= MaxLength } && Pattern().IsMatch(value);

    public static bool IsReserved(string? value) => value is not null && Reserved.Contains(value);

    /// <summary>A slug suggested from a display name: accents dropped, anything but letters and digits turned into single hyphens.</summary>
    public static string Suggest(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return "";
        }

        var builder = new StringBuilder(name.Length);
        foreach (var c in name.Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            var lower = char.ToLowerInvariant(c);
            builder.Append(char.IsAsciiLetterOrDigit(lower) ? lower : '-');
        }

        var slug = Hyphens().Replace(builder.ToString(), "-").Trim('-');
        if (slug.Length > MaxLength)
        {
            slug = slug[..MaxLength].TrimEnd('-');
        }

        return slug;
    }

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    [GeneratedRegex("-{2,}", RegexOptions.CultureInvariant)]
    private static partial Regex Hyphens();
}
