using ByokPortal.Core.Access;
using ByokPortal.Core.Audit;
using ByokPortal.Core.Common;
using ByokPortal.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace ByokPortal.Core.ProviderKeys;

public sealed record AssignedApiKey(Guid Id, string Name);

/// <summary>One row of the "API keys" list: what is safe to show (masked hint, never the credential).</summary>
public sealed record ProviderKeyRow(
    Guid Id,
    string Name,
    ProviderKind Provider,
    string? BaseUrl,
    string? ApiVersion,
    string? SettingsJson,
    string MaskedHint,
    int ModelCount,
    IReadOnlyList<string> ModelIds,
    string CreatedBy,
    DateTimeOffset CreatedAt,
    CredentialTestStatus LastTestStatus,
    string? LastTestMessage,
    DateTimeOffset? LastTestedAt,
    bool AssignedToEntireOrganization,
    IReadOnlyList<AssignedApiKey> AssignedApiKeys,
    Guid Version)
{
    public string ProviderName => Provider.DisplayName();

    public StoredConnection Connection => new(BaseUrl, ApiVersion, SettingsJson);

    /// <summary>The last test, the background check or the gateway found the key failing.</summary>
    public bool IsFailing => CredentialCheck.IsFailing(LastTestStatus);

    /// <summary>Set when the provider refused the key: shown on its row and in its dialogs.</summary>
    public KeyRefusal? Refusal => KeyRefusal.From(LastTestStatus, LastTestMessage, LastTestedAt);
}

public sealed record ProviderKeyList(ResolvedScope Scope, IReadOnlyList<ProviderKeyRow> Keys);

/// <summary>The keys of a scope, for its owners.</summary>
public sealed class ListProviderKeysQuery(IPortalDbContextFactory dbFactory, OwnerScopes scopes)
{
    public async Task<Result<ProviderKeyList>> ExecuteAsync(Actor actor, KeyScope scope, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateAsync(cancellationToken);
        var resolved = await scopes.ResolveAsync(db, actor, scope, AuditActions.AccessDenied, cancellationToken);
        if (!resolved.IsSuccess)
        {
            return resolved.Error!;
        }

        return new ProviderKeyList(resolved.Value, await ProviderKeyRows.LoadAsync(db, resolved.Value, cancellationToken));
    }
}

/// <summary>The rows of a scope's keys: three queries whatever the number of keys (no query per row).</summary>
public static class ProviderKeyRows
{
    public static async Task<IReadOnlyList<ProviderKeyRow>> LoadAsync(IPortalDbContext db, ResolvedScope owner, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var keys = await (
                from k in db.ProviderKeys.AsNoTracking().InScope(owner)
                join p in db.People on k.CreatedById equals p.Id
                orderby k.Name
                select new { Key = k, CreatedBy = p.Email })
            .ToListAsync(cancellationToken);
        var keyIds = keys.Select(k => k.Key.Id).ToList();
        var models = await db.CustomModels.AsNoTracking()
            .Where(m => keyIds.Contains(m.ProviderKeyId))
            .Select(m => new { m.ProviderKeyId, m.ModelId })
            .ToListAsync(cancellationToken);
        var assignments = await (
                from a in db.ProviderKeyAssignments.AsNoTracking()
                join k in db.OrganizationApiKeys on a.ApiKeyId equals k.Id
                where keyIds.Contains(a.ProviderKeyId)
                select new { a.ProviderKeyId, k.Id, k.Name })
            .ToListAsync(cancellationToken);

        var modelsByKey = models.ToLookup(m => m.ProviderKeyId, m => m.ModelId);
        var assignmentsByKey = assignments.ToLookup(a => a.ProviderKeyId, a => new AssignedApiKey(a.Id, a.Name));
        return keys.Select(k => new ProviderKeyRow(
                k.Key.Id, k.Key.Name, k.Key.Provider, k.Key.BaseUrl, k.Key.ApiVersion, k.Key.SettingsJson, k.Key.MaskedHint,
                modelsByKey[k.Key.Id].Count(), modelsByKey[k.Key.Id].Order(StringComparer.Ordinal).ToList(),
                k.CreatedBy, k.Key.CreatedAt, k.Key.LastTestStatus, k.Key.LastTestMessage, k.Key.LastTestedAt,
                k.Key.AssignedToEntireOrganization, assignmentsByKey[k.Key.Id].OrderBy(a => a.Name, StringComparer.Ordinal).ToList(), k.Key.Version))
            .ToList();
    }
}
