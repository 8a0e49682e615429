using System.Text.RegularExpressions;

namespace ByokPortal.Core.Common;

/// <summary>URL names of enterprises and organizations: lower-case letters, digits and single hyphens.</summary>
public static partial class Slug
{
    public const int MaxLength = 64;

    public static bool IsValid(string? value) =>
        value is { Length: > 0 and <= MaxLength } && Pattern().IsMatch(value);

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
