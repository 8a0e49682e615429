using ByokPortal.Core.Access;
using ByokPortal.Core.Common;
using ByokPortal.Core.ProviderKeys;
using ByokPortal.Core.Secrets;
using ByokPortal.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace ByokPortal.Core.Tests.ProviderKeys;

/// <summary>
/// A save that writes its secret and then fails to write the database takes the secret back: nothing is left in the store that no
/// key references, and an edited key goes on with its previous version. The database fails for real: another connection holds the
/// SQLite file's write lock (<c>BEGIN EXCLUSIVE</c>) past the portal's one-second busy timeout.
/// </summary>
public sealed class SecretCleanupTests(ShortBusyTimeoutFixture fixture) : IClassFixture<ShortBusyTimeoutFixture>
{
    private static CancellationToken Ct => PortalFixture.Ct;

    private static readonly KeyScope Contoso = KeyScope.Enterprise("contoso");

    [Fact]
    public async Task Add_DatabaseLockedAfterTheSecretWrite_FailsLeavesNoSecretThenSavesOnceReleased()
    {
        var ada = await fixture.ActorAsync(DemoSignIn.EnterpriseOwner);
        var credential = TestData.NewCredential();
        var name = TestData.UniqueName("Locked out");
        var input = TestData.Input(ProviderKind.OpenAI, name, credential, fixture.StandIn.OpenAIBaseUrl, "gpt-4o");
        var secretsBefore = fixture.SecretFolders();

        Exception failure;
        await using (await SqliteWriteLock.TakeAsync(fixture.Factory.DataDirectory))
        {
            failure = await Assert.ThrowsAnyAsync<Exception>(() => fixture.Get<AddProviderKeyCommand>().ExecuteAsync(ada, Contoso, input, Ct));
        }

        Assert.True(IsDatabaseLocked(failure), "the save did not fail on the lock: " + failure.GetType().Name);
        Assert.Equal(secretsBefore, fixture.SecretFolders());
        await using (var db = await fixture.DbAsync())
        {
            Assert.False(await db.ProviderKeys.AnyAsync(k => k.Name == name, Ct), "a key row was written");
        }

        Assert.False(fixture.Factory.Logs.AllText.Contains(credential, StringComparison.Ordinal), "the logs hold the credential");

        // The same input saves once the lock is gone.
        var saved = await fixture.Get<AddProviderKeyCommand>().ExecuteAsync(ada, Contoso, input, Ct);
        Assert.True(saved.IsSuccess, saved.Error?.Message);
        Assert.Single(fixture.SecretFolders().Except(secretsBefore));
    }

    [Fact]
    public async Task Update_NewCredentialWhileDatabaseLocked_FailsAndTheKeyGoesOnWithItsPreviousVersion()
    {
        var (ada, key, credential) = await AddKeyAsync(ProviderKind.OpenAI, TestData.NewCredential());
        var newCredential = TestData.NewCredential();

        await using (await SqliteWriteLock.TakeAsync(fixture.Factory.DataDirectory))
        {
            var failure = await Assert.ThrowsAnyAsync<Exception>(() => fixture.Get<UpdateProviderKeyCommand>().ExecuteAsync(ada, Contoso, key.Id, key.Version,
                TestData.Input(key.Provider, key.Name, newCredential, key.BaseUrl), Ct));
            Assert.True(IsDatabaseLocked(failure), "the save did not fail on the lock: " + failure.GetType().Name);
        }

        var now = await LoadAsync(key.Id);
        Assert.Equal((key.SecretName, key.SecretVersion, key.MaskedHint, key.Version), (now.SecretName, now.SecretVersion, now.MaskedHint, now.Version));
        Assert.Equal([key.SecretVersion + ".bin"], VersionFiles(key.SecretName!));
        Assert.True(await fixture.Get<ISecretStore>().GetAsync(now.SecretReference!, Ct) == credential, "the key no longer reads its credential");
        Assert.False(fixture.Factory.Logs.AllText.Contains(newCredential, StringComparison.Ordinal), "the logs hold the new credential");
    }

    [Fact]
    public async Task Update_NewCredentialLosingAConcurrentEdit_IsAConflictAndTakesBackTheNewVersion()
    {
        var (ada, key, credential) = await AddKeyAsync(ProviderKind.OpenAI, TestData.NewCredential());
        var first = await fixture.Get<UpdateProviderKeyCommand>().ExecuteAsync(ada, Contoso, key.Id, key.Version,
            TestData.Input(key.Provider, TestData.UniqueName("Renamed"), null, key.BaseUrl), Ct);
        Assert.True(first.IsSuccess, first.Error?.Message);

        var stale = await fixture.Get<UpdateProviderKeyCommand>().ExecuteAsync(ada, Contoso, key.Id, key.Version,
            TestData.Input(key.Provider, key.Name, TestData.NewCredential(), key.BaseUrl), Ct);

        Assert.IsType<ConflictError>(stale.Error);
        Assert.Equal([key.SecretVersion + ".bin"], VersionFiles(key.SecretName!));
        var now = await LoadAsync(key.Id);
        Assert.Equal(key.SecretVersion, now.SecretVersion);
        Assert.True(await fixture.Get<ISecretStore>().GetAsync(now.SecretReference!, Ct) == credential, "the key no longer reads its credential");
    }

    [Fact]
    public async Task Update_FirstCredentialOfAKeylessKeyWhileDatabaseLocked_LeavesNoSecret()
    {
        var (ada, key, _) = await AddKeyAsync(ProviderKind.Ollama, credential: null);
        var secretsBefore = fixture.SecretFolders();

        await using (await SqliteWriteLock.TakeAsync(fixture.Factory.DataDirectory))
        {
            await Assert.ThrowsAnyAsync<Exception>(() => fixture.Get<UpdateProviderKeyCommand>().ExecuteAsync(ada, Contoso, key.Id, key.Version,
                TestData.Input(key.Provider, key.Name, TestData.NewCredential(), key.BaseUrl), Ct));
        }

        Assert.Equal(secretsBefore, fixture.SecretFolders());
        Assert.Null((await LoadAsync(key.Id)).SecretName);
    }

    private async Task<(Actor Ada, ProviderKey Key, string? Credential)> AddKeyAsync(ProviderKind provider, string? credential)
    {
        var ada = await fixture.ActorAsync(DemoSignIn.EnterpriseOwner);
        var baseUrl = provider == ProviderKind.Ollama ? "http://localhost:11434/v1" : fixture.StandIn.OpenAIBaseUrl;
        var added = await fixture.Get<AddProviderKeyCommand>().ExecuteAsync(ada, Contoso,
            TestData.Input(provider, TestData.UniqueName("Kept"), credential, baseUrl, "gpt-4o"), Ct);
        Assert.True(added.IsSuccess, added.Error?.Message);
        return (ada, await LoadAsync(added.Value.Id), credential);
    }

    private async Task<ProviderKey> LoadAsync(Guid id)
    {
        await using var db = await fixture.DbAsync();
        return await db.ProviderKeys.AsNoTracking().SingleAsync(k => k.Id == id, Ct);
    }

    private string[] VersionFiles(string secretName) =>
        [.. Directory.GetFiles(Path.Combine(fixture.SecretsDirectory, secretName)).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal)];

    private static bool IsDatabaseLocked(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is SqliteException { SqliteErrorCode: 5 })
            {
                return true;
            }
        }

        return false;
    }
}
