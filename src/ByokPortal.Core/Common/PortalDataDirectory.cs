using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ByokPortal.Core.Common;

/// <summary>
/// The absolute data directory (<c>Portal:DataDirectory</c>, relative paths taken from the content root), created on first use.
/// It holds the SQLite file, the local secret store and the Data Protection key ring: two instances with different data directories share nothing.
/// The directory and everything the portal keeps in it are readable by the portal's user only (<see cref="PrivateFiles"/>); files
/// left by an earlier version are narrowed the first time the directory is used.
/// </summary>
public sealed class PortalDataDirectory
{
    /// <summary>What the portal keeps in the data directory: the SQLite file (and its journal files), the key ring, the secret store.</summary>
    private static readonly string[] OwnEntries = ["portal.db", "portal.db-wal", "portal.db-shm", "portal.db-journal", "keys", "secrets"];

    private readonly Lazy<string> _path;

    public PortalDataDirectory(IOptions<PortalOptions> options, IHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(environment);
        _path = new Lazy<string>(() =>
        {
            var configured = string.IsNullOrWhiteSpace(options.Value.DataDirectory) ? "App_Data" : options.Value.DataDirectory;
            var full = System.IO.Path.GetFullPath(configured, environment.ContentRootPath);
            try
            {
                PrivateFiles.CreateDirectory(full);
            }
            catch (UnauthorizedAccessException) when (Directory.Exists(full))
            {
                // A folder the portal's user does not own (e.g. a mount point handed to it): its owner decides who may read it.
            }

            foreach (var entry in OwnEntries)
            {
                PrivateFiles.Restrict(System.IO.Path.Combine(full, entry), recursive: true);
            }

            return full;
        });
    }

    public string Path => _path.Value;

    /// <summary>A folder inside the data directory, created (owner only) if missing.</summary>
    public string Combine(string relative)
    {
        var full = System.IO.Path.Combine(Path, relative);
        PrivateFiles.CreateDirectory(full);
        return full;
    }
}
