using ByokPortal.Core.ApiKeys;
using ByokPortal.Core.Common;
using ByokPortal.Testing;
using Microsoft.EntityFrameworkCore;

namespace ByokPortal.Core.Tests.ApiKeys;

/// <summary>
/// Checking a presented API key, as the runtime API will: the issued token is accepted; unknown, malformed, revoked and expired keys are
/// refused; "last used" is written at most once a minute. The portal's clock is a fake one that only the tests move.
/// </summary>
public sealed class AuthenticateApiKeyQueryTests(FrozenClockPortalFixture fixture) : IClassFixture<FrozenClockPortalFixture>
{
    private static CancellationToken Ct => PortalFixture.Ct;

    private const string Web = "contoso-web";

    private DateOnly Today => DateOnly.FromDateTime(fixture.Clock.GetUtcNow().UtcDateTime);

    private async Task<IssuedApiKey> IssueAsync(DateOnly? expiresOn = null) =>
        await new PortalSteps(fixture).IssueApiKeyAsync(await fixture.ActorAsync(DemoSignIn.WebOwner), Web, TestData.UniqueName("App"), expiresOn);

    private Task<Result<AuthenticatedApiKey>> AuthenticateAsync(string? token) =>
        fixture.Get<AuthenticateApiKeyQuery>().ExecuteAsync(token, Ct);

    private async Task<DateTimeOffset?> LastUsedAtAsync(Guid id)
    {
        await using var db = await fixture.DbAsync();
        return await db.OrganizationApiKeys.Where(k => k.Id == id).Select(k => k.LastUsedAt).SingleAsync(Ct);
    }

