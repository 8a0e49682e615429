using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ByokPortal.Core.ApiKeys;
using ByokPortal.Core.Audit;
using ByokPortal.Core.Common;
using ByokPortal.Testing;
using Microsoft.EntityFrameworkCore;

namespace ByokPortal.Core.Tests.ApiKeys;

/// <summary>
/// Issuing an organization API key: the token is shown once and only its SHA-256 and prefix are stored; names and expiry are validated;
/// only owners of the organization may issue and list. The portal's clock stands still (a fake clock) unless a test moves it.
/// Tokens are compared with booleans, so a failing test never prints one.
/// </summary>
public sealed class IssueApiKeyCommandTests(FrozenClockPortalFixture fixture) : IClassFixture<FrozenClockPortalFixture>
{
    private static CancellationToken Ct => PortalFixture.Ct;

    private const string Web = "contoso-web";

    private DateOnly Today => DateOnly.FromDateTime(fixture.Clock.GetUtcNow().UtcDateTime);

    private async Task<Result<IssuedApiKey>> IssueAsync(string who, string name, DateOnly? expiresOn = null, string organization = Web) =>
        await fixture.Get<IssueApiKeyCommand>().ExecuteAsync(await fixture.ActorAsync(who), organization, new IssueApiKeyInput { Name = name, ExpiresOn = expiresOn is { } day ? TextRules.FormatDate(day) : null }, Ct);

    private async Task<int> ApiKeyCountAsync()
    {
        await using var db = await fixture.DbAsync();
        return await db.OrganizationApiKeys.CountAsync(Ct);
    }

