using Azure.Security.KeyVault.Secrets;
using ByokPortal.Core.Common;
using ByokPortal.Core.Data;
using ByokPortal.Secrets;
using ByokPortal.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ByokPortal.Web.Tests.Faults;

/// <summary>
/// The portal on a real SQLite file with a one-second busy timeout, and Key Vault as its secret store: the real
/// <see cref="SecretClient"/> (no retries, so an outage shows at once) against <see cref="KeyVaultStandIn"/>, which can be down on
/// demand. Only the sign-in to the vault is replaced (no Entra ID is reachable here).
/// </summary>
public sealed class FaultPortalFixture : IAsyncLifetime
{
    public PortalAppFactory Factory { get; } = new PortalAppFactory().WithSetting("Portal:Database:BusyTimeout", "00:00:01");

    public KeyVaultStandIn Vault { get; private set; } = default!;

    public async ValueTask InitializeAsync()
    {
        Vault = await KeyVaultStandIn.StartAsync();
        Factory.WithSetting("Portal:Secrets:Provider", "KeyVault")
            .WithSetting("Portal:Secrets:VaultUri", Vault.VaultUri.ToString())
            .WithSetting("Portal:Secrets:MaxRetries", "0")
            .WithServices(services =>
            {
                services.RemoveAll<SecretClient>();
                services.AddSingleton(Vault.CreateClient(options: new SecretsOptions { MaxRetries = 0 }));
            });
        _ = Factory.Services;
    }

    public async Task<Actor> ActorAsync(string email)
    {
        await using var db = await Factory.Services.GetRequiredService<IPortalDbContextFactory>().CreateAsync();
        var id = await db.People.Where(p => p.Email == email).Select(p => p.Id).SingleAsync();
        return new Actor(id, email, "127.0.0.1");
    }

    public async ValueTask DisposeAsync()
    {
        await Factory.DisposeAsync();
        if (Vault is not null)
        {
            await Vault.DisposeAsync();
        }
    }
}
