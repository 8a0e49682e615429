using ByokPortal.Core.Access;
using ByokPortal.Core.Audit;
using ByokPortal.Core.Common;
using ByokPortal.Core.ProviderKeys;
using ByokPortal.Core.Secrets;
using ByokPortal.Testing;
using Microsoft.EntityFrameworkCore;

namespace ByokPortal.Core.Tests.Secrets;

/// <summary>
/// A crash between the secret write and the database write leaves a secret no key references: the sweeper removes it once it is
/// older than the grace period, and never touches a referenced or a young one. The crash's leftover is made the way the crash makes
/// it: the secret is written to the real local store and no key row follows.
/// </summary>
public sealed class OrphanSecretSweepTests(ManualSweepPortalFixture fixture) : IClassFixture<ManualSweepPortalFixture>
{
    private static CancellationToken Ct => PortalFixture.Ct;

    [Fact]
    public async Task Sweep_OrphanOlderThanTheGracePeriod_IsRemovedAndAuditedWhileReferencedAndYoungSecretsStay()
    {
        var ada = await fixture.ActorAsync(DemoSignIn.EnterpriseOwner);
        var keyCredential = TestData.NewCredential();
        var added = await fixture.Get<AddProviderKeyCommand>().ExecuteAsync(ada, KeyScope.Enterprise("contoso"),
            TestData.Input(ProviderKind.OpenAI, TestData.UniqueName("Referenced"), keyCredential, fixture.StandIn.OpenAIBaseUrl, "gpt-4o"), Ct);
        Assert.True(added.IsSuccess, added.Error?.Message);
        var store = fixture.Get<ISecretStore>();
        var orphanValue = TestData.NewCredential();
        var orphan = await store.CreateAsync(orphanValue, Ct);

        fixture.Clock.Advance(SweeperPortalFixture.GracePeriod + TimeSpan.FromMinutes(1));
        var young = await store.CreateAsync(TestData.NewCredential(), Ct);

        var removed = await fixture.Get<SweepOrphanSecretsCommand>().ExecuteAsync(Ct);

        // Other tests of this class may leave orphans of their own that are old enough by now: this one must be among the removed.
        Assert.Contains(orphan.Name, removed);
        Assert.DoesNotContain(young.Name, removed);
        Assert.DoesNotContain(orphan.Name, fixture.SecretFolders());
        Assert.Contains(young.Name, fixture.SecretFolders());
        await using var db = await fixture.DbAsync();
        var key = await db.ProviderKeys.AsNoTracking().SingleAsync(k => k.Id == added.Value.Id, Ct);
        Assert.True(await store.GetAsync(key.SecretReference!, Ct) == keyCredential, "the referenced secret was touched");

        var audit = await db.AuditEvents.AsNoTracking().Where(e => e.Action == AuditActions.SecretOrphanRemove && e.TargetId == orphan.Name).ToListAsync(Ct);
        Assert.NotEmpty(audit);
        Assert.All(audit, e => Assert.Equal("system", e.ActorType));
        Assert.Contains(fixture.Factory.Logs.Lines, l => l.Contains(orphan.Name, StringComparison.Ordinal) && l.Contains("Removed secret", StringComparison.Ordinal));
        Assert.False(fixture.Factory.Logs.AllText.Contains(orphanValue, StringComparison.Ordinal), "the logs hold the orphan's value");
        Assert.False((await TestData.AllAuditTextAsync(db, Ct)).Contains(orphanValue, StringComparison.Ordinal), "the audit log holds the orphan's value");
    }

    [Fact]
    public async Task Sweep_NothingOldEnough_RemovesNothing()
    {
        var young = await fixture.Get<ISecretStore>().CreateAsync(TestData.NewCredential(), Ct);

        var removed = await fixture.Get<SweepOrphanSecretsCommand>().ExecuteAsync(Ct);

        Assert.DoesNotContain(young.Name, removed);
        Assert.Contains(young.Name, fixture.SecretFolders());
    }
}

/// <summary>The sweeper runs by itself, every interval of the portal's clock.</summary>
public sealed class OrphanSecretSweeperTests(HourlySweepPortalFixture fixture) : IClassFixture<HourlySweepPortalFixture>
{
    [Fact]
    public async Task Sweeper_IntervalsPass_RemovesTheOrphanWithoutBeingAsked()
    {
        var orphan = await fixture.Get<ISecretStore>().CreateAsync(TestData.NewCredential(), PortalFixture.Ct);

        // Each hour of the fake clock is one tick of the sweeper; a few ticks give it time to start and to sweep.
        for (var hour = 0; hour < 40 && fixture.SecretFolders().Contains(orphan.Name); hour++)
        {
            fixture.Clock.Advance(TimeSpan.FromHours(1));
            await Task.Delay(250, PortalFixture.Ct);
        }

        Assert.DoesNotContain(orphan.Name, fixture.SecretFolders());
    }
}
