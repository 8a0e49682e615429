using ByokPortal.Core.ApiKeys;
using ByokPortal.Core.Audit;
using ByokPortal.Core.Availability;
using ByokPortal.Core.CustomModels;
using ByokPortal.Core.Enterprises;
using ByokPortal.Core.Identity;
using ByokPortal.Core.Organizations;
using ByokPortal.Core.People;
using ByokPortal.Core.ProviderKeys;
using ByokPortal.Core.Usage;
using ByokPortal.Core.Sessions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace ByokPortal.Core.Data;

/// <summary>
/// The portal's database as the use cases see it. Implemented by the EF Core context in ByokPortal.Persistence;
/// one short-lived instance per operation, from <see cref="IPortalDbContextFactory"/>.
/// </summary>
public interface IPortalDbContext : IAsyncDisposable
{
    DbSet<Enterprise> Enterprises { get; }

    DbSet<Organization> Organizations { get; }

    DbSet<Person> People { get; }

    DbSet<EnterpriseMembership> EnterpriseMemberships { get; }

    DbSet<OrganizationMembership> OrganizationMemberships { get; }

    DbSet<ProviderKey> ProviderKeys { get; }

    DbSet<ProviderKeyAssignment> ProviderKeyAssignments { get; }

    DbSet<CustomModel> CustomModels { get; }

    DbSet<ModelAccessGrant> ModelAccessGrants { get; }

    DbSet<OrganizationModelSetting> OrganizationModelSettings { get; }

    DbSet<OrganizationApiKey> OrganizationApiKeys { get; }

    DbSet<AuditEvent> AuditEvents { get; }

    DbSet<GroupMapping> GroupMappings { get; }

    DbSet<DirectoryGroup> DirectoryGroups { get; }

    DbSet<DirectoryGroupMember> DirectoryGroupMembers { get; }

    DbSet<SignInGroup> SignInGroups { get; }

    DbSet<ScimToken> ScimTokens { get; }

    DbSet<PolicyVersion> PolicyVersions { get; }

    /// <summary>Every runtime call. Write them with <see cref="AppendUsageAsync"/> (never Add and SaveChanges): it keeps <see cref="UsageHours"/> in step.</summary>
    DbSet<UsageRecord> UsageRecords { get; }

    /// <summary>The usage rows summed per hour, API key, provider key and model: what usage is read from.</summary>
    DbSet<UsageHour> UsageHours { get; }

    DbSet<PersonSession> PersonSessions { get; }

    DatabaseFacade Database { get; }

    EntityEntry<TEntity> Entry<TEntity>(TEntity entity)
        where TEntity : class;

    Task<int> SaveChangesAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Appends rows in bulk (multi-row INSERTs in the current transaction, if any), without change tracking and without SaveChanges — so
    /// without its policy-version renewal: for append-only rows written at volume (usage records) and fixtures, never for what decides
    /// availability.
    /// </summary>
    Task BulkInsertAsync<TEntity>(IReadOnlyCollection<TEntity> rows, CancellationToken cancellationToken = default)
        where TEntity : class;

    /// <summary>
    /// The one way usage is written: appends the rows (as <see cref="BulkInsertAsync"/>) and adds them to their hours' totals
    /// (<see cref="UsageHours"/>, created or incremented in the database, so instances writing at once add up), in the current transaction,
    /// or in one of its own when there is none.
    /// </summary>
    Task AppendUsageAsync(IReadOnlyCollection<UsageRecord> records, CancellationToken cancellationToken = default);
}

public interface IPortalDbContextFactory
{
    Task<IPortalDbContext> CreateAsync(CancellationToken cancellationToken = default);
}
