using ByokPortal.Core.ApiKeys;
using ByokPortal.Core.Availability;
using ByokPortal.Core.Common;
using ByokPortal.Core.CustomModels;
using ByokPortal.Core.Enterprises;
using ByokPortal.Core.Organizations;
using ByokPortal.Core.ProviderKeys;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace ByokPortal.Persistence;

/// <summary>
/// Renews an enterprise's <see cref="PolicyVersion"/> in the same SaveChanges as any change that can change what its organizations may use,
/// whichever use case made it, then tells this instance's <see cref="PolicyChangeSignal"/> (the runtime snapshot) once the save has committed.
/// Columns that only record activity (last used, updated at, versions) do not count.
/// </summary>
public sealed class PolicyVersionInterceptor(TimeProvider time, PolicyChangeSignal signal) : SaveChangesInterceptor
{
    private static readonly HashSet<string> ActivityOnly = new(StringComparer.Ordinal)
    {
        nameof(ProviderKey.UpdatedAt),
        nameof(IVersioned.Version),
        nameof(OrganizationApiKey.LastUsedAt),
        nameof(OrganizationModelSetting.UpdatedAt),
        nameof(Enterprise.Name),
    };

    /// <summary>
    /// A provider key's record of its last test. The runtime takes from a key's tests only whether it is invalid (its status): a test that
    /// finds the key as it was — the health check's routine recheck of every key — changes nothing any organization may use, and must not
    /// make every runtime instance rebuild its snapshot. A test that changes the status changes the status column, which does count.
    /// </summary>
    private static readonly HashSet<string> ProviderKeyTestRecord = new(StringComparer.Ordinal)
    {
        nameof(ProviderKey.LastTestedAt),
        nameof(ProviderKey.LastTestMessage),
        nameof(ProviderKey.RecheckRequestedAt),
    };

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        if (eventData.Context is PortalDbContext db)
        {
            RenewAsync(db, synchronous: true, CancellationToken.None).GetAwaiter().GetResult();
        }

