using ByokPortal.Core.Common;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ByokPortal.Persistence;

/// <summary>
/// The Data Protection key ring protects sign-in cookies and antiforgery tokens, and encrypts the local secret store (the portal and the
/// gateway host must share it to read the same local secrets).
/// Embedded default: files in <c>{data directory}/keys</c>. With SQL Server: the shared database, so every instance behind a
/// load balancer reads the same ring.
/// </summary>
public static class DataProtectionSetup
{
    public static IHostApplicationBuilder AddPortalDataProtection(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddDataProtection().SetApplicationName("ByokPortal");
        builder.Services.TryAddScoped(sp => sp.GetRequiredService<IDbContextFactory<SqlServerPortalDbContext>>().CreateDbContext());
        builder.Services.AddOptions<KeyManagementOptions>()
            .Configure<IServiceProvider>((options, services) =>
            {
                var loggers = services.GetRequiredService<ILoggerFactory>();
                options.XmlRepository = services.GetRequiredService<IOptions<DatabaseOptions>>().Value.Provider == DatabaseProvider.SqlServer
                    ? new EntityFrameworkCoreXmlRepository<SqlServerPortalDbContext>(services, loggers)
                    : new FileSystemXmlRepository(new DirectoryInfo(services.GetRequiredService<PortalDataDirectory>().Combine("keys")), loggers);
            });
        return builder;
    }
}
