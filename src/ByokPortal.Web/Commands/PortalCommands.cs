using System.Globalization;
using ByokPortal.Core.Common;
using ByokPortal.Persistence.Seeding;

namespace ByokPortal.Web.Commands;

/// <summary>
/// Commands the portal runs instead of serving, after the database is ready:
/// <c>seed-scale [--base-url URL]</c> fills the configured database with the scale fixture of the benchmarks (<see cref="ScaleSeeder"/>)
/// and writes a few of its API key tokens to <c>scale-api-keys.tsv</c> in the data directory, readable by the user only.
/// </summary>
public static class PortalCommands
{
    public const string SeedScale = "seed-scale";
    public const string TokensFileName = "scale-api-keys.tsv";

    /// <returns>True when <paramref name="args"/> named a command and it ran (the process should then exit).</returns>
    public static async Task<bool> RunPortalCommandAsync(this WebApplication app, string[] args)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(args);
        if (args is not [SeedScale, ..])
        {
            return false;
        }

        var shape = new ScaleShape();
        var baseUrl = args.SkipWhile(a => a != "--base-url").Skip(1).FirstOrDefault();
        if (baseUrl is not null)
        {
            shape = shape with { ProviderBaseUrl = baseUrl };
        }

        var seeder = ActivatorUtilities.CreateInstance<ScaleSeeder>(app.Services);
        var result = await seeder.SeedAsync(shape, app.Lifetime.ApplicationStopping);
        var file = Path.Combine(app.Services.GetRequiredService<PortalDataDirectory>().Path, TokensFileName);
        await ScaleSeeder.WriteTokensAsync(file, result.SampleTokens);
        await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"Seeded enterprise '{shape.EnterpriseSlug}' in {result.Duration.TotalSeconds:F1} s; {result.SampleTokens.Count} API keys (token, model, organization) in {file}"));
        return true;
    }
}
