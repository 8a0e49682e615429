using ByokPortal.Core.Common;
using ByokPortal.Core.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
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
        services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.SectionName);
        

        services.AddDbContextFactory<SqlitePortalDbContext>((sp, options) =>
            options.UseSqlite(SqliteConnectionString(sp), sqlite => sqlite
                .MigrationsHistoryTable("__EFMigrationsHistory")
                .UseParameterizedCollectionMode(ParameterTranslationMode.Parameter)));
        services.AddDbContextFactory<SqlServerPortalDbContext>((sp, options) =>
            options.UseSqlServer(
                sp.GetRequiredService<IConfiguration>().GetConnectionString(DatabaseOptions.ConnectionStringName)
                ?? throw new InvalidOperationException($"Portal:Database:Provider is SqlServer but ConnectionStrings:{DatabaseOptions.ConnectionStringName} is not set."),
                // One JSON parameter (OPENJSON) for collections such as the 5,000 organizations of an access grant,
                // instead of one parameter per item, which SQL Server refuses above 2,100.
                sql => sql.EnableRetryOnFailure().UseParameterizedCollectionMode(ParameterTranslationMode.Parameter)));

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
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return configured;
        }

        var file = Path.Combine(sp.GetRequiredService<PortalDataDirectory>().Path, "portal.db");
        return new SqliteConnectionStringBuilder { DataSource = file, Pooling = true, DefaultTimeout = 30 }.ToString();
    }
}
