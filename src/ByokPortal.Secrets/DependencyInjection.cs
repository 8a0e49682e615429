using Azure.Core;
using Azure.Identity;
using Azure.Security.KeyVault.Secrets;
using ByokPortal.Core.Secrets;
using ByokPortal.Secrets.KeyVault;
using ByokPortal.Secrets.Local;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ByokPortal.Secrets;

public static class DependencyInjection
{
    /// <summary>
    /// The secret store: <c>Portal:Secrets:Provider</c> = Local (default; needs Data Protection, registered by the web app)
    /// or KeyVault with <c>Portal:Secrets:VaultUri</c>, signing in with <see cref="DefaultAzureCredential"/> (managed identity in Azure).
    /// A <see cref="TokenCredential"/> registered in the container replaces DefaultAzureCredential.
    /// </summary>
    public static IHostApplicationBuilder AddPortalSecrets(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<SecretsOptions>()
            .BindConfiguration(SecretsOptions.SectionName)
            .Validate(o => o.Provider != SecretStoreProvider.KeyVault || o.VaultUri is not null,
                "Portal:Secrets:Provider is KeyVault but Portal:Secrets:VaultUri is not set.")
            .ValidateOnStart();

        services.AddSingleton<LocalSecretStore>();
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<SecretsOptions>>().Value;
            var clientOptions = CreateSecretClientOptions(options);
            return new SecretClient(options.VaultUri!, sp.GetService<TokenCredential>() ?? new DefaultAzureCredential(), clientOptions);
        });
        services.AddHybridCache();
        services.AddSingleton<KeyVaultSecretStore>();
        services.AddSingleton<ISecretStore>(sp =>
            sp.GetRequiredService<IOptions<SecretsOptions>>().Value.Provider == SecretStoreProvider.KeyVault
                ? sp.GetRequiredService<KeyVaultSecretStore>()
                : sp.GetRequiredService<LocalSecretStore>());
        return builder;
    }

    /// <summary>
    /// The client options the portal uses against Key Vault: exponential retries on 429 and 5xx that honour Retry-After,
    /// and no request or response bodies in the logs. Public so tests run the real client with the same settings.
    /// </summary>
    public static SecretClientOptions CreateSecretClientOptions(SecretsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new SecretClientOptions
        {
            Retry =
            {
                Mode = RetryMode.Exponential,
                MaxRetries = options.MaxRetries,
                Delay = TimeSpan.FromMilliseconds(800),
                MaxDelay = TimeSpan.FromSeconds(30),
                NetworkTimeout = TimeSpan.FromSeconds(30),
            },
            Diagnostics = { IsLoggingContentEnabled = false, IsLoggingEnabled = true },
        };
    }
}
