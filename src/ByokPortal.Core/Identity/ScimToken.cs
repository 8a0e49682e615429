using System.Security.Cryptography;
using System.Text;

namespace ByokPortal.Core.Identity;

/// <summary>A bearer token the enterprise's SCIM client (e.g. Entra ID provisioning) presents: shown once, stored as a SHA-256 hash.</summary>
public sealed class ScimToken
{
    public const int NameMaxLength = 100;
    public const string Scheme = "scim_";
    public const int RandomLength = 40;
    public const int PrefixLength = 11;
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    public Guid Id { get; set; } = Guid.NewGuid();

    public Guid EnterpriseId { get; set; }

    public required string Name { get; set; }

    public required string Prefix { get; set; }

    public required string SecretHash { get; set; }

    public Guid CreatedById { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? LastUsedAt { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }

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

    public static bool LooksLikeToken(string? value) =>
        value is { Length: RandomLength + 5 } && value.StartsWith(Scheme, StringComparison.Ordinal) && value[Scheme.Length..].All(char.IsAsciiLetterOrDigit);
}
