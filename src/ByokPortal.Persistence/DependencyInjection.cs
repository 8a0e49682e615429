using ByokPortal.Core.Availability;
using ByokPortal.Core.Common;
using ByokPortal.Core.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ByokPortal.Persistence;

public static class DependencyInjection
{
    /// <summary>
    /// The database: SQLite in the data directory by default, SQL Server with <c>Portal:Database:Provider=SqlServer</c> and
    /// <c>ConnectionStrings:Portal</c>. Use cases get short-lived contexts through <see cref="IPortalDbContextFactory"/>.
    /// </summary>
    public static IHostApplicationBuilder AddPortalPersistence(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<DatabaseOptions>()
            .BindConfiguration(DatabaseOptions.SectionName)
            .Validate(o => o.BusyTimeout >= TimeSpan.FromSeconds(1) && o.BusyTimeout <= TimeSpan.FromMinutes(10),
                "Portal:Database:BusyTimeout must be between 00:00:01 and 00:10:00.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<PolicyChangeSignal>();
        services.TryAddSingleton<PolicyVersionInterceptor>();

        // Microsoft.Data.Sqlite retries a command that meets another connection's lock (SQLITE_BUSY / SQLITE_LOCKED) until the
        // command timeout has passed, then throws: the busy timeout is the connection's default timeout and EF Core's command timeout.
        services.AddDbContextFactory<SqlitePortalDbContext>((sp, options) =>
            options.UseSqlite(SqliteConnectionString(sp), sqlite => sqlite
                    .MigrationsHistoryTable("__EFMigrationsHistory")
                    .CommandTimeout(BusyTimeoutSeconds(sp))
                    .UseParameterizedCollectionMode(ParameterTranslationMode.Parameter))
                .AddInterceptors(sp.GetRequiredService<PolicyVersionInterceptor>()));

        // Transient SQL Server errors (failover, throttling of Azure SQL, deadlock victims) are retried by EF Core's execution strategy.
        // That is safe here because every use case writes with exactly one SaveChanges and opens no transaction of its own: the
        // strategy retries each SaveChanges (its own transaction) or query as a whole. A use case that needs several statements in one
        // transaction must run them inside Database.CreateExecutionStrategy().ExecuteAsync(...), which the retrying strategy requires.
        // Secret-store writes are not part of what is retried: they happen once, before SaveChanges, and are taken back when
        // SaveChanges finally fails (AddProviderKeyCommand, UpdateProviderKeyCommand).
        services.AddDbContextFactory<SqlServerPortalDbContext>((sp, options) =>
            options.UseSqlServer(
                sp.GetRequiredService<IConfiguration>().GetConnectionString(DatabaseOptions.ConnectionStringName)
                ?? throw new InvalidOperationException($"Portal:Database:Provider is SqlServer but ConnectionStrings:{DatabaseOptions.ConnectionStringName} is not set."),
                // One JSON parameter (OPENJSON) for collections such as the 5,000 organizations of an access grant,
                // instead of one parameter per item, which SQL Server refuses above 2,100.
                sql => sql.EnableRetryOnFailure().UseParameterizedCollectionMode(ParameterTranslationMode.Parameter))
                .AddInterceptors(sp.GetRequiredService<PolicyVersionInterceptor>()));

        services.AddSingleton<IPortalDbContextFactory>(sp =>
            sp.GetRequiredService<IOptions<DatabaseOptions>>().Value.Provider switch
            {
                DatabaseProvider.SqlServer => new PortalDbContextFactory<SqlServerPortalDbContext>(sp.GetRequiredService<IDbContextFactory<SqlServerPortalDbContext>>()),
                _ => new PortalDbContextFactory<SqlitePortalDbContext>(sp.GetRequiredService<IDbContextFactory<SqlitePortalDbContext>>()),
            });
        services.AddSingleton<PortalDatabaseInitializer>();
        return builder;
    }

    /// <summary>The context of the configured provider, for code that needs the concrete EF Core context (Data Protection key ring, health check).</summary>
    public static PortalDbContext CreatePortalDbContext(this IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        return services.GetRequiredService<IOptions<DatabaseOptions>>().Value.Provider switch
        {
            DatabaseProvider.SqlServer => services.GetRequiredService<IDbContextFactory<SqlServerPortalDbContext>>().CreateDbContext(),
            _ => services.GetRequiredService<IDbContextFactory<SqlitePortalDbContext>>().CreateDbContext(),
        };
    }

    private static string SqliteConnectionString(IServiceProvider sp)
    {
        var configured = sp.GetRequiredService<IConfiguration>().GetConnectionString(DatabaseOptions.ConnectionStringName);
        var builder = string.IsNullOrWhiteSpace(configured)
            ? new SqliteConnectionStringBuilder { DataSource = Path.Combine(sp.GetRequiredService<PortalDataDirectory>().Path, "portal.db"), Pooling = true }
            : new SqliteConnectionStringBuilder(configured);

        // Also the timeout of the commands Microsoft.Data.Sqlite issues itself (BEGIN of a transaction).
        builder.DefaultTimeout = BusyTimeoutSeconds(sp);
        return builder.ToString();
    }

    private static int BusyTimeoutSeconds(IServiceProvider sp) =>
        (int)Math.Ceiling(Math.Max(1, sp.GetRequiredService<IOptions<DatabaseOptions>>().Value.BusyTimeout.TotalSeconds));
}
