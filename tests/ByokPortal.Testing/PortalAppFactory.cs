using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ByokPortal.Testing;

/// <summary>
/// The real portal (Program.cs, real SQLite file, real local secret store) on its own fresh data directory, with demo sign-in,
/// either in memory (<see cref="WebApplicationFactory{TEntryPoint}.CreateClient()"/>) or on a real Kestrel port (<see cref="StartOnFreePort"/>).
/// Every log line is captured in <see cref="Logs"/>.
/// </summary>
public class PortalAppFactory : WebApplicationFactory<Program>
{
    private readonly TempDirectory? _ownedDirectory;
    private readonly Dictionary<string, string?> _settings = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<Action<IServiceCollection>> _services = [];

    /// <param name="dataDirectory">Reuse a data directory (restart tests); a fresh one is made and deleted otherwise.</param>
    public PortalAppFactory(string? dataDirectory = null)
    {
        if (dataDirectory is null)
        {
            _ownedDirectory = new TempDirectory("byokportal-app");
            dataDirectory = _ownedDirectory.Path;
        }

        DataDirectory = dataDirectory;
        Environment = "Testing";
        _settings["Portal:DataDirectory"] = dataDirectory;

        // Every level of every category appsettings.json quietens, so secret-hygiene checks read everything an operator could turn on.
        // The app's own guards (code filters on more specific categories) still apply, as they do in production.
        foreach (var category in new[] { "Default", "Microsoft.AspNetCore", "Microsoft.EntityFrameworkCore.Database.Command", "Microsoft.EntityFrameworkCore.Migrations", "Microsoft.Hosting.Lifetime", "System.Net.Http" })
        {
            _settings[$"Logging:LogLevel:{category}"] = "Trace";
        }

        _settings["Portal:Auth:AllowDemoSignIn"] = "true";

        // The provider stand-ins listen on loopback, which the portal refuses outside Development. Tests about that refusal set it back to false.
        _settings["Portal:Outbound:AllowLoopback"] = "true";
    }

    public string DataDirectory { get; }

    public LogCapture Logs { get; } = new();

    public string Environment { get; set; }

    public Uri? ServerAddress { get; private set; }

    public PortalAppFactory WithSetting(string key, string? value)
    {
        _settings[key] = value;
        return this;
    }

    public PortalAppFactory WithServices(Action<IServiceCollection> configure)
    {
        _services.Add(configure);
        return this;
    }

    /// <summary>Serves the portal on a free loopback port with the real Kestrel server (for the browser tests).</summary>
    public Uri StartOnFreePort()
    {
        UseKestrel(options => options.Listen(System.Net.IPAddress.Loopback, 0));
        StartServer();
        var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        ServerAddress = new Uri(address);
        return ServerAddress;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseEnvironment(Environment);
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.UseStaticWebAssets();

        // Browser tests leave circuits (WebSockets) open; the host must not wait out the default 30 s graceful shutdown for them.
        builder.UseShutdownTimeout(TimeSpan.FromSeconds(1));
        builder.ConfigureLogging(logging =>
        {
            logging.ClearProviders();
            logging.SetMinimumLevel(LogLevel.Trace);
            logging.AddProvider(Logs);
        });
        builder.ConfigureServices(services =>
        {
            foreach (var configure in _services)
            {
                configure(services);
            }
        });
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _ownedDirectory?.Dispose();
        GC.SuppressFinalize(this);
    }
}
