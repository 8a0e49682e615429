using ByokPortal.Core.Secrets;
using ByokPortal.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace ByokPortal.Web.Tests.Hosting;

/// <summary>
/// After a real start, sign-in and a stored secret, everything in the data directory (the SQLite file and its -wal/-shm, the Data
/// Protection key ring, the local secret store) is readable by the portal's user only: files 0600, folders 0700.
/// </summary>
public sealed class DataFileModesTests
{
    private const UnixFileMode GroupOrOther =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Start_SignInAndSecret_DataFilesAreOwnerOnly()
    {
        using var data = new TempDirectory("byokportal-modes");
        var root = Path.Combine(data.Path, "portal-data");

        // Left by an earlier version: world-readable, narrowed at start.
        var oldSecret = Path.Combine(root, "secrets", "older-secret", "1.bin");
        Directory.CreateDirectory(Path.GetDirectoryName(oldSecret)!);
        await File.WriteAllBytesAsync(oldSecret, [1, 2, 3], TestContext.Current.CancellationToken);
        File.SetUnixFileMode(oldSecret, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        await using var portal = new PortalAppFactory(root);
        portal.StartOnFreePort();
        using (var browser = new KestrelClient(portal.ServerAddress!))
        {
            (await browser.SignInAsync(DemoSignIn.EnterpriseOwner)).Dispose();
        }

        await portal.Services.GetRequiredService<ISecretStore>().CreateAsync("sk-test-modes-4Jq8", TestContext.Current.CancellationToken);

        var entries = Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories).Append(root).ToList();
        var names = entries.Select(e => Path.GetRelativePath(root, e)).ToList();
        Assert.Contains("portal.db", names);
        Assert.Contains("portal.db-wal", names);
        Assert.Contains("portal.db-shm", names);
        Assert.Contains(names, n => n.StartsWith("keys" + Path.DirectorySeparatorChar + "key-", StringComparison.Ordinal));
        Assert.True(names.Count(n => n.StartsWith("secrets" + Path.DirectorySeparatorChar, StringComparison.Ordinal) && n.EndsWith(".bin", StringComparison.Ordinal)) >= 2);

        var open = entries
            .Select(e => (Path: Path.GetRelativePath(root, e), Mode: File.GetUnixFileMode(e), IsDirectory: Directory.Exists(e)))
            .Where(e => (e.Mode & GroupOrOther) != 0 || (e.IsDirectory && (e.Mode & UnixFileMode.UserExecute) == 0))
            .Select(e => $"{e.Path} {Convert.ToString((int)e.Mode, 8)}")
            .ToList();
        Assert.True(open.Count == 0, "Readable by others: " + string.Join(", ", open));
    }
}
