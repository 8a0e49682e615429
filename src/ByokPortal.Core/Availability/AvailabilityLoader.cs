using System.Data.Common;
using ByokPortal.Core.CustomModels;
using ByokPortal.Core.Data;
using ByokPortal.Core.Organizations;
using Microsoft.EntityFrameworkCore;

namespace ByokPortal.Core.Availability;

/// <summary>
/// Gathers the facts <see cref="ModelAvailability"/> decides on: models with their keys, grants, models-permission settings, key
/// assignments and the enterprise policy. It only scopes what it reads (one organization's, or one enterprise's); it never decides
/// whether a model is available.
/// </summary>
public static class AvailabilityLoader
{
    /// <summary>For one organization: the enterprise's models and the organization's own, in four queries whatever their number.</summary>
    public static async Task<(AvailabilityContext Context, IReadOnlyList<CandidateModel> Candidates)> LoadAsync(
        IPortalDbContext db, Organization organization, Guid? apiKeyId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(organization);
        var organizationId = organization.Id;
        var allowed = await db.Enterprises.Where(e => e.Id == organization.EnterpriseId).Select(e => e.AllowOrganizationKeys).SingleAsync(cancellationToken);
        var candidates = await LoadCandidatesAsync(
            db,
            db.CustomModels.Where(m => m.EnterpriseId == organization.EnterpriseId && (m.OrganizationId == null || m.OrganizationId == organizationId)),
            db.ProviderKeyAssignments.Where(a => db.ProviderKeys.Any(k => k.Id == a.ProviderKeyId && k.OrganizationId == organizationId)),
            cancellationToken);
        var granted = (await db.ModelAccessGrants.AsNoTracking()
                .Where(g => g.OrganizationId == organizationId)
                .Select(g => g.CustomModelId)
                .ToListAsync(cancellationToken))
            .ToHashSet();
        var settings = await db.OrganizationModelSettings.AsNoTracking()
            .Where(s => s.OrganizationId == organizationId)
            .ToDictionaryAsync(s => s.CustomModelId, s => s.Enabled, cancellationToken);
        return (new AvailabilityContext(organizationId, organization.ModelsPermission, settings, granted, allowed, apiKeyId, organization.IsArchived), candidates);
    }

    /// <summary>
    /// For every organization of an enterprise at once (the runtime snapshot): six queries whatever the enterprise's size, each reading only
    /// the columns availability depends on, untracked, and grouped by organization as they stream in.
    /// </summary>
    public static async Task<EnterpriseAvailabilityFacts> LoadEnterpriseAsync(IPortalDbContext db, Guid enterpriseId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var allowed = await db.Enterprises.Where(e => e.Id == enterpriseId).Select(e => e.AllowOrganizationKeys).SingleAsync(cancellationToken);
        var organizations = await db.Organizations
            .Where(o => o.EnterpriseId == enterpriseId)
            .Select(o => new OrganizationFacts(o.Id, o.ModelsPermission, o.ArchivedAt != null))
            .ToListAsync(cancellationToken);
        var candidates = await LoadCandidatesAsync(
            db,
            db.CustomModels.Where(m => m.EnterpriseId == enterpriseId),
            db.ProviderKeyAssignments.Where(a => db.ProviderKeys.Any(k => k.Id == a.ProviderKeyId && k.EnterpriseId == enterpriseId)),
            cancellationToken);
        // The two large reads (a grant per organization and model, at scale 100,000 rows) go through EF Core's SQL but are read straight
        // from the data reader: no entity or projection object per row, only the sets they fill.
        var grants = new Dictionary<Guid, HashSet<Guid>>(organizations.Count);
        var grantRows =
            from g in db.ModelAccessGrants
            join m in db.CustomModels on g.CustomModelId equals m.Id
            where m.EnterpriseId == enterpriseId
            select new { g.OrganizationId, g.CustomModelId };
        await ReadRowsAsync(db, grantRows, reader =>
        {
            var organizationId = reader.GetGuid(0);
            if (!grants.TryGetValue(organizationId, out var granted))
            {
                grants[organizationId] = granted = [];
            }

            granted.Add(reader.GetGuid(1));
        }, cancellationToken);

        var settings = new Dictionary<Guid, Dictionary<Guid, bool>>();
        var settingRows =
            from s in db.OrganizationModelSettings
            join o in db.Organizations on s.OrganizationId equals o.Id
            where o.EnterpriseId == enterpriseId
            select new { s.OrganizationId, s.CustomModelId, s.Enabled };
        await ReadRowsAsync(db, settingRows, reader =>
        {
            var organizationId = reader.GetGuid(0);
            if (!settings.TryGetValue(organizationId, out var byModel))
            {
                settings[organizationId] = byModel = [];
            }

            byModel[reader.GetGuid(1)] = reader.GetBoolean(2);
        }, cancellationToken);

        return new EnterpriseAvailabilityFacts(
            allowed,
            organizations,
            new AvailabilityCandidates(candidates),
            grants.ToDictionary(g => g.Key, g => (IReadOnlySet<Guid>)g.Value),
            settings.ToDictionary(s => s.Key, s => (IReadOnlyDictionary<Guid, bool>)s.Value));
    }