        return result;
    }

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        if (eventData.Context is PortalDbContext db)
        {
            await RenewAsync(db, synchronous: false, cancellationToken);
        }

        return result;
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Notify(eventData);
        return result;
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Notify(eventData);
        return ValueTask.FromResult(result);
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData)
    {
        if (eventData?.Context is PortalDbContext db)
        {
            db.PendingPolicyChanges = null;
        }
    }

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        SaveChangesFailed(eventData);
        return Task.CompletedTask;
    }

    private void Notify(SaveChangesCompletedEventData eventData)
    {
        if (eventData?.Context is not PortalDbContext { PendingPolicyChanges: { Count: > 0 } changed } db)
        {
            return;
        }

        db.PendingPolicyChanges = null;
        signal.Notify(changed);
    }

    private async Task RenewAsync(PortalDbContext db, bool synchronous, CancellationToken cancellationToken)
    {
        var enterprises = new HashSet<Guid>();
        var organizations = new HashSet<Guid>();
        var providerKeys = new HashSet<Guid>();
        foreach (var entry in db.ChangeTracker.Entries().ToList())
        {
            if (!ChangesPolicy(entry))
            {
                continue;
            }

            switch (entry.Entity)
            {
                case Enterprise e:
                    enterprises.Add(e.Id);
                    break;
                case Organization o:
                    enterprises.Add(Original(entry, nameof(Organization.EnterpriseId), o.EnterpriseId));
                    break;
                case ProviderKey k:
                    enterprises.Add(Original(entry, nameof(ProviderKey.EnterpriseId), k.EnterpriseId));
                    break;
                case CustomModel m:
                    enterprises.Add(Original(entry, nameof(CustomModel.EnterpriseId), m.EnterpriseId));
                    break;
                case ProviderKeyAssignment a:
                    providerKeys.Add(a.ProviderKeyId);
                    break;
                case ModelAccessGrant g:
                    organizations.Add(g.OrganizationId);
                    break;
                case OrganizationModelSetting s:
                    organizations.Add(s.OrganizationId);
                    break;
                case OrganizationApiKey k:
                    organizations.Add(k.OrganizationId);
                    break;
            }
        }

        if (enterprises.Count == 0 && organizations.Count == 0 && providerKeys.Count == 0)
        {
            return;
        }

        foreach (var organizationId in organizations)
        {
            var tracked = db.ChangeTracker.Entries<Organization>().FirstOrDefault(o => o.Entity.Id == organizationId);
            if (tracked is not null)
            {
                enterprises.Add(tracked.Entity.EnterpriseId);
            }
            else
            {
                var query = db.Organizations.AsNoTracking().Where(o => o.Id == organizationId).Select(o => (Guid?)o.EnterpriseId);
                if ((synchronous ? query.FirstOrDefault() : await query.FirstOrDefaultAsync(cancellationToken)) is { } enterpriseId)
                {
                    enterprises.Add(enterpriseId);
                }
            }
        }

        foreach (var keyId in providerKeys)
        {
            var tracked = db.ChangeTracker.Entries<ProviderKey>().FirstOrDefault(k => k.Entity.Id == keyId);
            if (tracked is not null)
            {
                enterprises.Add(tracked.Entity.EnterpriseId);
            }
            else
            {
                var query = db.ProviderKeys.AsNoTracking().Where(k => k.Id == keyId).Select(k => (Guid?)k.EnterpriseId);
                if ((synchronous ? query.FirstOrDefault() : await query.FirstOrDefaultAsync(cancellationToken)) is { } enterpriseId)
                {
                    enterprises.Add(enterpriseId);
                }
            }
        }

        var now = time.GetUtcNow();
        foreach (var enterpriseId in enterprises)
        {
            var row = db.ChangeTracker.Entries<PolicyVersion>().FirstOrDefault(v => v.Entity.EnterpriseId == enterpriseId)?.Entity
                      ?? (synchronous ? db.PolicyVersions.Find(enterpriseId) : await db.PolicyVersions.FindAsync([enterpriseId], cancellationToken));
            if (row is null)
            {
                var enterpriseExists = db.ChangeTracker.Entries<Enterprise>().Any(e => e.Entity.Id == enterpriseId && e.State != EntityState.Deleted)
                                       || (synchronous ? db.Enterprises.Any(e => e.Id == enterpriseId) : await db.Enterprises.AnyAsync(e => e.Id == enterpriseId, cancellationToken));
                if (!enterpriseExists)
                {
                    continue;
                }

                db.PolicyVersions.Add(new PolicyVersion { EnterpriseId = enterpriseId, ChangedAt = now });
            }
            else
            {
                row.Version = Guid.NewGuid();
                row.ChangedAt = now;
            }
        }

        db.PendingPolicyChanges = enterprises;
    }

    private static bool IsActivityOnly(object entity, string column) =>
        ActivityOnly.Contains(column) || (entity is ProviderKey && ProviderKeyTestRecord.Contains(column));

    private static bool ChangesPolicy(EntityEntry entry) => entry.Entity switch
    {
        Enterprise => entry.State == EntityState.Modified && entry.Properties.Any(p => p.IsModified && p.Metadata.Name == nameof(Enterprise.AllowOrganizationKeys)),
        Organization or ProviderKey or CustomModel or ProviderKeyAssignment or ModelAccessGrant or OrganizationModelSetting or OrganizationApiKey =>
            entry.State is EntityState.Added or EntityState.Deleted
            || (entry.State == EntityState.Modified && entry.Properties.Any(p => p.IsModified && !IsActivityOnly(entry.Entity, p.Metadata.Name))),
        _ => false,
    };

    private static Guid Original(EntityEntry entry, string property, Guid current) =>
        entry.State == EntityState.Deleted ? (Guid)entry.Property(property).OriginalValue! : current;
}
