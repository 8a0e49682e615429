using ByokPortal.Core.Common;
using ByokPortal.Persistence;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ByokPortal.Secrets.KeyRing;

/// <summary>
/// The Data Protection key ring protects sign-in cookies and antiforgery tokens, and encrypts the local secret store (the portal and the
/// gateway host share it to read the same local secrets).
/// Embedded default: files in <c>{data directory}/keys</c> (owner-only), beside the secrets they protect. With SQL Server: the shared
/// database, so every instance behind a load balancer reads the same ring. With <c>Portal:DataProtection:KeyVaultCertificateName</c>
/// every key is encrypted at rest with that Key Vault certificate (production: infra/ creates it).
/// </summary>
public static class DataProtectionSetup
{
    public static IHostApplicationBuilder AddPortalDataProtection(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddDataProtection().SetApplicationName("ByokPortal");
        builder.Services.TryAddScoped(sp => sp.GetRequiredService<IDbContextFactory<SqlServerPortalDbContext>>().CreateDbContext());
        builder.Services.AddOptions<PortalDataProtectionOptions>().BindConfiguration(PortalDataProtectionOptions.SectionName)
            .Validate<IOptions<SecretsOptions>>(
                (options, secrets) => string.IsNullOrWhiteSpace(options.KeyVaultCertificateName) || secrets.Value.VaultUri is not null,
                "Portal:DataProtection:KeyVaultCertificateName is set but Portal:Secrets:VaultUri (the vault that holds the certificate) is not.")
            .ValidateOnStart();
        builder.Services.AddSingleton<KeyRingCertificates>();
        builder.Services.AddOptions<KeyManagementOptions>()
            .Configure<IServiceProvider>((options, services) =>
            {
                var loggers = services.GetRequiredService<ILoggerFactory>();
                options.XmlRepository = services.GetRequiredService<IOptions<DatabaseOptions>>().Value.Provider == DatabaseProvider.SqlServer
                    ? new EntityFrameworkCoreXmlRepository<SqlServerPortalDbContext>(services, loggers)
                    : new PrivateFileSystemXmlRepository(new DirectoryInfo(services.GetRequiredService<PortalDataDirectory>().Combine("keys")), loggers);
                var certificates = services.GetRequiredService<KeyRingCertificates>();
                if (certificates.IsConfigured)
                {
                    options.XmlEncryptor = new CertificateKeyRingEncryptor(certificates.Current, loggers);
                }
            });
        return builder;
    }

    /// <summary>Reads the key ring's certificate at start, so that a missing certificate or permission stops the start with its reason.</summary>
    public static async Task LoadKeyRingCertificatesAsync(this IServiceProvider services, CancellationToken cancellationToken)
    {
        var certificates = services.GetRequiredService<KeyRingCertificates>();
        if (certificates.IsConfigured)
        {
            await certificates.LoadAsync(cancellationToken);
        }
    }
}