    /// <summary>Runs the query's SQL (as EF Core writes it for the provider) and hands each row to <paramref name="read"/>, columns in projection order.</summary>
    private static async Task ReadRowsAsync<T>(IPortalDbContext db, IQueryable<T> query, Action<DbDataReader> read, CancellationToken cancellationToken)
    {
        await using var command = query.CreateDbCommand();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                read(reader);
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static async Task<IReadOnlyList<CandidateModel>> LoadCandidatesAsync(
        IPortalDbContext db, IQueryable<CustomModel> models, IQueryable<ProviderKeys.ProviderKeyAssignment> assignments, CancellationToken cancellationToken)
    {
        var rows = await (
                from m in models.AsNoTracking()
                join k in db.ProviderKeys on m.ProviderKeyId equals k.Id
                select new
                {
                    m.Id, m.ModelId, m.Enabled, m.AccessMode, m.OrganizationId,
                    KeyId = k.Id, KeyName = k.Name, k.Provider, k.AssignedToEntireOrganization, k.LastTestStatus,
                })
            .ToListAsync(cancellationToken);
        var apiKeysByKey = (await assignments.AsNoTracking().Select(a => new { a.ProviderKeyId, a.ApiKeyId }).ToListAsync(cancellationToken))
            .GroupBy(a => a.ProviderKeyId)
            .ToDictionary(g => g.Key, g => (IReadOnlySet<Guid>)g.Select(a => a.ApiKeyId).ToHashSet());
        IReadOnlySet<Guid> none = new HashSet<Guid>();
        return rows.Select(r => new CandidateModel(
                r.Id, r.ModelId, r.Enabled, r.AccessMode, r.OrganizationId, r.KeyId, r.KeyName, r.Provider, r.AssignedToEntireOrganization,
                apiKeysByKey.GetValueOrDefault(r.KeyId, none), r.LastTestStatus))
            .ToList();
    }
}

/// <summary>What availability depends on about one organization of an enterprise (the runtime snapshot reads only this of it).</summary>
public sealed record OrganizationFacts(Guid Id, ModelsPermission Permission, bool Archived);

/// <summary>Everything availability depends on, for every organization of one enterprise.</summary>
public sealed class EnterpriseAvailabilityFacts(
    bool organizationKeysAllowed,
    IReadOnlyList<OrganizationFacts> organizations,
    AvailabilityCandidates candidates,
    IReadOnlyDictionary<Guid, IReadOnlySet<Guid>> grantsByOrganization,
    IReadOnlyDictionary<Guid, IReadOnlyDictionary<Guid, bool>> settingsByOrganization)
{
    private static readonly IReadOnlySet<Guid> NoGrants = new HashSet<Guid>();
    private static readonly IReadOnlyDictionary<Guid, bool> NoSettings = new Dictionary<Guid, bool>();

    public IReadOnlyList<OrganizationFacts> Organizations => organizations;

    /// <summary>The enterprise's models and every organization's own, indexed once for all of them.</summary>
    public AvailabilityCandidates Candidates => candidates;

    public AvailabilityContext ContextFor(OrganizationFacts organization, Guid? apiKeyId = null)
    {
        ArgumentNullException.ThrowIfNull(organization);
        return new AvailabilityContext(
            organization.Id,
            organization.Permission,
            settingsByOrganization.GetValueOrDefault(organization.Id, NoSettings),
            grantsByOrganization.GetValueOrDefault(organization.Id, NoGrants),
            organizationKeysAllowed,
            apiKeyId,
            organization.Archived);
    }
}