    private static string Sha256Hex(string value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)));

    [Fact]
    public async Task ExecuteAsync_Owner_ReturnsAByokTokenOnceAndStoresOnlyItsSha256AndPrefix()
    {
        var name = TestData.UniqueName("Build server");

        var result = await IssueAsync(DemoSignIn.WebOwner, name);

        Assert.True(result.IsSuccess, result.Error?.Message);
        var issued = result.Value;
        var token = issued.Token;
        var randomPart = token[ApiKeyToken.Scheme.Length..];
        Assert.True(token.StartsWith("byok_", StringComparison.Ordinal), "the token does not start with byok_");
        Assert.True(token.Length == 45 && randomPart.All(char.IsAsciiLetterOrDigit), "the token is not byok_ and 40 letters and digits");
        Assert.True(issued.Prefix == token[..11], "the prefix is not the token's first 11 characters");
        Assert.Equal(name, issued.Name);
        Assert.Null(issued.ExpiresAt);

        await using var db = await fixture.DbAsync();
        var row = await db.OrganizationApiKeys.AsNoTracking().SingleAsync(k => k.Id == issued.Id, Ct);
        Assert.True(row.SecretHash == Sha256Hex(token), "the stored hash is not the lower-case hex SHA-256 of the token");
        Assert.Equal(issued.Prefix, row.Prefix);
        Assert.Equal(await fixture.OrganizationIdAsync(Web), row.OrganizationId);
        Assert.Equal(fixture.Clock.GetUtcNow(), row.CreatedAt);
        Assert.Null(row.LastUsedAt);
        Assert.Null(row.RevokedAt);

        // Every column of every API key row, read with plain SQL: the hash and prefix are there, the token (or its secret part) is not.
        var rows = await TestData.RawRowsAsync(db, "OrganizationApiKeys", Ct);
        var values = rows.SelectMany(r => r).ToList();
        Assert.False(values.Any(v => v.Contains(token, StringComparison.Ordinal) || v.Contains(randomPart, StringComparison.Ordinal)), "an API key column holds the token");
        Assert.Contains(rows, r => r.Contains(Sha256Hex(token)) && r.Contains(issued.Prefix));
        Assert.False(TestData.DatabaseFilesContain(fixture.Factory.DataDirectory, randomPart), "the SQLite files hold the token");
        Assert.False((await TestData.AllAuditTextAsync(db, Ct)).Contains(randomPart, StringComparison.Ordinal), "an audit event holds the token");
        Assert.False(fixture.Factory.Logs.AllText.Contains(randomPart, StringComparison.Ordinal), "the logs hold the token");
    }

    [Fact]
    public async Task ExecuteAsync_AfterIssuing_NoQueryShowsTheTokenAgain()
    {
        var issued = (await IssueAsync(DemoSignIn.WebOwner, TestData.UniqueName("Shown once"))).Value;
        var secretPart = issued.Token[ApiKeyToken.Scheme.Length..];

        var list = await fixture.Get<ListApiKeysQuery>().ExecuteAsync(await fixture.ActorAsync(DemoSignIn.WebOwner), Web, Ct);

        Assert.True(list.IsSuccess, list.Error?.Message);
        Assert.False(JsonSerializer.Serialize(list.Value).Contains(secretPart, StringComparison.Ordinal), "the list shows the token");
        var row = Assert.Single(list.Value.Keys, k => k.Id == issued.Id);
        Assert.Equal((issued.Name, issued.Prefix, DemoSignIn.WebOwner, ApiKeyStatus.Active, (DateTimeOffset?)null, (DateTimeOffset?)null),
            (row.Name, row.Prefix, row.CreatedBy, row.Status, row.LastUsedAt, row.ExpiresAt));
        Assert.Contains(list.Value.ActiveKeys, k => k.Id == issued.Id);
    }

    [Fact]
    public async Task ExecuteAsync_TwoKeys_GetDifferentTokensAndHashes()
    {
        var first = (await IssueAsync(DemoSignIn.WebOwner, TestData.UniqueName("First"))).Value;
        var second = (await IssueAsync(DemoSignIn.WebOwner, TestData.UniqueName("Second"))).Value;

        Assert.False(first.Token == second.Token, "two keys got the same token");
        await using var db = await fixture.DbAsync();
        var hashes = await db.OrganizationApiKeys.Where(k => k.Id == first.Id || k.Id == second.Id).Select(k => k.SecretHash).ToListAsync(Ct);
        Assert.Equal(2, hashes.Distinct().Count());
    }

    [Fact]
    public async Task ExecuteAsync_CreatesAnAuditEventWithThePrefixButNotTheToken()
    {
        var name = TestData.UniqueName("Audited");
        var oscar = await fixture.ActorAsync(DemoSignIn.WebOwner);

        var issued = (await IssueAsync(DemoSignIn.WebOwner, name, Today.AddDays(30))).Value;

        await using var db = await fixture.DbAsync();
        var created = Assert.Single(await TestData.AuditEventsForAsync(db, issued.Id.ToString(), Ct));
        Assert.Equal((AuditActions.ApiKeyCreate, AuditOutcome.Succeeded, oscar.PersonId, "api_key", name),
            (created.Action, created.Outcome, created.ActorId, created.TargetType, created.TargetName));
        Assert.Equal(await fixture.OrganizationIdAsync(Web), created.OrganizationId);
        Assert.Contains(issued.Prefix, created.Details, StringComparison.Ordinal);
        Assert.False(created.Details!.Contains(issued.Token[ApiKeyToken.Scheme.Length..], StringComparison.Ordinal), "the audit event holds the token");
    }

    [Fact]
    public async Task ExecuteAsync_WithAnExpiryDate_WorksUntilTheEndOfThatDayUtc()
    {
        var lastDay = Today.AddDays(30);

        var issued = (await IssueAsync(DemoSignIn.WebOwner, TestData.UniqueName("Expiring"), lastDay)).Value;

        var endOfLastDay = new DateTimeOffset(lastDay.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        Assert.Equal(endOfLastDay, issued.ExpiresAt);
        await using var db = await fixture.DbAsync();
        Assert.Equal(endOfLastDay, await db.OrganizationApiKeys.Where(k => k.Id == issued.Id).Select(k => k.ExpiresAt).SingleAsync(Ct));
    }

    [Theory]
    [InlineData(-1, "The expiry date must be in the future.")]
    [InlineData(0, "The expiry date must be in the future.")]
    [InlineData(731, "An API key can last at most 2 years.")]
    [InlineData(3650, "An API key can last at most 2 years.")]
    public async Task ExecuteAsync_ExpiryPastTodayOrBeyondTwoYears_IsRefusedAndNothingIsStored(int daysFromToday, string message)
    {
        var before = await ApiKeyCountAsync();

        var result = await IssueAsync(DemoSignIn.WebOwner, TestData.UniqueName("Bad expiry"), Today.AddDays(daysFromToday));

        Assert.Equal([message], TestData.MessagesFor(result.Error, nameof(IssueApiKeyInput.ExpiresOn)));
        Assert.Equal(before, await ApiKeyCountAsync());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(730)]
    public async Task ExecuteAsync_ExpiryFromTomorrowToTwoYears_IsAccepted(int daysFromToday)
    {
        var result = await IssueAsync(DemoSignIn.WebOwner, TestData.UniqueName("Good expiry"), Today.AddDays(daysFromToday));

        Assert.True(result.IsSuccess, result.Error?.Message);
    }

    [Theory]
    [InlineData("", "Name is required.")]
    [InlineData("   ", "Name is required.")]
    [InlineData("101", "Name must be at most 100 characters.")]
    [InlineData("control", "Name must not contain control, invisible or direction-changing characters.")]
    public async Task ExecuteAsync_InvalidName_IsRefusedAndNothingIsStored(string name, string message)
    {
        name = name switch
        {
            "101" => new string('n', 101),
            "control" => "Build\nserver",
            _ => name,
        };
        var before = await ApiKeyCountAsync();

        var result = await IssueAsync(DemoSignIn.WebOwner, name);

        Assert.Contains(message, TestData.MessagesFor(result.Error, nameof(IssueApiKeyInput.Name)));
        Assert.Equal(before, await ApiKeyCountAsync());
    }

    [Theory]
    [InlineData("{0}")]
    [InlineData("  {0} ")]
    public async Task ExecuteAsync_NameOfAnActiveKey_IsRefused(string variant)
    {
        var name = TestData.UniqueName("Deploy bot");
        Assert.True((await IssueAsync(DemoSignIn.WebOwner, name)).IsSuccess);
        var before = await ApiKeyCountAsync();

        var again = await IssueAsync(DemoSignIn.WebOwner, string.Format(System.Globalization.CultureInfo.InvariantCulture, variant, name));

        Assert.Equal([$"An active API key named \"{name}\" already exists. Choose another name."], TestData.MessagesFor(again.Error, nameof(IssueApiKeyInput.Name)));
        Assert.Equal(before, await ApiKeyCountAsync());
    }

    [Fact]
    public async Task ExecuteAsync_NameOfARevokedKey_CanBeUsedAgain()
    {
        var name = TestData.UniqueName("Rotated");
        var first = (await IssueAsync(DemoSignIn.WebOwner, name)).Value;
        Assert.True((await fixture.Get<RevokeApiKeyCommand>().ExecuteAsync(await fixture.ActorAsync(DemoSignIn.WebOwner), Web, first.Id, Ct)).IsSuccess);

        var second = await IssueAsync(DemoSignIn.WebOwner, name);

        Assert.True(second.IsSuccess, second.Error?.Message);
        Assert.NotEqual(first.Id, second.Value.Id);
    }

    [Fact]
    public async Task ExecuteAsync_NameOfAnExpiredKey_CanBeUsedAgain()
    {
        var name = TestData.UniqueName("Short lived");
        var first = (await IssueAsync(DemoSignIn.WebOwner, name, Today.AddDays(1))).Value;
        fixture.Clock.Advance(first.ExpiresAt!.Value - fixture.Clock.GetUtcNow());

        var second = await IssueAsync(DemoSignIn.WebOwner, name);

        Assert.True(second.IsSuccess, second.Error?.Message);
    }

    [Fact]
    public async Task ExecuteAsync_SameNameInAnotherOrganization_IsAllowed()
    {
        var name = TestData.UniqueName("Shared name");
        Assert.True((await IssueAsync(DemoSignIn.WebOwner, name)).IsSuccess);

        var inData = await IssueAsync(DemoSignIn.DataOwner, name, organization: "contoso-data");

        Assert.True(inData.IsSuccess, inData.Error?.Message);
    }

    [Theory]
    [InlineData(DemoSignIn.WebMember, typeof(ForbiddenError))]
    [InlineData(DemoSignIn.DataOwner, typeof(NotFoundError))]
    public async Task ExecuteAsync_NotAnOwnerOfTheOrganization_IsRefusedStoresNothingAndAuditsTheAttempt(string who, Type expected)
    {
        var before = await ApiKeyCountAsync();

        var result = await IssueAsync(who, TestData.UniqueName("Sneaky"));

        Assert.IsType(expected, result.Error);
        Assert.Equal(before, await ApiKeyCountAsync());
        await using var db = await fixture.DbAsync();
        var denied = await db.AuditEvents.AsNoTracking().OrderByDescending(e => e.Id).FirstAsync(Ct);
        Assert.Equal((AuditActions.ApiKeyCreate, AuditOutcome.Denied, Web), (denied.Action, denied.Outcome, denied.TargetName));
    }

    [Fact]
    public async Task ExecuteAsync_EnterpriseOwner_MayIssue()
    {
        var result = await IssueAsync(DemoSignIn.EnterpriseOwner, TestData.UniqueName("By the enterprise"));

        Assert.True(result.IsSuccess, result.Error?.Message);
    }

    [Theory]
    [InlineData(DemoSignIn.WebOwner, null)]
    [InlineData(DemoSignIn.EnterpriseOwner, null)]
    [InlineData(DemoSignIn.WebMember, typeof(ForbiddenError))]
    [InlineData(DemoSignIn.DataOwner, typeof(NotFoundError))]
    public async Task ListApiKeys_OnlyOwnersOfTheOrganization_MayList(string who, Type? expected)
    {
        var result = await fixture.Get<ListApiKeysQuery>().ExecuteAsync(await fixture.ActorAsync(who), Web, Ct);

        if (expected is null)
        {
            Assert.True(result.IsSuccess, result.Error?.Message);
        }
        else
        {
            Assert.IsType(expected, result.Error);
        }
    }

    [Fact]
    public async Task ListApiKeys_ActiveRevokedAndExpiredKeys_AreListedWithTheirStatusActiveFirst()
    {
        var oscar = await fixture.ActorAsync(DemoSignIn.WebOwner);
        var enterprise = await TestEnterprise.CreateAsync(fixture);
        var steps = new PortalSteps(fixture);
        var expiring = await steps.IssueApiKeyAsync(oscar, enterprise.OrganizationSlug, "A expiring", Today.AddDays(1));
        var revoked = await steps.IssueApiKeyAsync(oscar, enterprise.OrganizationSlug, "B revoked");
        var active = await steps.IssueApiKeyAsync(oscar, enterprise.OrganizationSlug, "C active");
        Assert.True((await fixture.Get<RevokeApiKeyCommand>().ExecuteAsync(oscar, enterprise.OrganizationSlug, revoked.Id, Ct)).IsSuccess);
        fixture.Clock.Advance(expiring.ExpiresAt!.Value - fixture.Clock.GetUtcNow());

        var list = await fixture.Get<ListApiKeysQuery>().ExecuteAsync(oscar, enterprise.OrganizationSlug, Ct);

        Assert.Equal(
            [("C active", ApiKeyStatus.Active), ("A expiring", ApiKeyStatus.Expired), ("B revoked", ApiKeyStatus.Revoked)],
            list.Value.Keys.Select(k => (k.Name, k.Status)));
        Assert.Equal([active.Id], list.Value.ActiveKeys.Select(k => k.Id));
    }
}
