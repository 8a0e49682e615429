using System.Linq.Expressions;
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

    /// <summary>Requests per minute this key may make to the runtime; null means the installation's default (Portal:Runtime:DefaultRateLimitPerMinute).</summary>
    public int? RateLimitPerMinute { get; set; }

    public Guid Version { get; set; } = Guid.NewGuid();

    /// <summary>
    /// THE rule "active API key at time T": not revoked, and not past its expiry. Written once, as an expression, so the database
    /// (<see cref="ActiveAt"/>) and memory (<see cref="IsActiveAt"/>, the runtime snapshot) apply the very same rule.
    /// </summary>
    public static readonly Expression<Func<OrganizationApiKey, DateTimeOffset, bool>> ActiveRule =
        (key, at) => key.RevokedAt == null && (key.ExpiresAt == null || key.ExpiresAt > at);

    private static readonly Func<OrganizationApiKey, DateTimeOffset, bool> CompiledActiveRule = ActiveRule.Compile();

    /// <summary><see cref="ActiveRule"/> for queries, at a given time.</summary>
    public static Expression<Func<OrganizationApiKey, bool>> ActiveAt(DateTimeOffset at)
    {
        var key = ActiveRule.Parameters[0];
        var body = new ReplaceParameter(ActiveRule.Parameters[1], Expression.Constant(at)).Visit(ActiveRule.Body);
        return Expression.Lambda<Func<OrganizationApiKey, bool>>(body, key);
    }

    public bool IsActiveAt(DateTimeOffset now) => CompiledActiveRule(this, now);

    public ApiKeyStatus StatusAt(DateTimeOffset now) =>
        RevokedAt is not null ? ApiKeyStatus.Revoked : IsActiveAt(now) ? ApiKeyStatus.Active : ApiKeyStatus.Expired;

    private sealed class ReplaceParameter(ParameterExpression from, Expression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : base.VisitParameter(node);
    }
}
