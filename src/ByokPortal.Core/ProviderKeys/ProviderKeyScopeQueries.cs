using ByokPortal.Core.Access;

namespace ByokPortal.Core.ProviderKeys;

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
