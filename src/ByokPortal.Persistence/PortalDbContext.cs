using ByokPortal.Core.ApiKeys;
using ByokPortal.Core.Audit;
using ByokPortal.Core.Availability;
using ByokPortal.Core.Common;
using ByokPortal.Core.CustomModels;
using ByokPortal.Core.Data;
using ByokPortal.Core.Enterprises;
using ByokPortal.Core.Identity;
using ByokPortal.Core.Organizations;
using ByokPortal.Core.People;
using ByokPortal.Core.ProviderKeys;
using ByokPortal.Core.Usage;
using ByokPortal.Core.Sessions;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace ByokPortal.Persistence;

/// <summary>
/// The portal's EF Core model. Provider-specific subclasses (<see cref="SqlitePortalDbContext"/>, <see cref="SqlServerPortalDbContext"/>)
/// exist only so that each database provider keeps its own migrations set.
/// </summary>
public abstract class PortalDbContext(DbContextOptions options) : DbContext(options), IPortalDbContext, IDataProtectionKeyContext
{
    public DbSet<Enterprise> Enterprises => Set<Enterprise>();

    public DbSet<Organization> Organizations => Set<Organization>();

    public DbSet<Person> People => Set<Person>();

    public DbSet<EnterpriseMembership> EnterpriseMemberships => Set<EnterpriseMembership>();

    public DbSet<OrganizationMembership> OrganizationMemberships => Set<OrganizationMembership>();

    public DbSet<ProviderKey> ProviderKeys => Set<ProviderKey>();

    public DbSet<ProviderKeyAssignment> ProviderKeyAssignments => Set<ProviderKeyAssignment>();

    public DbSet<CustomModel> CustomModels => Set<CustomModel>();

    public DbSet<ModelAccessGrant> ModelAccessGrants => Set<ModelAccessGrant>();

    public DbSet<OrganizationModelSetting> OrganizationModelSettings => Set<OrganizationModelSetting>();

    public DbSet<OrganizationApiKey> OrganizationApiKeys => Set<OrganizationApiKey>();

    public DbSet<AuditEvent> AuditEvents => Set<AuditEvent>();

    public DbSet<GroupMapping> GroupMappings => Set<GroupMapping>();

    public DbSet<DirectoryGroup> DirectoryGroups => Set<DirectoryGroup>();

    public DbSet<DirectoryGroupMember> DirectoryGroupMembers => Set<DirectoryGroupMember>();

    public DbSet<SignInGroup> SignInGroups => Set<SignInGroup>();

    public DbSet<ScimToken> ScimTokens => Set<ScimToken>();

    public DbSet<PolicyVersion> PolicyVersions => Set<PolicyVersion>();

    public DbSet<UsageRecord> UsageRecords => Set<UsageRecord>();

    public DbSet<UsageHour> UsageHours => Set<UsageHour>();

    /// <summary>Enterprises whose policy version the save in progress renews (set and read by <see cref="PolicyVersionInterceptor"/>).</summary>
    internal HashSet<Guid>? PendingPolicyChanges { get; set; }

    public DbSet<PersonSession> PersonSessions => Set<PersonSession>();

    /// <summary>The shared Data Protection key ring when several instances run against SQL Server.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public Task BulkInsertAsync<TEntity>(IReadOnlyCollection<TEntity> rows, CancellationToken cancellationToken = default)
        where TEntity : class =>
        new BulkWriter(this).InsertAsync(rows, cancellationToken);

    public async Task AppendUsageAsync(IReadOnlyCollection<UsageRecord> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (records.Count == 0)
        {
            return;
        }

        var writer = new BulkWriter(this);
        async Task AppendAsync(CancellationToken ct)
        {
            await writer.InsertAsync(records, ct);
            await writer.AddToTotalsAsync(UsageHour.Sum(records), ct);
        }

        if (Database.CurrentTransaction is not null)
        {
            await AppendAsync(cancellationToken);
            return;
        }

        await Database.CreateExecutionStrategy().ExecuteAsync(async ct =>
        {
            await using var transaction = await Database.BeginTransactionAsync(ct);
            await AppendAsync(ct);
            await transaction.CommitAsync(ct);
        }, cancellationToken);
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        RenewVersions();
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        RenewVersions();
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(PortalDbContext).Assembly);
    }

    /// <summary>Every modified versioned row gets a new version, so a concurrent editor still holding the old one gets a conflict.</summary>
    private void RenewVersions()
    {
        foreach (var entry in ChangeTracker.Entries<IVersioned>())
        {
            if (entry.State == EntityState.Modified)
            {
                entry.Entity.Version = Guid.NewGuid();
            }
        }
    }
}

/// <summary>
/// SQLite, the embedded default. DateTimeOffset is stored as a sortable integer, normalized to UTC, so the audit log can filter and
/// order by time in the database (see <see cref="UtcDateTimeOffsetToBinaryConverter"/>).
/// </summary>
public sealed class SqlitePortalDbContext(DbContextOptions<SqlitePortalDbContext> options) : PortalDbContext(options)
{
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        ArgumentNullException.ThrowIfNull(configurationBuilder);
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcDateTimeOffsetToBinaryConverter>();
    }
}

/// <summary>SQL Server and Azure SQL, for production.</summary>
public sealed class SqlServerPortalDbContext(DbContextOptions<SqlServerPortalDbContext> options) : PortalDbContext(options);
