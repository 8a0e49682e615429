using ByokPortal.Core.Access;
using ByokPortal.Core.CustomModels;
using ByokPortal.Core.Organizations;
using ByokPortal.Core.ProviderKeys;
using ByokPortal.Testing;
using Microsoft.EntityFrameworkCore;

namespace ByokPortal.Core.Tests.CustomModels;

/// <summary>An enterprise with 5,000 organizations: the Access list loads them all, and a save writes only what changed, in one transaction.</summary>
public sealed class LargeEnterpriseAccessTests(RecordingPortalFixture fixture) : IClassFixture<RecordingPortalFixture>
{
    private const int OrganizationCount = 5_000;

    private static CancellationToken Ct => PortalFixture.Ct;

    private static readonly KeyScope Contoso = KeyScope.Enterprise("contoso");

    [Fact]
    public async Task SaveModelSettings_OneMoreOrganizationAmong5000_InsertsOneGrantAndDeletesNothingInOneTransaction()
    {
        // 5,000 organizations, written by one SaveChanges.
        List<Guid> organizations;
        await using (var db = await fixture.DbAsync())
        {
            var enterpriseId = await db.Enterprises.Where(e => e.Slug == "contoso").Select(e => e.Id).SingleAsync(Ct);
            var seeded = Enumerable.Range(1, OrganizationCount)
                .Select(i => new Organization { EnterpriseId = enterpriseId, Slug = $"team-{i:D4}", Name = $"Team {i:D4}", CreatedAt = DateTimeOffset.UtcNow })
                .ToList();
            db.Organizations.AddRange(seeded);
            await db.SaveChangesAsync(Ct);
            organizations = seeded.Select(o => o.Id).ToList();
        }

        var ada = await fixture.ActorAsync(DemoSignIn.EnterpriseOwner);
        var added = await fixture.Get<AddProviderKeyCommand>().ExecuteAsync(ada, Contoso,
            TestData.Input(ProviderKind.OpenAI, "Large enterprise", TestData.NewCredential(), fixture.StandIn.OpenAIBaseUrl, "gpt-4o"), Ct);
        Assert.True(added.IsSuccess, added.Error?.Message);
        Guid modelId;
        await using (var db = await fixture.DbAsync())
        {
            modelId = await db.CustomModels.Where(m => m.ProviderKeyId == added.Value.Id).Select(m => m.Id).SingleAsync(Ct);
        }

        // Granted to 4,999 of them.
        var load = fixture.Get<GetModelSettingsQuery>();
        var save = fixture.Get<SaveModelSettingsCommand>();
        var loaded = await load.ExecuteAsync(ada, Contoso, modelId, Ct);
        Assert.Equal(OrganizationCount + 3, loaded.Value.Organizations.Count);
        var most = new ModelSettingsInput { Enabled = true, AccessMode = ModelAccessMode.ChoosePerOrganization, ExpectedVersion = loaded.Value.Version };
        foreach (var id in organizations.Take(OrganizationCount - 1))
        {
            most.OrganizationIds.Add(id);
        }

        var first = await save.ExecuteAsync(ada, Contoso, modelId, most, Ct);
        Assert.True(first.IsSuccess, first.Error?.Message);
        Assert.Equal(OrganizationCount - 1, first.Value.GrantCount);

        // The owner checks the last one and saves.
        var reloaded = await load.ExecuteAsync(ada, Contoso, modelId, Ct);
        Assert.Equal(OrganizationCount - 1, reloaded.Value.GrantedOrganizationIds.Count);
        var all = new ModelSettingsInput { Enabled = true, AccessMode = ModelAccessMode.ChoosePerOrganization, ExpectedVersion = reloaded.Value.Version };
        foreach (var id in reloaded.Value.GrantedOrganizationIds.Append(organizations[^1]))
        {
            all.OrganizationIds.Add(id);
        }

        fixture.Recorder.Start();
        var second = await save.ExecuteAsync(ada, Contoso, modelId, all, Ct);
        fixture.Recorder.Recording = false;

        Assert.True(second.IsSuccess, second.Error?.Message);
        Assert.Equal((1, 0, OrganizationCount), (second.Value.Added, second.Value.Removed, second.Value.GrantCount));
        Assert.Equal(1, fixture.Recorder.Count("INSERT INTO \"ModelAccessGrants\""));
        Assert.Equal(0, fixture.Recorder.Count("DELETE FROM \"ModelAccessGrants\""));
        Assert.Equal(0, fixture.Recorder.Count("DELETE FROM"));
        Assert.Equal((1, 1, 0), (fixture.Recorder.TransactionsStarted, fixture.Recorder.TransactionsCommitted, fixture.Recorder.TransactionsRolledBack));
        var writes = fixture.Recorder.Commands.Where(c => c.Text.Contains("INSERT ", StringComparison.Ordinal) || c.Text.Contains("UPDATE ", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(writes);
        Assert.All(writes, c => Assert.True(c.InTransaction, "a write ran outside the save's transaction: " + c.Text));
        await using (var db = await fixture.DbAsync())
        {
            Assert.Equal(OrganizationCount, await db.ModelAccessGrants.CountAsync(g => g.CustomModelId == modelId, Ct));
        }

        var list = await fixture.Get<ListCustomModelsQuery>().ExecuteAsync(ada, Contoso, Ct);
        Assert.Equal("5000 organizations", list.Value.Models.Single(m => m.Id == modelId).AccessLabel);
    }
}
