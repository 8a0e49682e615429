using ByokPortal.Gateway;
using ByokPortal.Persistence;
using ByokPortal.Persistence.Seeding;
using ByokPortal.Runtime.Snapshots;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ByokPortal.Benchmarks;

/// <summary>
/// The runtime of a portal at the scale of issue 8 (<see cref="ScaleSeeder"/>: 5,000 organizations, 300 keys, 3,000 models, 100,000
/// grants, 20,000 people, 10,000 API keys; every provider key's Base URL is <see cref="ProviderStandIn.BaseUrl"/>) on a real SQLite file and the real local secret store, with its snapshot built. BenchmarkDotNet
/// runs every benchmark in a process of its own: the seeded data directory is kept in the temporary folder and reused by the next
/// process (a new build of the persistence layer seeds a new one and removes the old ones).
/// </summary>
public sealed class ScaleFixture : IDisposable
{
    private const string FolderPrefix = "byokportal-bench-scale-";
    private const string CompleteMarker = "seeded";
    private const string TokensFile = "tokens.tsv";

    private ScaleFixture(IHost host, string directory, Guid enterpriseId, IReadOnlyList<ScaleToken> tokens)
    {
        Host = host;
        DataDirectory = directory;
        EnterpriseId = enterpriseId;
        Tokens = tokens;
    }

    public IHost Host { get; }

    /// <summary>The seeded data directory (another host, such as the gateway's, can serve from it).</summary>
    public string DataDirectory { get; }

    public IServiceProvider Services => Host.Services;

    public Guid EnterpriseId { get; }

    /// <summary>Active API keys of organizations with no key of their own, each with an enterprise model it may use.</summary>
    public IReadOnlyList<ScaleToken> Tokens { get; }

    public SnapshotStore Store => Services.GetRequiredService<SnapshotStore>();

    public static async Task<ScaleFixture> StartAsync()
    {
        var version = typeof(ScaleSeeder).Assembly.ManifestModule.ModuleVersionId.ToString("N")[..12];
        var directory = Path.Combine(Path.GetTempPath(), FolderPrefix + version);
        var host = CreateHost(directory);
        Guid enterpriseId;
        IReadOnlyList<ScaleToken> tokens;
        if (File.Exists(Path.Combine(directory, CompleteMarker)))
        {
            await using var db = host.Services.CreatePortalDbContext();
            enterpriseId = await db.Enterprises.Where(e => e.Slug == ScaleShape.DefaultEnterpriseSlug).Select(e => e.Id).SingleAsync();
            tokens = await ScaleSeeder.ReadTokensAsync(Path.Combine(directory, TokensFile));
        }
        else
        {
            RemoveOtherFixtures(directory);
            await host.Services.GetRequiredService<PortalDatabaseInitializer>().InitializeAsync(seedDemoData: false, CancellationToken.None);
            var shape = new ScaleShape { ProviderBaseUrl = ProviderStandIn.BaseUrl };
            var seeded = await ActivatorUtilities.CreateInstance<ScaleSeeder>(host.Services).SeedAsync(shape, CancellationToken.None);
            enterpriseId = seeded.EnterpriseId;
            tokens = seeded.SampleTokens;
            await ScaleSeeder.WriteTokensAsync(Path.Combine(directory, TokensFile), tokens);
            await File.WriteAllTextAsync(Path.Combine(directory, CompleteMarker), "");
        }

        await host.Services.GetRequiredService<SnapshotRefresher>().RefreshAsync([], CancellationToken.None);
        return new ScaleFixture(host, directory, enterpriseId, tokens);
    }

    public void Dispose()
    {
        Host.Dispose();
        SqliteConnection.ClearAllPools();
    }

    /// <summary>The settings every host over the fixture uses: its data directory, loopback upstreams allowed, no rate limit in the way.</summary>
    public static Dictionary<string, string?> Settings(string directory) => new()
    {
        ["Portal:DataDirectory"] = directory,
        ["Portal:Outbound:AllowLoopback"] = "true",
        ["Portal:Runtime:DefaultRateLimitPerMinute"] = "2000000000",
        ["Logging:LogLevel:Default"] = "Warning",
    };

    /// <summary>The composition of the lean gateway host (<see cref="GatewaySetup.AddGateway"/>) without its web server.</summary>
    private static IHost CreateHost(string directory)
    {
        var builder = new HostApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, EnvironmentName = "Benchmark" });
        builder.Configuration.AddInMemoryCollection(Settings(directory));
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddGateway();
        return builder.Build();
    }

    private static void RemoveOtherFixtures(string keep)
    {
        foreach (var old in Directory.EnumerateDirectories(Path.GetTempPath(), FolderPrefix + "*"))
        {
            if (!string.Equals(old, keep, StringComparison.Ordinal))
            {
                Directory.Delete(old, recursive: true);
            }
        }

        if (Directory.Exists(keep))
        {
            Directory.Delete(keep, recursive: true);
        }
    }
}
