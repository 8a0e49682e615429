using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using ByokPortal.Core.Secrets;
using ByokPortal.Core.Common;
using Microsoft.AspNetCore.DataProtection;

namespace ByokPortal.Secrets.Local;

/// <summary>
/// The embedded default: each secret version is a file under <c>{data directory}/secrets/{name}/{version}.bin</c>,
/// encrypted with ASP.NET Core Data Protection (key ring in the data directory, or the shared one when configured).
/// Folders and files are readable by the portal's user only. For one machine; use Key Vault when several instances run. A folder
/// that cannot be read or written, or a key ring that cannot decrypt, is a <see cref="SecretStoreUnavailableException"/>.
/// </summary>
public sealed class LocalSecretStore(IDataProtectionProvider dataProtection, PortalDataDirectory dataDirectory, TimeProvider time) : ISecretStore
{
    private const string Purpose = "ByokPortal.Secrets.LocalSecretStore.v1";
    private readonly IDataProtector _protector = dataProtection.CreateProtector(Purpose);

    private string Root => dataDirectory.Combine("secrets");

    public Task<SecretReference> CreateAsync(string value, CancellationToken cancellationToken) =>
        GuardAsync(() => WriteAsync(SecretNames.NewName(), value, cancellationToken));

    public Task<SecretReference> UpdateAsync(string name, string value, CancellationToken cancellationToken)
    {
        EnsureSafe(name);
        if (!Directory.Exists(Path.Combine(Root, name)))
        {
            throw new SecretNotFoundException();
        }

        return GuardAsync(() => WriteAsync(name, value, cancellationToken));
    }

    public Task<string> GetAsync(SecretReference reference, CancellationToken cancellationToken) =>
        GuardAsync(() => ReadAsync(reference, cancellationToken));

    private async Task<string> ReadAsync(SecretReference reference, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reference);
        EnsureSafe(reference.Name);
        EnsureSafe(reference.Version);
        var file = Path.Combine(Root, reference.Name, reference.Version + ".bin");
        byte[] protectedBytes;
        try
        {
            protectedBytes = await File.ReadAllBytesAsync(file, cancellationToken);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new SecretNotFoundException();
        }

        return Encoding.UTF8.GetString(_protector.Unprotect(protectedBytes));
    }

    public Task DeleteAsync(string name, CancellationToken cancellationToken)
    {
        EnsureSafe(name);
        var folder = Path.Combine(Root, name);
        return GuardAsync(() =>
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }

            return Task.FromResult(true);
        });
    }

    public Task DeleteVersionAsync(SecretReference reference, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reference);
        EnsureSafe(reference.Name);
        EnsureSafe(reference.Version);
        var file = Path.Combine(Root, reference.Name, reference.Version + ".bin");
        return GuardAsync(() =>
        {
            File.Delete(file); // a missing file is not an error
            return Task.FromResult(true);
        });
    }

    /// <summary>
    /// One entry per secret folder. A version's name starts with the ticks of the moment it was written (see
    /// <see cref="SecretNames.NewLocalVersion"/>), so the time comes from the portal's clock, not from the file system.
    /// A folder without a readable version (a write that never finished) is listed with its folder's time.
    /// </summary>
    public async IAsyncEnumerable<StoredSecret> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.Yield();
        string[] folders;
        try
        {
            folders = Directory.Exists(Root) ? Directory.GetDirectories(Root) : [];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SecretStoreUnavailableException("The local secret store cannot be read.", e);
        }

        foreach (var folder in folders)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var name = Path.GetFileName(folder);
            if (!name.StartsWith(SecretNames.Prefix, StringComparison.Ordinal) || !SecretNames.IsSafe(name))
            {
                continue;
            }

            DateTimeOffset? latest = null;
            try
            {
                foreach (var file in Directory.EnumerateFiles(folder, "*.bin"))
                {
                    if (SecretNames.LocalVersionWrittenAt(Path.GetFileNameWithoutExtension(file)) is { } written && (latest is null || written > latest))
                    {
                        latest = written;
                    }
                }

                latest ??= new DateTimeOffset(Directory.GetLastWriteTimeUtc(folder), TimeSpan.Zero);
            }
            catch (DirectoryNotFoundException)
            {
                continue; // deleted while listing
            }

            yield return new StoredSecret(name, latest.Value);
        }
    }

    public async Task CheckAvailableAsync(CancellationToken cancellationToken)
    {
        // Round-trips a throw-away value through the key ring and the folder, then removes it.
        var probe = Guid.NewGuid().ToString("N");
        var reference = await CreateAsync(probe, cancellationToken);
        try
        {
            if (await GetAsync(reference, cancellationToken) != probe)
            {
                throw new InvalidOperationException("The local secret store did not read back what it wrote.");
            }
        }
        finally
        {
            await DeleteAsync(reference.Name, cancellationToken);
        }
    }

    private async Task<SecretReference> WriteAsync(string name, string value, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(value);
        var folder = Path.Combine(Root, name);
        PrivateFiles.CreateDirectory(folder);
        var version = SecretNames.NewLocalVersion(time);
        var target = Path.Combine(folder, version + ".bin");
        var temporary = target + ".tmp";
        await PrivateFiles.WriteNewAsync(temporary, _protector.Protect(Encoding.UTF8.GetBytes(value)), cancellationToken);
        File.Move(temporary, target, overwrite: false);
        return new SecretReference(name, version);
    }

    private static async Task<T> GuardAsync<T>(Func<Task<T>> operation)
    {
        try
        {
            return await operation();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw new SecretStoreUnavailableException("The local secret store cannot be used.", e);
        }
    }

    private static void EnsureSafe(string part)
    {
        if (!SecretNames.IsSafe(part))
        {
            throw new SecretNotFoundException("The secret reference is malformed.");
        }
    }
}
