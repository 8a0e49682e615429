using System.Net;
using ByokPortal.Core.Secrets;
using ByokPortal.Persistence.Seeding;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace ByokPortal.Runtime.Tests.Snapshots;

/// <summary>
/// The scale seeder the benchmarks and bench/run.sh stand on, at a small size (the benchmarks themselves never run in the tests): into the
/// running portal's real database and secret store, it builds the shape it promises, and the running runtime serves it without a restart.
/// </summary>
public sealed class ScaleSeederTests(RuntimeFixture fixture) : IClassFixture<RuntimeFixture>
{
    [Fact]
    public async Task SeedAsync_SmallShape_WritesTheShape_AndTheRunningRuntimeServesItsSampleApiKeys()
    {
        var shape = new ScaleShape
        {
            EnterpriseSlug = "scale-smoke",
            Organizations = 12,
            ProviderKeys = 9,
            ModelsPerKey = 3,
            GrantsPerOrganization = 2,
            PeoplePerOrganization = 2,
            ApiKeysPerOrganization = 2,
            SampleTokens = 2,
            ProviderBaseUrl = fixture.StandIn.OpenAIBaseUrl,
        };
        var seeder = new ScaleSeeder(fixture.Factory.Services, fixture.Factory.Services.GetRequiredService<ISecretStore>(), TimeProvider.System, NullLogger<ScaleSeeder>.Instance);

        var result = await seeder.SeedAsync(shape, RuntimeFixture.Ct);

        await using (var db = await fixture.DbAsync())
        {
            var id = result.EnterpriseId;
            var organizations = db.Organizations.Where(o => o.EnterpriseId == id).Select(o => o.Id);
            Assert.Equal(
                (12, 9, 27, 24, 24, 24), // organizations, keys, models, API keys, people, grants
                (await db.Organizations.CountAsync(o => o.EnterpriseId == id, RuntimeFixture.Ct),
                 await db.ProviderKeys.CountAsync(k => k.EnterpriseId == id, RuntimeFixture.Ct),
                 await db.CustomModels.CountAsync(m => m.EnterpriseId == id, RuntimeFixture.Ct),
                 await db.OrganizationApiKeys.CountAsync(k => organizations.Contains(k.OrganizationId), RuntimeFixture.Ct),
                 await db.EnterpriseMemberships.CountAsync(m => m.EnterpriseId == id, RuntimeFixture.Ct),
                 await db.ModelAccessGrants.CountAsync(g => organizations.Contains(g.OrganizationId), RuntimeFixture.Ct)));
        }

        // No refresh asked for: the seeder renewed the enterprise's policy version, so the runtime's polling picks the new data up.
        Assert.Equal(2, result.SampleTokens.Count);
        var sample = result.SampleTokens[0];
        var client = fixture.Client(sample.Token);
        var (status, body, _) = await client.ResolveAsync(sample.Model);
        for (var tries = 0; status != HttpStatusCode.OK && tries < 40; tries++)
        {
            await Task.Delay(250, RuntimeFixture.Ct);
            (status, body, _) = await client.ResolveAsync(sample.Model);
        }

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("enterprise", body.GetProperty("key").GetProperty("source").GetString());
        Assert.Equal(fixture.StandIn.OpenAIBaseUrl, body.GetProperty("provider").GetProperty("baseUrl").GetString());
        Assert.StartsWith("sk-scale-", body.GetProperty("provider").GetProperty("apiKey").GetString(), StringComparison.Ordinal); // from the secret store

        // The sample's organization may use the enterprise models allowed for all (2 keys x 3 models) and its 2 grants; nothing else.
        var models = await client.ModelsAsync();
        Assert.Equal(8, models.Count);
        Assert.All(models, m => Assert.Equal("enterprise", m.Source));
        Assert.Contains(models, m => m.Id == sample.Model);
    }
}
