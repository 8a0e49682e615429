namespace ByokPortal.Core.ProviderKeys;

public enum KeyScopeKind
{
    Enterprise,
    Organization,
}

/// <summary>Whose keys and models a page manages: an enterprise's (by its URL name) or one organization's.</summary>
public readonly record struct KeyScope(KeyScopeKind Kind, string Slug)
{
    public static KeyScope Enterprise(string slug) => new(KeyScopeKind.Enterprise, slug);

    public static KeyScope Organization(string slug) => new(KeyScopeKind.Organization, slug);

    public bool IsEnterprise => Kind == KeyScopeKind.Enterprise;

    public override string ToString() => $"{Kind.ToString().ToLowerInvariant()}:{Slug}";
}

/// <summary>A scope the actor owns, as the database says right now.</summary>
public sealed record ResolvedScope(
    KeyScope Scope,
    Guid EnterpriseId,
    string EnterpriseName,
    Guid? OrganizationId,
    string DisplayName,
    bool OrganizationKeysAllowed)
{
    public string ScopeKey => ProviderKey.ScopeFor(OrganizationId);

    public Audit.AuditTarget Target(string type, string? id, string? name) => new(type, id, name, EnterpriseId, OrganizationId);
}

public static class ProviderKeyScopeQueries
{
    /// <summary>The keys of one scope: an organization's keys are never visible through another organization or the enterprise scope.</summary>
    public static IQueryable<ProviderKey> InScope(this IQueryable<ProviderKey> keys, ResolvedScope owner)
    {
        ArgumentNullException.ThrowIfNull(owner);
        return keys.Where(k => k.EnterpriseId == owner.EnterpriseId && k.Scope == owner.ScopeKey);
    }

    /// <summary>A key of this scope by ID, or null (another scope's key ID looks exactly like a missing one).</summary>
    public static Task<ProviderKey?> FindInScopeAsync(this IQueryable<ProviderKey> keys, ResolvedScope owner, Guid keyId, CancellationToken cancellationToken) =>
        Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.FirstOrDefaultAsync(keys.InScope(owner), k => k.Id == keyId, cancellationToken);
}
