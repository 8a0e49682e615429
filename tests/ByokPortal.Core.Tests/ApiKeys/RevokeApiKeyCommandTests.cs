using ByokPortal.Core.ApiKeys;
using ByokPortal.Core.Audit;
using ByokPortal.Core.Common;
using ByokPortal.Testing;
using Microsoft.EntityFrameworkCore;

namespace ByokPortal.Core.Tests.ApiKeys;

/// <summary>Revoking an organization API key: at once, once, audited without the token, by owners of that organization only.</summary>
public sealed class RevokeApiKeyCommandTests(FrozenClockPortalFixture fixture) : IClassFixture<FrozenClockPortalFixture>
{
    private static CancellationToken Ct => PortalFixture.Ct;

    private const string Web = "contoso-web";

    private async Task<IssuedApiKey> IssueAsync() =>
        await new PortalSteps(fixture).IssueApiKeyAsync(await fixture.ActorAsync(DemoSignIn.WebOwner), Web, TestData.UniqueName("Revocable"));

    private async Task<Result<Done>> RevokeAsync(string who, Guid id, string organization = Web) =>
        await fixture.Get<RevokeApiKeyCommand>().ExecuteAsync(await fixture.ActorAsync(who), organization, id, Ct);

    private async Task<OrganizationApiKey> LoadAsync(Guid id)
    {
        await using var db = await fixture.DbAsync();
        return await db.OrganizationApiKeys.AsNoTracking().SingleAsync(k => k.Id == id, Ct);
    }

    [Theory]
    [InlineData(DemoSignIn.WebOwner)]
    [InlineData(DemoSignIn.EnterpriseOwner)]
    public async Task ExecuteAsync_Owner_RevokesAtOnceAndAuditsWithThePrefixButNotTheToken(string who)
    {
        var issued = await IssueAsync();
        var actor = await fixture.ActorAsync(who);

        var result = await RevokeAsync(who, issued.Id);

        Assert.True(result.IsSuccess, result.Error?.Message);
        var key = await LoadAsync(issued.Id);
        Assert.Equal((fixture.Clock.GetUtcNow(), actor.PersonId), (key.RevokedAt, key.RevokedById));
        Assert.Equal(ApiKeyStatus.Revoked, key.StatusAt(fixture.Clock.GetUtcNow()));

        await using var db = await fixture.DbAsync();
        var events = await TestData.AuditEventsForAsync(db, issued.Id.ToString(), Ct);
        Assert.Equal([AuditActions.ApiKeyCreate, AuditActions.ApiKeyRevoke], events.Select(e => e.Action));
        var revoked = events[1];
        Assert.Equal((AuditOutcome.Succeeded, actor.PersonId, issued.Name), (revoked.Outcome, revoked.ActorId, revoked.TargetName));
        Assert.Contains(issued.Prefix, revoked.Details, StringComparison.Ordinal);
        Assert.False((await TestData.AllAuditTextAsync(db, Ct)).Contains(issued.Token[ApiKeyToken.Scheme.Length..], StringComparison.Ordinal), "an audit event holds the token");
    }

    [Fact]
    public async Task ExecuteAsync_AlreadyRevoked_SucceedsAndChangesNothing()
    {
        var issued = await IssueAsync();
        Assert.True((await RevokeAsync(DemoSignIn.WebOwner, issued.Id)).IsSuccess);
        var first = await LoadAsync(issued.Id);
        fixture.Clock.Advance(TimeSpan.FromMinutes(5));

        var again = await RevokeAsync(DemoSignIn.EnterpriseOwner, issued.Id);

        Assert.True(again.IsSuccess, again.Error?.Message);
        var second = await LoadAsync(issued.Id);
        Assert.Equal((first.RevokedAt, first.RevokedById, first.Version), (second.RevokedAt, second.RevokedById, second.Version));
        await using var db = await fixture.DbAsync();
        Assert.Single(await TestData.AuditEventsForAsync(db, issued.Id.ToString(), Ct), e => e.Action == AuditActions.ApiKeyRevoke);
    }

    [Theory]
    [InlineData(DemoSignIn.WebMember, typeof(ForbiddenError))]
    [InlineData(DemoSignIn.DataOwner, typeof(NotFoundError))]
    public async Task ExecuteAsync_NotAnOwnerOfTheOrganization_IsRefusedAndTheKeyKeepsWorking(string who, Type expected)
    {
        var issued = await IssueAsync();

        var result = await RevokeAsync(who, issued.Id);

        Assert.IsType(expected, result.Error);
        Assert.Null((await LoadAsync(issued.Id)).RevokedAt);
        Assert.Equal(ApiKeyStatus.Active, (await LoadAsync(issued.Id)).StatusAt(fixture.Clock.GetUtcNow()));
        await using var db = await fixture.DbAsync();
        Assert.DoesNotContain(await TestData.AuditEventsForAsync(db, issued.Id.ToString(), Ct), e => e.Action == AuditActions.ApiKeyRevoke);
        var denied = await db.AuditEvents.AsNoTracking().OrderByDescending(e => e.Id).FirstAsync(Ct);
        Assert.Equal((AuditActions.ApiKeyRevoke, AuditOutcome.Denied), (denied.Action, denied.Outcome));
    }

    [Fact]
    public async Task ExecuteAsync_UnknownKey_IsNotFound()
    {
        var result = await RevokeAsync(DemoSignIn.WebOwner, Guid.NewGuid());

        Assert.IsType<NotFoundError>(result.Error);
    }
}
