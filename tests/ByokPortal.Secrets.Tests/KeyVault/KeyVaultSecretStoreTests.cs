using System.Text.RegularExpressions;
using Azure;
using ByokPortal.Core.Secrets;
using ByokPortal.Secrets.KeyVault;
using ByokPortal.Testing;
using Microsoft.Extensions.Options;

namespace ByokPortal.Secrets.Tests.KeyVault;

/// <summary>
/// The Key Vault store through the real <see cref="Azure.Security.KeyVault.Secrets.SecretClient"/> (the portal's retry
/// options) against <see cref="KeyVaultStandIn"/>. Only the sign-in is replaced (<see cref="FixedTokenCredential"/>):
/// no Entra ID is reachable here.
/// </summary>
public sealed partial class KeyVaultSecretStoreTests : IAsyncLifetime
{
    private KeyVaultStandIn _vault = default!;
    private KeyVaultSecretStore _store = default!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _vault = await KeyVaultStandIn.StartAsync();
        _store = CreateStore(new SecretsOptions());
    }

    public async ValueTask DisposeAsync()
    {
        await _vault.DisposeAsync();
    }

    [Fact]
    public async Task CreateAsync_ThenGetAsync_ReturnsTheValue()
    {
        var value = "sk-test-" + Guid.NewGuid().ToString("N") + "-päss ✓";

        var reference = await _store.CreateAsync(value, Ct);

        Assert.Matches(VersionPattern(), reference.Version);
        Assert.Contains(reference.Name, _vault.SecretNames);
        Assert.True(await _store.GetAsync(reference, Ct) == value, "the value read back differs from the value written");
        Assert.Equal(1, _vault.Count(KeyVaultOperation.SetSecret));
        Assert.Equal(1, _vault.Count(KeyVaultOperation.GetSecretVersion));
    }

    [Fact]
    public async Task UpdateAsync_ExistingSecret_CreatesNewVersionAndOldVersionsStayReadable()
    {
        var first = await _store.CreateAsync("value-one", Ct);
        var second = await _store.UpdateAsync(first.Name, "value-two", Ct);
        var third = await _store.UpdateAsync(first.Name, "value-three", Ct);

        Assert.Equal(first.Name, second.Name);
        Assert.Equal(first.Name, third.Name);
        Assert.Equal(3, new[] { first.Version, second.Version, third.Version }.Distinct(StringComparer.Ordinal).Count());
        Assert.True(await _store.GetAsync(first, Ct) == "value-one", "the first version changed");
        Assert.True(await _store.GetAsync(second, Ct) == "value-two", "the second version changed");
        Assert.True(await _store.GetAsync(third, Ct) == "value-three", "the third version is wrong");
        Assert.Equal(3, _vault.Count(KeyVaultOperation.SetSecret));
        Assert.Equal(3, _vault.Count(KeyVaultOperation.GetSecretVersion));
        Assert.Equal(0, _vault.Count(KeyVaultOperation.GetLatestSecret));
    }

    [Fact]
    public async Task GetAsync_UnknownVersionOrName_ThrowsSecretNotFound()
    {
        var reference = await _store.CreateAsync("value", Ct);

        await Assert.ThrowsAsync<SecretNotFoundException>(() => _store.GetAsync(reference with { Version = Guid.NewGuid().ToString("N") }, Ct));
        await Assert.ThrowsAsync<SecretNotFoundException>(() => _store.GetAsync(reference with { Name = "byok-" + Guid.NewGuid().ToString("N") }, Ct));
        Assert.Equal(2, _vault.Count(KeyVaultOperation.GetSecretVersion));
    }

    [Fact]
    public async Task FirstRequest_VaultAnswersBearerChallenge_ClientThenSendsOnlyAuthorizedRequests()
    {
        var reference = await _store.CreateAsync("value", Ct);
        await _store.GetAsync(reference, Ct);
        await _store.DeleteAsync(reference.Name, Ct);

        var requests = _vault.Requests;
        Assert.Equal(KeyVaultOutcome.Challenged, requests[0].Outcome);
        Assert.Equal(401, requests[0].Status);
        Assert.Equal(1, _vault.Count(KeyVaultOutcome.Challenged));
        Assert.All(requests.Skip(1), r => Assert.Equal(KeyVaultOutcome.Served, r.Outcome));
        Assert.Equal(
            [KeyVaultOperation.SetSecret, KeyVaultOperation.SetSecret, KeyVaultOperation.GetSecretVersion, KeyVaultOperation.DeleteSecret],
            requests.Select(r => r.Operation));
        var tokenRequest = Assert.Single(_vault.Credential.Requests.DistinctBy(r => string.Join(' ', r.Scopes)));
        Assert.Equal(["https://vault.azure.net/.default"], tokenRequest.Scopes);
        Assert.Equal("00000000-0000-0000-0000-000000000000", tokenRequest.TenantId);
    }

    [Fact]
    public async Task CreateAsync_AnyValue_GetsOpaqueRandomNameNeverDerivedFromInput()
    {
        var values = new[] { "value", "value", "byok-" + new string('0', 32), "contoso-openai-key", "" };
        var references = new List<SecretReference>();
        foreach (var value in values)
        {
            references.Add(await _store.CreateAsync(value, Ct));
        }

        Assert.All(references, r => Assert.Matches(OpaqueName(), r.Name));
        Assert.Equal(values.Length, references.Select(r => r.Name).Distinct(StringComparer.Ordinal).Count());
        Assert.DoesNotContain(references, r => values.Contains(r.Name, StringComparer.OrdinalIgnoreCase));
        Assert.All(
            _vault.Requests.Where(r => r.Operation == KeyVaultOperation.SetSecret),
            r => Assert.Matches(OpaqueName(), r.SecretName!));
    }

    [Fact]
    public async Task GetAsync_SameVersionTwice_ReadsTheVaultOnce()
    {
        var reference = await _store.CreateAsync("value", Ct);

        var first = await _store.GetAsync(reference, Ct);
        var second = await _store.GetAsync(reference with { }, Ct);

        Assert.True(first == "value" && second == "value", "a read returned a wrong value");
        Assert.Equal(1, _vault.Count(KeyVaultOperation.GetSecretVersion));
    }

    [Fact]
    public async Task GetAsync_TwentyConcurrentFirstReadsOfOneVersion_ReadTheVaultOnce()
    {
        var reference = await _store.CreateAsync("value", Ct);
        _vault.HoldReads();

        // Twenty callers on pool threads; the vault's answer is held until every one of them has called the store.
        var issued = 0;
        var allIssued = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var reads = Enumerable.Range(0, 20).Select(_ => Task.Run(() =>
        {
            var read = _store.GetAsync(reference with { }, Ct);
            if (Interlocked.Increment(ref issued) == 20)
            {
                allIssued.TrySetResult();
            }

            return read;
        }, Ct)).ToArray();
        await allIssued.Task.WaitAsync(Ct);
        await _vault.WhenReadHeldAsync(Ct);
        _vault.ReleaseReads();
        var values = await Task.WhenAll(reads);

        Assert.True(values.All(v => v == "value"), "a concurrent read returned a wrong value");
        Assert.Equal(1, _vault.Count(KeyVaultOperation.GetSecretVersion));
    }

    [Fact]
    public async Task DeleteAsync_CachedSecret_LaterGetThrowsSecretNotFoundAndIsNotServedFromCache()
    {
        var first = await _store.CreateAsync("value-one", Ct);
        var second = await _store.UpdateAsync(first.Name, "value-two", Ct);
        var other = await _store.CreateAsync("other", Ct);
        await _store.GetAsync(first, Ct);
        await _store.GetAsync(second, Ct);
        await _store.GetAsync(other, Ct);

        await _store.DeleteAsync(first.Name, Ct);

        await Assert.ThrowsAsync<SecretNotFoundException>(() => _store.GetAsync(first, Ct));
        await Assert.ThrowsAsync<SecretNotFoundException>(() => _store.GetAsync(second, Ct));
        Assert.Equal(1, _vault.Count(KeyVaultOperation.DeleteSecret));
        Assert.Equal(5, _vault.Count(KeyVaultOperation.GetSecretVersion));
        Assert.DoesNotContain(first.Name, _vault.SecretNames);

        // Deleting one secret leaves the others' cached versions alone.
        Assert.True(await _store.GetAsync(other, Ct) == "other", "another secret's value changed");
        Assert.Equal(5, _vault.Count(KeyVaultOperation.GetSecretVersion));
    }

    [Fact]
    public async Task DeleteAsync_WhileReadOfThatSecretIsInFlight_LaterGetsAreNotServedTheDeletedValue()
    {
        var reference = await _store.CreateAsync("value", Ct);
        _vault.HoldReads();

        // The vault has looked the value up, but its answer has not arrived yet when the secret is deleted.
        var readBeforeDelete = _store.GetAsync(reference, Ct);
        await _vault.WhenReadHeldAsync(Ct);
        await _store.DeleteAsync(reference.Name, Ct);
        var readAfterDelete = _store.GetAsync(reference with { }, Ct);
        _vault.ReleaseReads();

        Assert.True(await readBeforeDelete == "value", "the read that started before the delete returned a wrong value");
        await Assert.ThrowsAsync<SecretNotFoundException>(() => readAfterDelete);
        await Assert.ThrowsAsync<SecretNotFoundException>(() => _store.GetAsync(reference with { }, Ct));
    }

    [Fact]
    public async Task DeleteAsync_MissingSecret_DoesNotThrow()
    {
        var reference = await _store.CreateAsync("value", Ct);
        await _store.DeleteAsync(reference.Name, Ct);

        await _store.DeleteAsync(reference.Name, Ct);
        await _store.DeleteAsync("byok-" + Guid.NewGuid().ToString("N"), Ct);

        Assert.Equal(3, _vault.Count(KeyVaultOperation.DeleteSecret));
    }

    [Fact]
    public async Task GetAsync_VaultThrottlesTwice_RetriesAndSucceeds()
    {
        var reference = await _store.CreateAsync("value", Ct);
        _vault.ThrottleNext(2);

        var value = await _store.GetAsync(reference, Ct);

        Assert.True(value == "value", "the read after throttling returned a wrong value");
        Assert.Equal(2, _vault.Count(KeyVaultOperation.GetSecretVersion, KeyVaultOutcome.Throttled));
        Assert.Equal(1, _vault.Count(KeyVaultOperation.GetSecretVersion));
    }

    [Fact]
    public async Task CreateAsync_VaultThrottlesTwice_RetriesAndCreatesOneSecret()
    {
        _vault.ThrottleNext(2);

        var reference = await _store.CreateAsync("value", Ct);

        Assert.Equal(2, _vault.Count(KeyVaultOperation.SetSecret, KeyVaultOutcome.Throttled));
        Assert.Equal(1, _vault.Count(KeyVaultOperation.SetSecret));
        Assert.Equal([reference.Name], _vault.SecretNames);
    }

    [Fact]
    public async Task GetAsync_VaultThrottlesBeyondRetries_ThrowsThrottlingErrorAndCachesNothing()
    {
        var store = CreateStore(new SecretsOptions { MaxRetries = 1 });
        var reference = await store.CreateAsync("value", Ct);
        _vault.ThrottleNext(2);

        var error = await Assert.ThrowsAsync<SecretStoreUnavailableException>(() => store.GetAsync(reference, Ct));

        Assert.Equal(429, Assert.IsType<RequestFailedException>(error.InnerException).Status);
        Assert.True(await store.GetAsync(reference, Ct) == "value", "the read after throttling ended returned a wrong value");
        Assert.Equal(1, _vault.Count(KeyVaultOperation.GetSecretVersion));
    }

    [Fact]
    public async Task CheckAvailableAsync_ProbeSecretDoesNotExist_Succeeds()
    {
        await _store.CheckAvailableAsync(Ct);

        var probe = Assert.Single(_vault.Requests, r => r.Outcome == KeyVaultOutcome.Served);
        Assert.Equal(KeyVaultOperation.GetLatestSecret, probe.Operation);
        Assert.Equal(KeyVaultSecretStore.HealthProbeName, probe.SecretName);
        Assert.Equal(404, probe.Status);
        Assert.Empty(_vault.SecretNames);
    }

    [Theory]
    [InlineData("{name}", "")]
    [InlineData("../secrets/{name}", "{version}")]
    [InlineData("{name}", "../{name}/{version}")]
    [InlineData("{name}/{version}", "")]
    [InlineData("{name}?x=", "{version}")]
    [InlineData("{name}", "{version}?x=")]
    [InlineData("../x", "{version}")]
    [InlineData("", "{version}")]
    public async Task GetAsync_MalformedReference_IsRefusedWithoutCallingTheVault(string name, string version)
    {
        var reference = await _store.CreateAsync("value", Ct);
        var requestsBefore = _vault.Requests.Count;
        var malformed = new SecretReference(
            name.Replace("{name}", reference.Name, StringComparison.Ordinal).Replace("{version}", reference.Version, StringComparison.Ordinal),
            version.Replace("{name}", reference.Name, StringComparison.Ordinal).Replace("{version}", reference.Version, StringComparison.Ordinal));

        await Assert.ThrowsAsync<SecretNotFoundException>(() => _store.GetAsync(malformed, Ct));

        Assert.Equal(requestsBefore, _vault.Requests.Count);
    }

    [Theory]
    [InlineData("../x")]
    [InlineData("../secrets/{name}")]
    [InlineData("{name}/x")]
    [InlineData("{name}?x=")]
    [InlineData("")]
    public async Task UpdateAndDelete_MalformedName_AreRefusedWithoutCallingTheVault(string name)
    {
        var reference = await _store.CreateAsync("value", Ct);
        var requestsBefore = _vault.Requests.Count;
        var malformed = name.Replace("{name}", reference.Name, StringComparison.Ordinal);

        await Assert.ThrowsAsync<SecretNotFoundException>(() => _store.UpdateAsync(malformed, "other", Ct));
        await Assert.ThrowsAsync<SecretNotFoundException>(() => _store.DeleteAsync(malformed, Ct));

        Assert.Equal(requestsBefore, _vault.Requests.Count);
        Assert.Contains(reference.Name, _vault.SecretNames);
    }

    private KeyVaultSecretStore CreateStore(SecretsOptions options) => new(_vault.CreateClient(options: options), Options.Create(options), TestCaches.Hybrid());

    [GeneratedRegex("^byok-[0-9a-f]{32}$")]
    private static partial Regex OpaqueName();

    [GeneratedRegex("^[0-9a-f]{32}$")]
    private static partial Regex VersionPattern();
}
