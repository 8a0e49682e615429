using System.Text.RegularExpressions;
using ByokPortal.Core;
using ByokPortal.Core.Data;
using ByokPortal.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ByokPortal.Persistence.Tests;

/// <summary>
/// <c>ids.Contains(x.Id)</c> over thousands of IDs (an access grant to 5,000 organizations) must be sent as one JSON parameter
/// (SQL Server's <c>OPENJSON</c>, SQLite's <c>json_each</c>), not one parameter per ID: SQL Server refuses more than 2,100 parameters,
/// and one statement shape per list length would flood the plan cache (so short lists get one parameter too: EF Core 10's default
/// for them is one parameter per item). Checked on the options the app builds (<see cref="DependencyInjection.AddPortalPersistence"/>),
/// translated with <c>ToQueryString()</c>: no server is contacted.
/// </summary>
public sealed partial class CollectionParameterTests
{
    private const int Count = 5_000;

    private static IHost BuildHost(string dataDirectory, params (string Key, string Value)[] settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Testing", DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(
            settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))
                .Append(new KeyValuePair<string, string?>("Portal:DataDirectory", dataDirectory)));
        builder.AddPortalCore();
        builder.AddPortalPersistence();
        return builder.Build();
    }

    /// <summary>A local list, as in the use cases (EF Core inlines a static readonly field as constants, whatever the options say).</summary>
    private static async Task<string> TranslateAsync(IHost host, List<Guid> ids)
    {
        await using var db = await host.Services.GetRequiredService<IPortalDbContextFactory>().CreateAsync(TestContext.Current.CancellationToken);
        return db.Organizations.Where(o => ids.Contains(o.Id)).ToQueryString();
    }

    private static List<Guid> NewIds(int count) => Enumerable.Range(0, count).Select(_ => Guid.NewGuid()).ToList();

    [GeneratedRegex(@"^DECLARE @", RegexOptions.Multiline)]
    private static partial Regex SqlServerParameterDeclaration();

    [GeneratedRegex(@"^\.param set ", RegexOptions.Multiline)]
    private static partial Regex SqliteParameterDeclaration();

    [Theory]
    [InlineData(Count)]
    [InlineData(50)]
    public async Task ContainsOverManyIds_SqlServer_IsOneOpenJsonParameter(int count)
    {
        var ids = NewIds(count);
        using var directory = new TempDirectory("byokportal-collections");
        using var host = BuildHost(directory.Path,
            ("Portal:Database:Provider", "SqlServer"),
            ("ConnectionStrings:Portal", "Server=tcp:sql.invalid,1433;Database=portal;User ID=nobody;Password=unused;Connect Timeout=1"));

        var sql = await TranslateAsync(host, ids);

        Assert.Contains("OPENJSON(", sql, StringComparison.Ordinal);
        Assert.Equal(1, SqlServerParameterDeclaration().Count(sql));
        Assert.Contains("[Organizations]", sql, StringComparison.Ordinal);
        Assert.True(sql.Length < 1_000 + (count * 60), "the statement is far longer than one JSON list of the IDs");
        Assert.Contains(ids[^1].ToString(), sql, StringComparison.OrdinalIgnoreCase); // the one parameter holds every ID
    }

    [Theory]
    [InlineData(Count)]
    [InlineData(50)]
    public async Task ContainsOverManyIds_Sqlite_IsOneJsonEachParameter(int count)
    {
        var ids = NewIds(count);
        using var directory = new TempDirectory("byokportal-collections");
        using var host = BuildHost(directory.Path);

        var sql = await TranslateAsync(host, ids);

        Assert.Contains("json_each(", sql, StringComparison.Ordinal);
        Assert.Equal(1, SqliteParameterDeclaration().Count(sql));
        Assert.Contains("\"Organizations\"", sql, StringComparison.Ordinal);
        Assert.Contains(ids[^1].ToString(), sql, StringComparison.OrdinalIgnoreCase);
        Assert.False(File.Exists(Path.Combine(directory.Path, "portal.db")), "translating the query created or opened the database");
    }
}
