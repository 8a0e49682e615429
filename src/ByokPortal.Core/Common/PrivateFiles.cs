namespace ByokPortal.Core.Common;

/// <summary>
/// Files and folders only the portal's own user may read (on Unix: files 0600, folders 0700): the SQLite file, the local secret store
/// and the Data Protection key ring. Whoever can read the data directory can read the secrets, so nobody else may.
/// On Windows the folder's inherited ACL applies.
/// </summary>
public static class PrivateFiles
{
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    public const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Creates the folder (and missing parents) readable by the owner only, and narrows it if it already existed.</summary>
    public static void CreateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }

        Directory.CreateDirectory(path, DirectoryMode);
        Restrict(path);
    }

    /// <summary>Options for a new file that only the owner can read or write.</summary>
    public static FileStreamOptions NewFile(int bufferSize = 4096)
    {
        var options = new FileStreamOptions { Mode = System.IO.FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None, BufferSize = bufferSize };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = FileMode;
        }

        return options;
    }

    /// <summary>Writes a new file readable by the owner only (fails if it exists).</summary>
    public static async Task WriteNewAsync(string path, byte[] content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        await using var stream = new FileStream(path, NewFile());
        await stream.WriteAsync(content, cancellationToken);
    }

    /// <summary>Narrows an existing file or folder to its owner; a folder's whole content too when <paramref name="recursive"/>.</summary>
    public static void Restrict(string path, bool recursive = false)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        if (Directory.Exists(path))
        {
            File.SetUnixFileMode(path, DirectoryMode);
            if (recursive)
            {
                foreach (var entry in Directory.EnumerateFileSystemEntries(path))
                {
                    Restrict(entry, recursive: true);
                }
            }
        }
        else if (File.Exists(path))
        {
            File.SetUnixFileMode(path, FileMode);
        }
    }
}
