using ByokPortal.Core.Access;
using ByokPortal.Core.Audit;
using ByokPortal.Core.Common;
using ByokPortal.Core.Data;
using ByokPortal.Core.Organizations;
using ByokPortal.Core.ProviderKeys;
using Microsoft.EntityFrameworkCore;

namespace ByokPortal.Core.CustomModels;

/// <summary>What the model's modal shows: its state, its access, and (enterprise models) every organization to choose from.</summary>
public sealed record ModelSettings(
    Guid Id,
    string ModelId,
    string KeyName,
    ProviderKind Provider,
    bool IsEnterpriseModel,
    bool Enabled,
    ModelAccessMode AccessMode,
    IReadOnlySet<Guid> GrantedOrganizationIds,
    IReadOnlyList<OrganizationSummary> Organizations,
    Guid Version,
    KeyRefusal? KeyRefused = null);

/// <summary>
/// Loads a model's settings. An enterprise with thousands of organizations loads them once as small summaries (ID, URL name, name);
/// the modal filters and virtualizes them in memory.
/// </summary>
public sealed class GetModelSettingsQuery(IPortalDbContextFactory dbFactory, OwnerScopes scopes)
{
    public async Task<Result<ModelSettings>> ExecuteAsync(Actor actor, KeyScope scope, Guid modelId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateAsync(cancellationToken);
        var resolved = await scopes.ResolveAsync(db, actor, scope, AuditActions.AccessDenied, cancellationToken);
        if (!resolved.IsSuccess)
        {
            return resolved.Error!;
        }

        var owner = resolved.Value;
        var found = await (
                from m in db.CustomModels.AsNoTracking()
                join k in db.ProviderKeys.InScope(owner) on m.ProviderKeyId equals k.Id
                where m.Id == modelId
                select new { Model = m, KeyName = k.Name, k.Provider, k.LastTestStatus, k.LastTestMessage, k.LastTestedAt })
            .FirstOrDefaultAsync(cancellationToken);
        if (found is null)
        {
            return new NotFoundError("This model no longer exists.");
        }

        var isEnterpriseModel = found.Model.OrganizationId is null;
        var granted = isEnterpriseModel
            ? (await db.ModelAccessGrants.AsNoTracking()
                .Where(g => g.CustomModelId == modelId && db.Organizations.Any(o => o.Id == g.OrganizationId && o.ArchivedAt == null))
                .Select(g => g.OrganizationId).ToListAsync(cancellationToken)).ToHashSet()
            : [];
        var organizations = isEnterpriseModel
            ? await db.Organizations.AsNoTracking().Where(o => o.EnterpriseId == owner.EnterpriseId && o.ArchivedAt == null).OrderBy(o => o.Name)
                .Select(o => new OrganizationSummary(o.Id, o.Slug, o.Name)).ToListAsync(cancellationToken)
            : [];
        return new ModelSettings(found.Model.Id, found.Model.ModelId, found.KeyName, found.Provider, isEnterpriseModel,
            found.Model.Enabled, found.Model.AccessMode, granted, organizations, found.Model.Version,
            KeyRefusal.From(found.LastTestStatus, found.LastTestMessage, found.LastTestedAt));
    }
}
