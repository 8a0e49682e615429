using ByokPortal.Core.Common;
using ByokPortal.Core.Secrets;
using ByokPortal.Secrets.Local;
using ByokPortal.Testing;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ByokPortal.Secrets.Tests.Local;

/// <summary>What the orphan sweeper and a failed save need from the local store: listing its secrets, taking back one version.</summary>
public sealed class LocalSecretStoreCleanupTests : IDisposable
{
    private readonly TempDirectory _root = new("byokportal-secrets");
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 5, 4, 8, 0, 0, TimeSpan.Zero));

    public LocalSecretStoreCleanupTests()
    {
        var dataProtection = DataProtectionProvider.Create(new DirectoryInfo(Path.Combine(_root.Path, "keys")), b => b.SetApplicationName("ByokPortal"));
        var dataDirectory = new PortalDataDirectory(Options.Create(new PortalOptions { DataDirectory = Path.Combine(_root.Path, "data") }), new HostEnvironment(_root.Path));
        Store = new LocalSecretStore(dataProtection, dataDirectory, _clock);
        SecretsFolder = Path.Combine(_root.Path, "data", "secrets");
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private LocalSecretStore Store { get; }

    private string SecretsFolder { get; }

    public void Dispose() => _root.Dispose();

    [Fact]
    public async Task ListAsync_SecretsWrittenAtDifferentTimes_ListsEachWithItsLatestVersionTime()
    {
        var first = await Store.CreateAsync("value-one", Ct);
        var createdAt = _clock.GetUtcNow();
        _clock.Advance(TimeSpan.FromHours(2));
        var second = await Store.CreateAsync("value-two", Ct);
        _clock.Advance(TimeSpan.FromHours(1));
        await Store.UpdateAsync(second.Name, "value-two-b", Ct);

        var listed = await ListAsync();

        Assert.Equal(2, listed.Count);
        Assert.Equal(createdAt, listed[first.Name]);
        Assert.Equal(_clock.GetUtcNow(), listed[second.Name]);
    }

    [Fact]
    public async Task ListAsync_FoldersThatAreNotCredentials_AreNotListed()
    {
        var credential = await Store.CreateAsync("value", Ct);
        Directory.CreateDirectory(Path.Combine(SecretsFolder, "lost+found"));
        Directory.CreateDirectory(Path.Combine(SecretsFolder, "backup-byok-1"));

        var listed = await ListAsync();

        Assert.Equal([credential.Name], listed.Keys);
    }

    [Fact]
    public async Task ListAsync_NoSecretsYet_IsEmpty() => Assert.Empty(await ListAsync());

    [Fact]
    public async Task DeleteVersionAsync_LatestVersion_ItIsGoneAndThePreviousOneStaysReadable()
    {
        var first = await Store.CreateAsync("value-one", Ct);
        _clock.Advance(TimeSpan.FromSeconds(1));
        var second = await Store.UpdateAsync(first.Name, "value-two", Ct);

        await Store.DeleteVersionAsync(second, Ct);

        await Assert.ThrowsAsync<SecretNotFoundException>(() => Store.GetAsync(second, Ct));
        Assert.True(await Store.GetAsync(first, Ct) == "value-one", "the previous version no longer reads back");
        Assert.Single(Directory.GetFiles(Path.Combine(SecretsFolder, first.Name)));

        // Taking back a version that is already gone is not an error.
        await Store.DeleteVersionAsync(second, Ct);
    }

    [Theory]
    [InlineData("../x")]
    [InlineData("")]
    public async Task DeleteVersionAsync_MalformedReference_IsRefusedAndDeletesNothing(string malformed)
    {
        var reference = await Store.CreateAsync("value", Ct);

        await Assert.ThrowsAsync<SecretNotFoundException>(() => Store.DeleteVersionAsync(reference with { Version = malformed }, Ct));
        await Assert.ThrowsAsync<SecretNotFoundException>(() => Store.DeleteVersionAsync(reference with { Name = malformed }, Ct));

        Assert.True(await Store.GetAsync(reference, Ct) == "value", "a refused delete changed the secret");
    }

    private async Task<Dictionary<string, DateTimeOffset>> ListAsync()
    {
        var listed = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        await foreach (var secret in Store.ListAsync(Ct))
        {
            listed.Add(secret.Name, secret.LastWrittenAt);
        }

        return listed;
    }

    private sealed class HostEnvironment(string contentRoot) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = "Testing";

        public string ApplicationName { get; set; } = "ByokPortal.Secrets.Tests";

        public string ContentRootPath { get; set; } = contentRoot;

        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
