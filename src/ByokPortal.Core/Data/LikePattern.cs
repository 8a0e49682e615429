namespace ByokPortal.Core.Data;

/// <summary>Patterns for <c>EF.Functions.Like</c>: case-insensitive "contains" on SQLite and on SQL Server's default collation.</summary>
public static class LikePattern
{
    public const string Escape = "\\";

    public static string Contains(string text) => "%" + Escaped(text) + "%";

    /// <summary>The whole text, case-insensitively (no wildcards).</summary>
    public static string Equal(string text) => Escaped(text);

    private static string Escaped(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Trim()
            .Replace("\\", "\\\\", StringComparison.Ordinal)
            .Replace("%", "\\%", StringComparison.Ordinal)
            .Replace("_", "\\_", StringComparison.Ordinal)
            .Replace("[", "\\[", StringComparison.Ordinal);
    }
}
