using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace ByokPortal.Core.ApiKeys;

/// <summary>
/// Organization API keys: <c>byok_</c> and 40 random letters and digits (about 238 bits). The plaintext is shown once; the database keeps
/// its SHA-256 (a fast hash is right for a high-entropy random token: there is nothing to guess) and a short non-secret prefix.
/// </summary>
public static class ApiKeyToken
{
    public const string Scheme = "byok_";
    public const int RandomLength = 40;
    public const int PrefixLength = 11;
    public const int TokenLength = 45;
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private static readonly SearchValues<char> AlphabetValues = SearchValues.Create(Alphabet);

    public static (string Token, string Prefix, string Hash) Create()
    {
        var token = Scheme + RandomNumberGenerator.GetString(Alphabet, RandomLength);
        return (token, token[..PrefixLength], Hash(token));
    }

    public static string Hash(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
    }

    public static bool LooksLikeToken(string? value) => value is not null && LooksLikeToken(value.AsSpan());

    public static bool LooksLikeToken(ReadOnlySpan<char> value) =>
        value.Length == TokenLength && value.StartsWith(Scheme, StringComparison.Ordinal) && !value[Scheme.Length..].ContainsAnyExcept(AlphabetValues);
}
