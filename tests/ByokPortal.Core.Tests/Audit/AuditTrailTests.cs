using ByokPortal.Core.Access;
using ByokPortal.Core.Audit;
using ByokPortal.Core.ProviderKeys;
using ByokPortal.Testing;
using Microsoft.EntityFrameworkCore;

namespace ByokPortal.Core.Tests.Audit;

/// <summary>The audit trail is written with the change (one SaveChanges), says who did what, and never holds a credential.</summary>
public sealed class AuditTrailTests(RecordingPortalFixture fixture) : IClassFixture<RecordingPortalFixture>
{
    private static CancellationToken Ct => PortalFixture.Ct;

    private static readonly KeyScope Contoso = KeyScope.Enterprise("contoso");

    [Fact]
    public async Task AddProviderKey_AuditEventCannotBeWritten_NothingIsStoredAndTheSecretIsRemoved()
    {
        var ada = await fixture.ActorAsync(DemoSignIn.EnterpriseOwner);
        var name = TestData.UniqueName("Unaudited");
        var secretsBefore = fixture.SecretFolders();
        (int, int, int, int) before;
        await using (var db = await fixture.DbAsync())
        {
            before = await TestData.CountsAsync(db, Ct);
        }

        fixture.Recorder.FailNextCommandContaining("INSERT INTO \"AuditEvents\"");
        await Assert.ThrowsAsync<DbUpdateException>(() => fixture.Get<AddProviderKeyCommand>().ExecuteAsync(ada, Contoso,
            TestData.Input(ProviderKind.OpenAI, name, TestData.NewCredential(), fixture.StandIn.OpenAIBaseUrl, "gpt-4o"), Ct));

        await using (var db = await fixture.DbAsync())
        {
            Assert.Equal(before, await TestData.CountsAsync(db, Ct));
            Assert.False(await db.ProviderKeys.AnyAsync(k => k.Name == name, Ct), "the key was stored without its audit event");
        }

        Assert.Equal(secretsBefore, fixture.SecretFolders());
    }

    [Fact]
    public async Task AddProviderKey_ChangeAndAuditEvent_AreWrittenInOneTransaction()
    {
        var ada = await fixture.ActorAsync(DemoSignIn.EnterpriseOwner);

        fixture.Recorder.Start();
        var added = await fixture.Get<AddProviderKeyCommand>().ExecuteAsync(ada, Contoso,
            TestData.Input(ProviderKind.OpenAI, TestData.UniqueName("Audited"), TestData.NewCredential(), fixture.StandIn.OpenAIBaseUrl, "gpt-4o", "o3-mini"), Ct);
        fixture.Recorder.Recording = false;

        Assert.True(added.IsSuccess, added.Error?.Message);
        Assert.Equal((1, 1), (fixture.Recorder.TransactionsStarted, fixture.Recorder.TransactionsCommitted));
        var inserts = fixture.Recorder.Commands.Where(c => c.Text.Contains("INSERT INTO", StringComparison.Ordinal)).ToList();
        Assert.Contains(inserts, c => c.Text.Contains("INSERT INTO \"AuditEvents\"", StringComparison.Ordinal));
        Assert.Contains(inserts, c => c.Text.Contains("INSERT INTO \"ProviderKeys\"", StringComparison.Ordinal));
        Assert.All(inserts, c => Assert.True(c.InTransaction, "an insert ran outside the transaction"));
    }

