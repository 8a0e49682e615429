using ByokPortal.Core.Access;
using ByokPortal.Core.Audit;
using ByokPortal.Core.Common;
using ByokPortal.Core.Data;
using ByokPortal.Core.ProviderKeys;
using Microsoft.EntityFrameworkCore;

namespace ByokPortal.Core.CustomModels;

/// <summary>One row of "Added models".</summary>
public sealed record CustomModelRow(
    Guid Id,
    string ModelId,
    Guid KeyId,
    string KeyName,
    ProviderKind Provider,
    bool Enabled,
    ModelAccessMode AccessMode,
    int GrantCount,
    Guid Version)
{
    public string ProviderName => Provider.DisplayName();

    public string AccessLabel => ModelAccessLabel.For(AccessMode, GrantCount);
}

public sealed record CustomModelList(ResolvedScope Scope, IReadOnlyList<CustomModelRow> Models);

/// <summary>The models of a scope with their key, status and access summary: one query with grouped grant counts.</summary>
public sealed class ListCustomModelsQuery(IPortalDbContextFactory dbFactory, OwnerScopes scopes)
{
    public async Task<Result<CustomModelList>> ExecuteAsync(Actor actor, KeyScope scope, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateAsync(cancellationToken);
        var resolved = await scopes.ResolveAsync(db, actor, scope, AuditActions.AccessDenied, cancellationToken);
        if (!resolved.IsSuccess)
        {
            return resolved.Error!;
        }

        var owner = resolved.Value;
        var rows = await (
                from m in db.CustomModels.AsNoTracking()
                join k in db.ProviderKeys.InScope(owner) on m.ProviderKeyId equals k.Id
                orderby m.ModelId, k.Name
                select new CustomModelRow(m.Id, m.ModelId, k.Id, k.Name, k.Provider, m.Enabled, m.AccessMode,
                    db.ModelAccessGrants.Count(g => g.CustomModelId == m.Id), m.Version))
            .ToListAsync(cancellationToken);
        return new CustomModelList(owner, rows);
    }
}
