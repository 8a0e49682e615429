using ByokPortal.Core.ApiKeys;
using ByokPortal.Core.Audit;
using ByokPortal.Core.Common;
using ByokPortal.Testing;
using Microsoft.EntityFrameworkCore;

namespace ByokPortal.Core.Tests.ApiKeys;

/// <summary>
/// An API key's rate limit: set by the organization's owners (and enterprise owners) only, from 1 to 100,000 requests per minute or empty
/// for the installation's default, audited, and refused with a clear message (nothing changed) for bad input or a stale version.
/// </summary>
public sealed class SetApiKeyRateLimitCommandTests(PortalFixture fixture) : IClassFixture<PortalFixture>
{
    private static CancellationToken Ct => PortalFixture.Ct;

    private const string Web = "contoso-web";

    private async Task<IssuedApiKey> IssueAsync() =>
        await new PortalSteps(fixture).IssueApiKeyAsync(await fixture.ActorAsync(DemoSignIn.WebOwner), Web, TestData.UniqueName("Limited"));

    private async Task<OrganizationApiKey> LoadAsync(Guid id)
    {
        await using var db = await fixture.DbAsync();
        return await db.OrganizationApiKeys.AsNoTracking().SingleAsync(k => k.Id == id, Ct);
    }

    private async Task<Result<Done>> SetAsync(string who, Guid id, string? value, Guid? version = null, string organization = Web) =>
        await fixture.Get<SetApiKeyRateLimitCommand>().ExecuteAsync(
            await fixture.ActorAsync(who), organization, id, new SetApiKeyRateLimitInput(value, version ?? (await LoadAsync(id)).Version), Ct);

    private async Task<List<AuditEvent>> RateLimitEventsAsync(Guid id)
    {
        await using var db = await fixture.DbAsync();
        return (await TestData.AuditEventsForAsync(db, id.ToString(), Ct)).Where(e => e.Action == AuditActions.ApiKeyRateLimitUpdate).ToList();
    }

    [Theory]
    [InlineData(DemoSignIn.WebOwner, "120", 120)]
    [InlineData(DemoSignIn.EnterpriseOwner, " 100,000 ", 100_000)]
    [InlineData(DemoSignIn.WebOwner, "1", 1)]
    public async Task ExecuteAsync_Owner_StoresTheLimitAndAuditsTheChange(string who, string typed, int expected)
    {
        var issued = await IssueAsync();
        var before = await LoadAsync(issued.Id);

        var result = await SetAsync(who, issued.Id, typed);

        Assert.True(result.IsSuccess, result.Error?.Message);
        var after = await LoadAsync(issued.Id);
        Assert.Equal(expected, after.RateLimitPerMinute);
        Assert.NotEqual(before.Version, after.Version);
        var audited = Assert.Single(await RateLimitEventsAsync(issued.Id));
        Assert.Equal((AuditOutcome.Succeeded, issued.Name, (await fixture.ActorAsync(who)).PersonId), (audited.Outcome, audited.TargetName, audited.ActorId));
        Assert.Contains($"\"to\":{expected}", audited.Details, StringComparison.Ordinal);
        Assert.Contains(issued.Prefix, audited.Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecuteAsync_Empty_GivesBackTheDefault()
    {
        var issued = await IssueAsync();
        Assert.True((await SetAsync(DemoSignIn.WebOwner, issued.Id, "50")).IsSuccess);

        var result = await SetAsync(DemoSignIn.WebOwner, issued.Id, "  ");

        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.Null((await LoadAsync(issued.Id)).RateLimitPerMinute);
        Assert.Contains("\"from\":50,\"to\":null", (await RateLimitEventsAsync(issued.Id))[^1].Details, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("100001")]
    [InlineData("99999999999")]
    [InlineData("12.5")]
    [InlineData("ten")]
    [InlineData("1\u200B0")]
    [InlineData("60/min")]
    public async Task ExecuteAsync_BadValue_RefusedOnTheFieldAndNothingChanges(string typed)
    {
        var issued = await IssueAsync();
        Assert.True((await SetAsync(DemoSignIn.WebOwner, issued.Id, "30")).IsSuccess);
        var before = await LoadAsync(issued.Id);

        var result = await SetAsync(DemoSignIn.WebOwner, issued.Id, typed);

        Assert.Equal([SetApiKeyRateLimitInputValidator.OutOfRange], TestData.MessagesFor(result.Error, nameof(SetApiKeyRateLimitInput.RequestsPerMinute)));
        var after = await LoadAsync(issued.Id);
        Assert.Equal((30, before.Version), (after.RateLimitPerMinute, after.Version));
        Assert.Single(await RateLimitEventsAsync(issued.Id));
    }

    [Fact]
    public async Task ExecuteAsync_StaleVersion_ConflictAndTheOtherOwnersLimitStays()
    {
        var issued = await IssueAsync();
        var opened = (await LoadAsync(issued.Id)).Version;
        Assert.True((await SetAsync(DemoSignIn.EnterpriseOwner, issued.Id, "200", opened)).IsSuccess);

        var result = await SetAsync(DemoSignIn.WebOwner, issued.Id, "10", opened);

        Assert.IsType<ConflictError>(result.Error);
        Assert.Equal(200, (await LoadAsync(issued.Id)).RateLimitPerMinute);
    }

    [Theory]
    [InlineData(DemoSignIn.WebMember, typeof(ForbiddenError))]
    [InlineData(DemoSignIn.DataOwner, typeof(NotFoundError))]
    public async Task ExecuteAsync_NotAnOwnerOfTheOrganization_RefusedAndAuditedAsDenied(string who, Type expected)
    {
        var issued = await IssueAsync();

        var result = await SetAsync(who, issued.Id, "5");

        Assert.IsType(expected, result.Error);
        Assert.Null((await LoadAsync(issued.Id)).RateLimitPerMinute);
        await using var db = await fixture.DbAsync();
        var person = (await fixture.ActorAsync(who)).PersonId;
        Assert.True(await db.AuditEvents.AnyAsync(e => e.ActorId == person && e.Action == AuditActions.ApiKeyRateLimitUpdate && e.Outcome == AuditOutcome.Denied, Ct));
    }

    [Fact]
    public async Task ExecuteAsync_KeyOfAnotherOrganization_NotFound()
    {
        var issued = await IssueAsync();

        // Olga owns contoso-data: naming her own organization does not reach contoso-web's key.
        var result = await SetAsync(DemoSignIn.DataOwner, issued.Id, "5", organization: "contoso-data");

        Assert.IsType<NotFoundError>(result.Error);
        Assert.Null((await LoadAsync(issued.Id)).RateLimitPerMinute);
    }

    [Fact]
    public async Task ExecuteAsync_RevokedKey_Refused()
    {
        var issued = await IssueAsync();
        Assert.True((await fixture.Get<RevokeApiKeyCommand>().ExecuteAsync(await fixture.ActorAsync(DemoSignIn.WebOwner), Web, issued.Id, Ct)).IsSuccess);

        var result = await SetAsync(DemoSignIn.WebOwner, issued.Id, "5");

        Assert.IsType<ValidationError>(result.Error);
        Assert.Null((await LoadAsync(issued.Id)).RateLimitPerMinute);
    }
}