    [Fact]
    public async Task EveryKeyFlow_WithCredentials_NeverRecordsOrLogsACredential()
    {
        var ada = await fixture.ActorAsync(DemoSignIn.EnterpriseOwner);
        var mia = await fixture.ActorAsync(DemoSignIn.WebMember);
        var first = TestData.NewCredential();
        var second = TestData.NewCredential();
        var wrong = TestData.NewCredential();
        var typedByAStranger = TestData.NewCredential();

        var added = await fixture.Get<AddProviderKeyCommand>().ExecuteAsync(ada, Contoso,
            TestData.Input(ProviderKind.OpenAI, TestData.UniqueName("Lifecycle"), first, fixture.StandIn.OpenAIBaseUrl, "gpt-4o"), Ct);
        Assert.True(added.IsSuccess, added.Error?.Message);
        await fixture.Get<FetchProviderModelsQuery>().ExecuteAsync(ada, Contoso, TestData.Input(ProviderKind.OpenAI, "x", wrong, fixture.StandIn.OpenAIBaseUrl), null, Ct);
        await fixture.Get<TestProviderKeyCommand>().ExecuteAsync(ada, Contoso, added.Value.Id, Ct);
        Guid version;
        await using (var db = await fixture.DbAsync())
        {
            version = await db.ProviderKeys.Where(k => k.Id == added.Value.Id).Select(k => k.Version).SingleAsync(Ct);
        }

        var updated = await fixture.Get<UpdateProviderKeyCommand>().ExecuteAsync(ada, Contoso, added.Value.Id, version,
            TestData.Input(ProviderKind.OpenAI, TestData.UniqueName("Lifecycle"), second, fixture.StandIn.OpenAIBaseUrl), Ct);
        Assert.True(updated.IsSuccess, updated.Error?.Message);
        await fixture.Get<TestProviderKeyCommand>().ExecuteAsync(ada, Contoso, added.Value.Id, Ct);
        await fixture.Get<AddProviderKeyCommand>().ExecuteAsync(mia, Contoso,
            TestData.Input(ProviderKind.OpenAI, TestData.UniqueName("Stranger"), typedByAStranger, fixture.StandIn.OpenAIBaseUrl, "gpt-4o"), Ct);
        Assert.True((await fixture.Get<DeleteProviderKeyCommand>().ExecuteAsync(ada, Contoso, added.Value.Id, Ct)).IsSuccess);

        await using (var db = await fixture.DbAsync())
        {
            var events = await TestData.AuditEventsForAsync(db, added.Value.Id.ToString(), Ct);
            Assert.Equal(
                [AuditActions.ProviderKeyCreate, AuditActions.ProviderKeyHealthChange, AuditActions.ProviderKeyTest, AuditActions.ProviderKeyUpdate, AuditActions.ProviderKeyHealthChange, AuditActions.ProviderKeyTest, AuditActions.ProviderKeyDelete],
                events.Select(e => e.Action));
            Assert.All(events, e => Assert.Equal((ada.PersonId, DemoSignIn.EnterpriseOwner, "203.0.113.7"), (e.ActorId, e.ActorName, e.ClientAddress)));
            var denied = await db.AuditEvents.AsNoTracking().Where(e => e.ActorId == mia.PersonId && e.Outcome == AuditOutcome.Denied).ToListAsync(Ct);
            Assert.Contains(denied, e => e.Action == AuditActions.ProviderKeyCreate && e.TargetType == "enterprise");

            var auditText = await TestData.AllAuditTextAsync(db, Ct);
            foreach (var (credential, what) in new[] { (first, "first"), (second, "second"), (wrong, "wrong"), (typedByAStranger, "stranger's") })
            {
                Assert.False(auditText.Contains(credential, StringComparison.Ordinal), $"the audit log holds the {what} credential");
                Assert.False(fixture.Factory.Logs.AllText.Contains(credential, StringComparison.Ordinal), $"the logs hold the {what} credential");
                Assert.False(TestData.DatabaseFilesContain(fixture.Factory.DataDirectory, credential), $"the SQLite files hold the {what} credential");
            }
        }
    }

    [Fact]
    public async Task SearchAuditLog_DeniedAttempt_IsVisibleToTheEnterpriseOwnerButNotToTheMember()
    {
        var mia = await fixture.ActorAsync(DemoSignIn.WebMember);
        var ada = await fixture.ActorAsync(DemoSignIn.EnterpriseOwner);
        var result = await fixture.Get<DeleteProviderKeyCommand>().ExecuteAsync(mia, Contoso, Guid.NewGuid(), Ct);
        Assert.False(result.IsSuccess);

        var page = await fixture.Get<SearchAuditLogQuery>().ExecuteAsync(ada, "contoso", new AuditLogFilter(Actor: DemoSignIn.WebMember, Action: AuditActions.ProviderKeyDelete), 0, 50, Ct);
        var peek = await fixture.Get<SearchAuditLogQuery>().ExecuteAsync(mia, "contoso", new AuditLogFilter(), 0, 50, Ct);

        Assert.True(page.IsSuccess, page.Error?.Message);
        var denied = page.Value.Items[0];
        Assert.Equal((AuditActions.ProviderKeyDelete, AuditOutcome.Denied, DemoSignIn.WebMember, "enterprise", "contoso"),
            (denied.Action, denied.Outcome, denied.ActorName, denied.TargetType, denied.TargetName));
        Assert.False(peek.IsSuccess, "a member can read the enterprise audit log");
    }
}
