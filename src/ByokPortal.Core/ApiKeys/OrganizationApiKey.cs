using ByokPortal.Core.Common;

namespace ByokPortal.Core.ApiKeys;

/// <summary>
/// A portal-issued key an organization's application uses against the runtime API.
/// The plaintext is shown once; only its SHA-256 hash and a short non-secret prefix are stored.
/// </summary>
public sealed class OrganizationApiKey : IVersioned
{
    public const int NameMaxLength = 100;

    public Guid Id { get; set; } = Guid.NewGuid();

    public Guid OrganizationId { get; set; }

    public required string Name { get; set; }

    /// <summary>The first characters of the token (e.g. "byok_3fa9c1"), for recognising a key in lists and logs.</summary>
    public required string Prefix { get; set; }

    /// <summary>Lower-case hex SHA-256 of the whole token.</summary>
    public required string SecretHash { get; set; }

    public Guid CreatedById { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? ExpiresAt { get; set; }

    public DateTimeOffset? LastUsedAt { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }

    public Guid? RevokedById { get; set; }

    public Guid Version { get; set; } = Guid.NewGuid();

    public bool IsActiveAt(DateTimeOffset now) => RevokedAt is null && (ExpiresAt is null || ExpiresAt > now);
}
