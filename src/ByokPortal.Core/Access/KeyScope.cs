using ByokPortal.Core.ProviderKeys;

namespace ByokPortal.Core.Access;

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