    private static void AssertRefused(Result<AuthenticatedApiKey> result, string message)
    {
        var error = Assert.IsType<UnauthenticatedError>(result.Error);
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public async Task ExecuteAsync_IssuedToken_IsAcceptedAsItsKeyAndOrganization()
    {
        var issued = await IssueAsync();

        var result = await AuthenticateAsync(issued.Token);

        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.Equal((issued.Id, await fixture.OrganizationIdAsync(Web), issued.Name, issued.Prefix),
            (result.Value.ApiKeyId, result.Value.OrganizationId, result.Value.Name, result.Value.Prefix));
    }

    [Fact]
    public async Task ExecuteAsync_WellFormedButUnknownToken_IsRefused()
    {
        var (unknown, _, _) = ApiKeyToken.Create();

        AssertRefused(await AuthenticateAsync(unknown), "This API key is not known.");
    }

    [Fact]
    public async Task ExecuteAsync_IssuedTokenWithOneCharacterChanged_IsRefused()
    {
        var issued = await IssueAsync();
        var last = issued.Token[^1];
        var altered = issued.Token[..^1] + (last == 'a' ? 'b' : 'a');

        AssertRefused(await AuthenticateAsync(altered), "This API key is not known.");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("byok_")]
    [InlineData("byok_tooShort123")]
    [InlineData("BYOK_0123456789abcdefghijABCDEFGHIJ0123456789")]
    [InlineData("sk-t_0123456789abcdefghijABCDEFGHIJ0123456789")]
    [InlineData("byok_0123456789abcdefghij-BCDEFGHIJ0123456789")]
    [InlineData("byok_0123456789abcdefghijABCDEFGHIJ012345678é")]
    [InlineData("byok_0123456789abcdefghijABCDEFGHIJ0123456789x")]
    [InlineData("Bearer byok_0123456789abcdefghijABCDEFGHIJ01")]
    public async Task ExecuteAsync_MalformedToken_IsRefusedWithoutALookup(string? token)
    {
        AssertRefused(await AuthenticateAsync(token), "A valid organization API key is required.");
    }

    [Fact]
    public async Task ExecuteAsync_IssuedTokenWithSurroundingSpace_IsRefused()
    {
        var issued = await IssueAsync();

        AssertRefused(await AuthenticateAsync(" " + issued.Token), "A valid organization API key is required.");
        AssertRefused(await AuthenticateAsync(issued.Token + "\n"), "A valid organization API key is required.");
    }

    [Fact]
    public async Task ExecuteAsync_TheStoredHashOrPrefixPresentedAsTheKey_IsRefused()
    {
        // Someone who read the database has the hash and the prefix, never a working key.
        var issued = await IssueAsync();
        string hash;
        await using (var db = await fixture.DbAsync())
        {
            hash = await db.OrganizationApiKeys.Where(k => k.Id == issued.Id).Select(k => k.SecretHash).SingleAsync(Ct);
        }

        AssertRefused(await AuthenticateAsync(hash), "A valid organization API key is required.");
        AssertRefused(await AuthenticateAsync("byok_" + hash[..40]), "This API key is not known.");
        AssertRefused(await AuthenticateAsync(issued.Prefix), "A valid organization API key is required.");
    }

    [Fact]
    public async Task ExecuteAsync_RevokedKey_IsRefusedFromTheMomentItIsRevoked()
    {
        var issued = await IssueAsync();
        Assert.True((await AuthenticateAsync(issued.Token)).IsSuccess);

        var revoked = await fixture.Get<RevokeApiKeyCommand>().ExecuteAsync(await fixture.ActorAsync(DemoSignIn.WebOwner), Web, issued.Id, Ct);

        Assert.True(revoked.IsSuccess, revoked.Error?.Message);
        AssertRefused(await AuthenticateAsync(issued.Token), "This API key was revoked.");
    }

    [Fact]
    public async Task ExecuteAsync_KeyWithAnExpiryDate_WorksThroughItsLastDayAndIsRefusedFromMidnightUtc()
    {
        var issued = await IssueAsync(Today.AddDays(1));
        var expiresAt = issued.ExpiresAt!.Value;

        fixture.Clock.Advance(expiresAt - fixture.Clock.GetUtcNow() - TimeSpan.FromSeconds(1));
        var lastSecond = await AuthenticateAsync(issued.Token);
        fixture.Clock.Advance(TimeSpan.FromSeconds(1));
        var atMidnight = await AuthenticateAsync(issued.Token);

        Assert.True(lastSecond.IsSuccess, lastSecond.Error?.Message);
        AssertRefused(atMidnight, "This API key has expired.");
    }

    [Fact]
    public async Task ExecuteAsync_RepeatedUse_RecordsLastUsedAtMostOnceAMinute()
    {
        var issued = await IssueAsync();
        var first = fixture.Clock.GetUtcNow();

        Assert.True((await AuthenticateAsync(issued.Token)).IsSuccess);
        var afterFirst = await LastUsedAtAsync(issued.Id);
        fixture.Clock.Advance(TimeSpan.FromSeconds(59));
        Assert.True((await AuthenticateAsync(issued.Token)).IsSuccess);
        var afterFiftyNineSeconds = await LastUsedAtAsync(issued.Id);
        fixture.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True((await AuthenticateAsync(issued.Token)).IsSuccess);
        var afterAMinute = await LastUsedAtAsync(issued.Id);

        Assert.Equal(first, afterFirst);
        Assert.Equal(first, afterFiftyNineSeconds);
        Assert.Equal(first.AddMinutes(1), afterAMinute);
        var listed = await fixture.Get<ListApiKeysQuery>().ExecuteAsync(await fixture.ActorAsync(DemoSignIn.WebOwner), Web, Ct);
        Assert.Equal(first.AddMinutes(1), listed.Value.Keys.Single(k => k.Id == issued.Id).LastUsedAt);
    }

    [Fact]
    public async Task ExecuteAsync_RefusedKey_DoesNotRecordAUse()
    {
        var issued = await IssueAsync();
        Assert.True((await fixture.Get<RevokeApiKeyCommand>().ExecuteAsync(await fixture.ActorAsync(DemoSignIn.WebOwner), Web, issued.Id, Ct)).IsSuccess);

        AssertRefused(await AuthenticateAsync(issued.Token), "This API key was revoked.");

        Assert.Null(await LastUsedAtAsync(issued.Id));
    }
}
