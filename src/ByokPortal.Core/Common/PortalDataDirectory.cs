using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ByokPortal.Core.Common;

/// <summary>
/// The absolute data directory (<c>Portal:DataDirectory</c>, relative paths taken from the content root), created on first use.
/// It holds the SQLite file, the local secret store and the Data Protection key ring: two instances with different data directories share nothing.
/// </summary>
public sealed class PortalDataDirectory
{
    private readonly Lazy<string> _path;

    public PortalDataDirectory(IOptions<PortalOptions> options, IHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(environment);
        _path = new Lazy<string>(() =>
        {
            var configured = string.IsNullOrWhiteSpace(options.Value.DataDirectory) ? "App_Data" : options.Value.DataDirectory;
            var full = System.IO.Path.GetFullPath(configured, environment.ContentRootPath);
            Directory.CreateDirectory(full);
            return full;
        });
    }

    public string Path => _path.Value;

    public string Combine(string relative)
    {
        var full = System.IO.Path.Combine(Path, relative);
        Directory.CreateDirectory(full);
        return full;
    }
}
