using ByokPortal.Core.Common;
using ByokPortal.Core.Enterprises;
using ByokPortal.Persistence.Seeding;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ByokPortal.Persistence;

/// <summary>
/// Runs once at start, before the portal serves requests: applies migrations (the SQLite file is created by them),
/// then seeds the demo data, or creates the configured enterprise of a new installation.
/// </summary>
public sealed partial class PortalDatabaseInitializer(
    IServiceProvider services,
    IOptions<DatabaseOptions> databaseOptions,
    IOptions<PortalOptions> portalOptions,
    TimeProvider time,
    ILogger<PortalDatabaseInitializer> logger)
{
    public async Task InitializeAsync(bool seedDemoData, CancellationToken cancellationToken)
    {
        await using var db = services.CreatePortalDbContext();
        if (databaseOptions.Value.Provider == DatabaseProvider.Sqlite)
        {
            CreatePrivateDatabaseFile(db);
        }

        if (databaseOptions.Value.MigrateOnStartup)
        {
            var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
            await db.Database.MigrateAsync(cancellationToken);
            LogMigrated(logger, databaseOptions.Value.Provider, pending.Count);
        }

        if (databaseOptions.Value.Provider == DatabaseProvider.Sqlite)
        {
            // Write-ahead logging lets readers go on while a writer commits.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }

        if (seedDemoData)
        {
            if (await DemoData.SeedAsync(db, time, cancellationToken))
            {
                LogDemoSeeded(logger);
            }

            return;
        }

        var bootstrap = portalOptions.Value.Enterprise;
        if (!await db.Enterprises.AnyAsync(cancellationToken))
        {
            if (!Slug.IsValid(bootstrap.Slug))
            {
                throw new InvalidOperationException($"Portal:Enterprise:Slug '{bootstrap.Slug}' is not a valid URL name (lower-case letters, digits and single hyphens).");
            }

            db.Enterprises.Add(new Enterprise { Slug = bootstrap.Slug, Name = bootstrap.Name, CreatedAt = time.GetUtcNow() });
            await db.SaveChangesAsync(cancellationToken);
            LogEnterpriseCreated(logger, bootstrap.Slug);
        }
    }

    /// <summary>
    /// An empty file is an empty SQLite database: creating it before SQLite does, readable by the owner only, gives it those permissions,
    /// and SQLite gives its -wal, -shm and -journal files the permissions of the database file.
    /// </summary>
    private static void CreatePrivateDatabaseFile(PortalDbContext db)
    {
        var file = new SqliteConnectionStringBuilder(db.Database.GetConnectionString()).DataSource;
        if (string.IsNullOrEmpty(file) || file == ":memory:" || File.Exists(file))
        {
            return;
        }

        try
        {
            using var created = new FileStream(file, PrivateFiles.NewFile());
        }
        catch (IOException) when (File.Exists(file))
        {
            // Another instance created it first.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Database ready ({Provider}); {Count} migration(s) applied.")]
    private static partial void LogMigrated(ILogger logger, DatabaseProvider provider, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo data seeded: enterprise Contoso, its organizations and demo people.")]
    private static partial void LogDemoSeeded(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Enterprise '{Slug}' created for this new installation.")]
    private static partial void LogEnterpriseCreated(ILogger logger, string slug);
}
