using System.Net;
using System.Text.Json;
using Azure.Security.KeyVault.Secrets;
using ByokPortal.Core.Secrets;
using ByokPortal.Secrets.KeyVault;
using ByokPortal.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ByokPortal.Secrets.Tests.KeyVault;

/// <summary>The portal configured for Key Vault (AddPortalSecrets through the real Program), with only the SecretClient pointed at the stand-in.</summary>
public sealed class KeyVaultWiringTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Healthz_ProviderKeyVault_ReportsSecretStoreHealthyAndUsesKeyVaultStore()
    {
        await using var vault = await KeyVaultStandIn.StartAsync();
        var vaultUri = new Uri("https://vault.test/");
        await using var portal = new PortalAppFactory()
            .WithSetting("Portal:Secrets:Provider", "KeyVault")
            .WithSetting("Portal:Secrets:VaultUri", vaultUri.ToString())
            .WithServices(services =>
            {
                services.RemoveAll<SecretClient>();
                services.AddSingleton(vault.CreateClient(vaultUri));
            });
        // An enterprise owner sees each check's status (anonymous callers get only the overall status).
        using var client = await portal.CreateSignedInClientAsync(DemoSignIn.EnterpriseOwner);

        using var response = await client.GetAsync(new Uri("/healthz", UriKind.Relative), Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var health = JsonDocument.Parse(body);
        Assert.Equal("Healthy", health.RootElement.GetProperty("status").GetString());
        Assert.Equal("Healthy", health.RootElement.GetProperty("checks").GetProperty("secrets").GetString());
        Assert.IsType<KeyVaultSecretStore>(portal.Services.GetRequiredService<ISecretStore>());
        Assert.Contains(vault.Requests, r =>
            r is { Operation: KeyVaultOperation.GetLatestSecret, Outcome: KeyVaultOutcome.Served, Status: 404 }
            && r.SecretName == KeyVaultSecretStore.HealthProbeName);
        Assert.Empty(vault.SecretNames);
    }
}
