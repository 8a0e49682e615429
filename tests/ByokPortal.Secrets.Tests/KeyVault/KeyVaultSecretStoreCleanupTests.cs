using Azure;
using Azure.Security.KeyVault.Secrets;
using ByokPortal.Core.Secrets;
using ByokPortal.Secrets.KeyVault;
using ByokPortal.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ByokPortal.Secrets.Tests.KeyVault;

/// <summary>
/// Listing the vault's credentials (paged, as Key Vault pages), taking back one version, and a vault that is down — through the real
/// <see cref="SecretClient"/> against <see cref="KeyVaultStandIn"/>.
/// </summary>
public sealed class KeyVaultSecretStoreCleanupTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 5, 4, 8, 0, 0, TimeSpan.Zero));
    private KeyVaultStandIn _vault = default!;
    private KeyVaultSecretStore _store = default!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _vault = await KeyVaultStandIn.StartAsync();
        _vault.Clock = _clock;
        _vault.PageSize = 5;
        _store = new KeyVaultSecretStore(_vault.CreateClient(options: new SecretsOptions { MaxRetries = 0 }), Options.Create(new SecretsOptions { MaxRetries = 0 }), TestCaches.Hybrid());
    }

    public async ValueTask DisposeAsync()
    {
        await _vault.DisposeAsync();
    }

    [Fact]
    public async Task ListAsync_MorePortalSecretsThanOnePage_ListsEveryOneWithItsTimeAndNoOtherSecret()
    {
        var created = new List<string>();
        for (var i = 0; i < 12; i++)
        {
            created.Add((await _store.CreateAsync("value-" + i, Ct)).Name);
        }

        var writtenAt = _clock.GetUtcNow();

        // A vault shared with other applications: their secrets are not the portal's to list (nor to sweep).
        var client = _vault.CreateClient();
        await client.SetSecretAsync(new KeyVaultSecret("db-connection", "Server=x"), Ct);
        await client.SetSecretAsync(new KeyVaultSecret("byok-" + Guid.NewGuid().ToString("N"), "someone else's") { Properties = { ContentType = "text/plain" } }, Ct);

        var listed = new List<StoredSecret>();
        await foreach (var secret in _store.ListAsync(Ct))
        {
            listed.Add(secret);
        }

        Assert.Equal(created.Order(StringComparer.Ordinal), listed.Select(s => s.Name).Order(StringComparer.Ordinal));
        Assert.All(listed, s => Assert.Equal(writtenAt, s.LastWrittenAt));
        Assert.True(_vault.Count(KeyVaultOperation.ListSecrets) >= 3, "the 14 secrets were not listed page by page");
    }

    [Fact]
    public async Task DeleteVersionAsync_NewVersionAlreadyRead_IsDisabledNotServedFromCacheAndThePreviousStaysReadable()
    {
        var first = await _store.CreateAsync("value-one", Ct);
        var second = await _store.UpdateAsync(first.Name, "value-two", Ct);
        Assert.True(await _store.GetAsync(second, Ct) == "value-two", "the new version did not read back");

        await _store.DeleteVersionAsync(second, Ct);

        Assert.False(_vault.IsEnabled(second.Name, second.Version));
        Assert.True(_vault.IsEnabled(first.Name, first.Version));
        var refused = await Assert.ThrowsAsync<SecretStoreUnavailableException>(() => _store.GetAsync(second, Ct));
        Assert.Equal(403, Assert.IsType<RequestFailedException>(refused.InnerException).Status);
        Assert.True(await _store.GetAsync(first, Ct) == "value-one", "the previous version no longer reads back");
        Assert.Equal(1, _vault.Count(KeyVaultOperation.UpdateSecretProperties));
    }

    [Fact]
    public async Task EveryOperation_VaultDown_ThrowsSecretStoreUnavailableWithTheCauseAndNoValue()
    {
        var reference = await _store.CreateAsync("value-kept", Ct);
        _vault.Down = true;

        var failures = new List<SecretStoreUnavailableException>
        {
            await Assert.ThrowsAsync<SecretStoreUnavailableException>(() => _store.CreateAsync("sk-new-value", Ct)),
            await Assert.ThrowsAsync<SecretStoreUnavailableException>(() => _store.UpdateAsync(reference.Name, "sk-new-value", Ct)),
            await Assert.ThrowsAsync<SecretStoreUnavailableException>(() => _store.GetAsync(reference, Ct)),
            await Assert.ThrowsAsync<SecretStoreUnavailableException>(() => _store.DeleteAsync(reference.Name, Ct)),
            await Assert.ThrowsAsync<SecretStoreUnavailableException>(() => _store.DeleteVersionAsync(reference, Ct)),
            await Assert.ThrowsAsync<SecretStoreUnavailableException>(async () =>
            {
                await foreach (var secret in _store.ListAsync(Ct))
                {
                    Assert.Fail("listed " + secret.Name + " while the vault is down");
                }
            }),
        };

        Assert.All(failures, f => Assert.Equal(503, Assert.IsType<RequestFailedException>(f.InnerException).Status));
        Assert.All(failures, f => Assert.False(f.ToString().Contains("sk-new-value", StringComparison.Ordinal) || f.ToString().Contains("value-kept", StringComparison.Ordinal),
            "an exception carries a secret's value"));

        _vault.Down = false;
        Assert.True(await _store.GetAsync(reference, Ct) == "value-kept", "the secret did not survive the vault's outage");
    }
}
