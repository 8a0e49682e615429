using ByokPortal.Core.CustomModels;
using ByokPortal.Core.Data;
using ByokPortal.Core.Organizations;
using Microsoft.EntityFrameworkCore;

namespace ByokPortal.Core.Availability;

/// <summary>Loads what <see cref="ModelAvailability"/> needs for one organization: four queries, whatever the number of models.</summary>
public static class AvailabilityLoader
{
    public static async Task<(AvailabilityContext Context, IReadOnlyList<CandidateModel> Candidates)> LoadAsync(
        IPortalDbContext db, Organization organization, Guid? apiKeyId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(organization);
        var organizationId = organization.Id;
        var allowed = await db.Enterprises.Where(e => e.Id == organization.EnterpriseId).Select(e => e.AllowOrganizationKeys).SingleAsync(cancellationToken);

        var rows = await (
                from m in db.CustomModels.AsNoTracking()
                join k in db.ProviderKeys on m.ProviderKeyId equals k.Id
                where m.EnterpriseId == organization.EnterpriseId
                      && (m.OrganizationId == organizationId
                          || (m.OrganizationId == null && (m.AccessMode == ModelAccessMode.AllOrganizations
                                                           || db.ModelAccessGrants.Any(g => g.CustomModelId == m.Id && g.OrganizationId == organizationId))))
                select new
                {
                    m.Id, m.ModelId, m.Enabled, m.AccessMode, m.OrganizationId,
                    Granted = db.ModelAccessGrants.Any(g => g.CustomModelId == m.Id && g.OrganizationId == organizationId),
                    KeyId = k.Id, KeyName = k.Name, k.Provider, k.AssignedToEntireOrganization, k.LastTestStatus,
                })
            .ToListAsync(cancellationToken);

        var organizationKeyIds = rows.Where(r => r.OrganizationId != null).Select(r => r.KeyId).Distinct().ToList();
        var assignments = (await db.ProviderKeyAssignments.AsNoTracking()
                .Where(a => organizationKeyIds.Contains(a.ProviderKeyId))
                .Select(a => new { a.ProviderKeyId, a.ApiKeyId })
                .ToListAsync(cancellationToken))
            .ToLookup(a => a.ProviderKeyId, a => a.ApiKeyId);
        var settings = await db.OrganizationModelSettings.AsNoTracking()
            .Where(s => s.OrganizationId == organizationId)
            .ToDictionaryAsync(s => s.CustomModelId, s => s.Enabled, cancellationToken);

        var candidates = rows.Select(r => new CandidateModel(
                r.Id, r.ModelId, r.Enabled, r.AccessMode, r.Granted, r.KeyId, r.KeyName, r.Provider,
                r.OrganizationId != null, r.AssignedToEntireOrganization, assignments[r.KeyId].ToHashSet(), r.LastTestStatus))
            .ToList();
        return (new AvailabilityContext(organization.ModelsPermission, settings, allowed, apiKeyId, organization.IsArchived), candidates);
    }
}
