using System.Text.RegularExpressions;

namespace ByokPortal.Core.ProviderKeys;

/// <summary>Recognizes values that are secrets by their shape, so that one pasted into a field shown to everyone (Name) is refused.</summary>
public static partial class SecretShapes
{
    public static bool LooksLikeSecret(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return false;
        }

        var text = value.Trim();
        return text.Contains("-----BEGIN", StringComparison.Ordinal)
               || text.Contains("PRIVATE KEY", StringComparison.OrdinalIgnoreCase)
               || text.Contains("\"private_key", StringComparison.Ordinal)
               || KnownKeyPattern().IsMatch(text);
    }

    /// <summary>Well-known key prefixes followed by a long random part (OpenAI, Anthropic, Google, AWS, xAI).</summary>
    [GeneratedRegex(@"^(sk-|sk_|sk-ant-|AIza|AKIA|ASIA|xai-)[A-Za-z0-9_\-]{16,}$", RegexOptions.CultureInvariant)]
    private static partial Regex KnownKeyPattern();
}
