using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using ByokPortal.Core.Common;
using ByokPortal.Core.Secrets;
using ByokPortal.Secrets.Local;
using ByokPortal.Testing;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ByokPortal.Secrets.Tests.Local;

/// <summary>
/// The local store with real ASP.NET Core Data Protection (its key ring in a temp folder) and real files in a temp data directory.
/// </summary>
public sealed partial class LocalSecretStoreTests : IDisposable
{
    private readonly TempDirectory _root = new("byokportal-secrets");

    public LocalSecretStoreTests()
    {
        DataDirectory = Path.Combine(_root.Path, "data");
        KeyRing = Path.Combine(_root.Path, "keys");
        Store = CreateStore(KeyRing);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string DataDirectory { get; }

    private string KeyRing { get; }

    private LocalSecretStore Store { get; }

    public void Dispose() => _root.Dispose();

    [Theory]
    [InlineData("sk-test-0123456789abcdef")]
    [InlineData("")]
    [InlineData("päss wörd ✓ 🔑 \"quoted\" \n line two")]
    public async Task CreateAsync_ThenGetAsync_ReturnsTheValue(string value)
    {
        var reference = await Store.CreateAsync(value, Ct);

        var read = await Store.GetAsync(reference, Ct);

        Assert.True(read == value, "the value read back differs from the value written");
    }

    [Fact]
    public async Task CreateAsync_LargeValue_RoundTrips()
    {
        var value = RandomNumberGenerator.GetHexString(64 * 1024);
        var reference = await Store.CreateAsync(value, Ct);

        Assert.True(await Store.GetAsync(reference, Ct) == value, "the value read back differs from the value written");
    }

    [Fact]
    public async Task CreateAsync_AnyValue_GetsOpaqueRandomName()
    {
        var value = "byok-" + new string('a', 32);
        var first = await Store.CreateAsync(value, Ct);
        var second = await Store.CreateAsync(value, Ct);

        Assert.Matches(OpaqueName(), first.Name);
        Assert.Matches(OpaqueName(), second.Name);
        Assert.NotEqual(first.Name, second.Name);
        Assert.False(first.Name == value || second.Name == value, "a secret name was derived from the value");
    }

    [Fact]
    public async Task UpdateAsync_ExistingSecret_CreatesNewVersionAndOldVersionsStayReadable()
    {
        var first = await Store.CreateAsync("value-one", Ct);
        var second = await Store.UpdateAsync(first.Name, "value-two", Ct);
        var third = await Store.UpdateAsync(first.Name, "value-three", Ct);

        Assert.Equal(first.Name, second.Name);
        Assert.Equal(first.Name, third.Name);
        Assert.Equal(3, new[] { first.Version, second.Version, third.Version }.Distinct(StringComparer.Ordinal).Count());
        Assert.True(await Store.GetAsync(first, Ct) == "value-one", "the first version changed");
        Assert.True(await Store.GetAsync(second, Ct) == "value-two", "the second version changed");
        Assert.True(await Store.GetAsync(third, Ct) == "value-three", "the third version is wrong");
        Assert.Equal(3, Directory.GetFiles(Path.Combine(DataDirectory, "secrets", first.Name)).Length);
    }

    [Fact]
    public async Task UpdateAsync_MissingSecret_ThrowsSecretNotFound()
    {
        await Assert.ThrowsAsync<SecretNotFoundException>(() => Store.UpdateAsync("byok-" + Guid.NewGuid().ToString("N"), "value", Ct));
    }

    [Fact]
    public async Task GetAsync_UnknownVersion_ThrowsSecretNotFound()
    {
        var reference = await Store.CreateAsync("value", Ct);

        await Assert.ThrowsAsync<SecretNotFoundException>(() => Store.GetAsync(reference with { Version = "0123456789abcdef" }, Ct));
        await Assert.ThrowsAsync<SecretNotFoundException>(() => Store.GetAsync(reference with { Name = "byok-" + Guid.NewGuid().ToString("N") }, Ct));
    }

    [Fact]
    public async Task CreateAndUpdate_StoredFiles_DoNotContainThePlaintext()
    {
        var first = "sk-live-" + Guid.NewGuid().ToString("N") + "-Grüße-密钥";
        var second = "sk-live-" + Guid.NewGuid().ToString("N") + "-Ünïcødé";
        var reference = await Store.CreateAsync(first, Ct);
        await Store.UpdateAsync(reference.Name, second, Ct);

        var files = Directory.GetFiles(_root.Path, "*", SearchOption.AllDirectories);
        Assert.Equal(2, Directory.GetFiles(Path.Combine(DataDirectory, "secrets"), "*", SearchOption.AllDirectories).Length);
        foreach (var file in files)
        {
            var bytes = await File.ReadAllBytesAsync(file, Ct);
            foreach (var plaintext in new[] { first, second })
            {
                Assert.False(Contains(bytes, Encoding.UTF8.GetBytes(plaintext)), $"UTF-8 plaintext found in {file}");
                Assert.False(Contains(bytes, Encoding.Unicode.GetBytes(plaintext)), $"UTF-16LE plaintext found in {file}");
                Assert.False(Contains(bytes, Encoding.BigEndianUnicode.GetBytes(plaintext)), $"UTF-16BE plaintext found in {file}");
                Assert.False(Contains(bytes, Encoding.ASCII.GetBytes(Convert.ToBase64String(Encoding.UTF8.GetBytes(plaintext)))), $"base64 plaintext found in {file}");
            }
        }
    }

    [Fact]
    public async Task DeleteAsync_SecretWithVersions_RemovesEveryVersionAndLaterGetThrowsSecretNotFound()
    {
        var first = await Store.CreateAsync("value-one", Ct);
        var second = await Store.UpdateAsync(first.Name, "value-two", Ct);
        var other = await Store.CreateAsync("other", Ct);

        await Store.DeleteAsync(first.Name, Ct);

        await Assert.ThrowsAsync<SecretNotFoundException>(() => Store.GetAsync(first, Ct));
        await Assert.ThrowsAsync<SecretNotFoundException>(() => Store.GetAsync(second, Ct));
        await Assert.ThrowsAsync<SecretNotFoundException>(() => Store.UpdateAsync(first.Name, "value-three", Ct));
        Assert.False(Directory.Exists(Path.Combine(DataDirectory, "secrets", first.Name)), "the deleted secret's folder is still there");
        Assert.True(await Store.GetAsync(other, Ct) == "other", "deleting one secret changed another");
    }

    [Fact]
    public async Task DeleteAsync_MissingSecret_DoesNotThrow()
    {
        var reference = await Store.CreateAsync("value", Ct);
        await Store.DeleteAsync(reference.Name, Ct);

        await Store.DeleteAsync(reference.Name, Ct);
        await Store.DeleteAsync("byok-" + Guid.NewGuid().ToString("N"), Ct);
    }

    [Theory]
    [InlineData("../x")]
    [InlineData("..")]
    [InlineData(".")]
    [InlineData("")]
    [InlineData("a/b")]
    [InlineData("a\\b")]
    [InlineData("/etc/passwd")]
    [InlineData("x.bin")]
    [InlineData("%2e%2e")]
    [InlineData("name with space")]
    public async Task AnyOperation_MalformedNameOrVersion_IsRefused(string malformed)
    {
        var reference = await Store.CreateAsync("value", Ct);

        await Assert.ThrowsAsync<SecretNotFoundException>(() => Store.GetAsync(reference with { Name = malformed }, Ct));
        await Assert.ThrowsAsync<SecretNotFoundException>(() => Store.GetAsync(reference with { Version = malformed }, Ct));
        await Assert.ThrowsAsync<SecretNotFoundException>(() => Store.UpdateAsync(malformed, "value", Ct));
        await Assert.ThrowsAsync<SecretNotFoundException>(() => Store.DeleteAsync(malformed, Ct));
        Assert.True(await Store.GetAsync(reference, Ct) == "value", "a refused operation changed a stored secret");
    }

    [Fact]
    public async Task AnyOperation_PathTraversalToARealSecret_IsRefusedAndChangesNothing()
    {
        var reference = await Store.CreateAsync("value", Ct);
        var outside = Path.Combine(DataDirectory, "outside");
        Directory.CreateDirectory(outside);
        await File.WriteAllTextAsync(Path.Combine(outside, "keep.txt"), "keep", Ct);

        // Each of these resolves to an existing file or folder when joined to the store's folder without a check.
        await Assert.ThrowsAsync<SecretNotFoundException>(() => Store.GetAsync(reference with { Name = "../secrets/" + reference.Name }, Ct));
        await Assert.ThrowsAsync<SecretNotFoundException>(() => Store.GetAsync(reference with { Version = "../" + reference.Name + "/" + reference.Version }, Ct));
        await Assert.ThrowsAsync<SecretNotFoundException>(() => Store.UpdateAsync("../outside", "value", Ct));
        await Assert.ThrowsAsync<SecretNotFoundException>(() => Store.DeleteAsync("../outside", Ct));
        await Assert.ThrowsAsync<SecretNotFoundException>(() => Store.DeleteAsync("../secrets/" + reference.Name, Ct));
        await Assert.ThrowsAsync<SecretNotFoundException>(() => Store.DeleteAsync("..", Ct));

        Assert.True(File.Exists(Path.Combine(outside, "keep.txt")), "a file outside the store was deleted");
        Assert.Single(Directory.GetFiles(outside));
        Assert.True(await Store.GetAsync(reference, Ct) == "value", "a refused operation changed a stored secret");
    }

    [Fact]
    public async Task GetAsync_SecondInstanceOverSameDataDirectoryAndKeyRing_ReadsWhatTheFirstWrote()
    {
        var first = await Store.CreateAsync("value-one", Ct);
        var second = await Store.UpdateAsync(first.Name, "value-two", Ct);

        var restarted = CreateStore(KeyRing);

        Assert.True(await restarted.GetAsync(first, Ct) == "value-one", "the restarted store read a wrong first version");
        Assert.True(await restarted.GetAsync(second, Ct) == "value-two", "the restarted store read a wrong second version");
        var third = await restarted.UpdateAsync(first.Name, "value-three", Ct);
        Assert.True(await Store.GetAsync(third, Ct) == "value-three", "the first store cannot read what the restarted one wrote");
    }

    [Fact]
    public async Task GetAsync_OtherKeyRing_CannotDecrypt()
    {
        var reference = await Store.CreateAsync("value", Ct);

        var stranger = CreateStore(Path.Combine(_root.Path, "other-keys"));

        var error = await Assert.ThrowsAsync<SecretStoreUnavailableException>(() => stranger.GetAsync(reference, Ct));
        Assert.IsAssignableFrom<CryptographicException>(error.InnerException);
    }

    [Fact]
    public async Task CheckAvailableAsync_WorkingStore_SucceedsAndLeavesNoFilesBehind()
    {
        var reference = await Store.CreateAsync("value", Ct);
        var before = FilesUnder(DataDirectory);
        var foldersBefore = Directory.GetDirectories(Path.Combine(DataDirectory, "secrets"));

        await Store.CheckAvailableAsync(Ct);
        await Store.CheckAvailableAsync(Ct);

        Assert.Equal(before, FilesUnder(DataDirectory));
        Assert.Equal(foldersBefore, Directory.GetDirectories(Path.Combine(DataDirectory, "secrets")));
        Assert.True(await Store.GetAsync(reference, Ct) == "value", "the health check changed a stored secret");
    }

    [Fact]
    public async Task CheckAvailableAsync_FreshDataDirectory_SucceedsAndLeavesNoFiles()
    {
        await Store.CheckAvailableAsync(Ct);

        Assert.Empty(FilesUnder(DataDirectory));
    }

    private LocalSecretStore CreateStore(string keyRing)
    {
        var dataProtection = DataProtectionProvider.Create(new DirectoryInfo(keyRing), builder => builder.SetApplicationName("ByokPortal"));
        var dataDirectory = new PortalDataDirectory(Options.Create(new PortalOptions { DataDirectory = DataDirectory }), new TestHostEnvironment(_root.Path));
        return new LocalSecretStore(dataProtection, dataDirectory, TimeProvider.System);
    }

    private static string[] FilesUnder(string folder) =>
        Directory.Exists(folder) ? [.. Directory.GetFiles(folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)] : [];

    private static bool Contains(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;

    [GeneratedRegex("^byok-[0-9a-f]{32}$")]
    private static partial Regex OpaqueName();

    private sealed class TestHostEnvironment(string contentRoot) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = "Testing";

        public string ApplicationName { get; set; } = "ByokPortal.Secrets.Tests";

        public string ContentRootPath { get; set; } = contentRoot;

        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
