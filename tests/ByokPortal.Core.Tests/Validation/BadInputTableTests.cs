using ByokPortal.Core.Access;
using ByokPortal.Core.ApiKeys;
using ByokPortal.Core.Audit;
using ByokPortal.Core.Common;
using ByokPortal.Core.ProviderKeys;
using ByokPortal.Testing;
using Microsoft.EntityFrameworkCore;

namespace ByokPortal.Core.Tests.Validation;

/// <summary>
/// Every field an owner types, given what should never be accepted (invisible and direction-changing characters, NUL and other
/// controls, dates that do not exist or lie out of range): each answer is a clear message on that field, through the real use
/// case, and nothing is stored (rows and secret folders counted before and after) and no provider is called.
/// </summary>
public sealed class BadInputTableTests(PortalFixture fixture) : IClassFixture<PortalFixture>
{
    private static CancellationToken Ct => PortalFixture.Ct;

    private static readonly KeyScope Contoso = KeyScope.Enterprise("contoso");

    private const string Hidden = " must not contain control, invisible or direction-changing characters.";

    /// <summary>The characters refused everywhere, by name.</summary>
    public static readonly IReadOnlyDictionary<string, string> HiddenCharacters = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["zero-width space"] = "\u200B",
        ["zero-width joiner"] = "\u200D",
        ["zero-width non-joiner"] = "\u200C",
        ["byte order mark"] = "\uFEFF",
        ["left-to-right embedding"] = "\u202A",
        ["right-to-left override"] = "\u202E",
        ["left-to-right isolate"] = "\u2066",
        ["pop directional isolate"] = "\u2069",
        ["right-to-left mark"] = "\u200F",
        ["soft hyphen"] = "\u00AD",
        ["NUL"] = "\0",
        ["escape"] = "\u001B",
        ["line separator"] = "\u2028",
        ["Hangul filler"] = "\u3164",
        ["lone surrogate"] = "\uD800",
    };

    /// <summary>Case (field, character or value), field the message is on, message.</summary>
    public static TheoryData<string, string, string> ProviderKeyCases() => ToTheoryData(AllProviderKeyCases());

    /// <summary>The cases on the fields a provider call uses (not the name, not the models).</summary>
    public static TheoryData<string, string, string> ConnectionCases() =>
        ToTheoryData(AllProviderKeyCases().Where(c => new[] { nameof(ProviderKeyInput.Credential), nameof(ProviderKeyInput.BaseUrl), nameof(ProviderKeyInput.ApiVersion) }.Contains(c.Field)));

    private static TheoryData<string, string, string> ToTheoryData(IEnumerable<(string Case, string Field, string Message)> cases)
    {
        var data = new TheoryData<string, string, string>();
        foreach (var (@case, field, message) in cases)
        {
            data.Add(@case, field, message);
        }

        return data;
    }

    private static List<(string Case, string Field, string Message)> AllProviderKeyCases()
    {
        var data = new List<(string, string, string)>();
        foreach (var name in HiddenCharacters.Keys)
        {
            data.Add(($"name|{name}", nameof(ProviderKeyInput.Name), "Name" + Hidden));
            data.Add(($"base URL|{name}", nameof(ProviderKeyInput.BaseUrl), "Resource URL" + Hidden));
            data.Add(($"model ID|{name}", "ModelIds[0]", ModelIdMessage));
            data.Add(($"API version|{name}", nameof(ProviderKeyInput.ApiVersion), "API version" + Hidden));
            data.Add(($"key|{name}", nameof(ProviderKeyInput.Credential), name is "NUL" or "escape" or "line separator" ? "API key must not contain spaces or line breaks." : "API key" + Hidden));
        }

        foreach (var version in new[] { "2024-02-30-preview", "2024-02-30", "2023-13-01", "0000-01-01", "2024-1-01", "latest" })
        {
            data.Add(($"API version value|{version}", nameof(ProviderKeyInput.ApiVersion), "API version must be a date such as 2024-10-21 (or 2025-01-01-preview)."));
        }

        data.Add(("name length|101", nameof(ProviderKeyInput.Name), "Name must be at most 100 characters."));
        data.Add(("base URL length|2100", nameof(ProviderKeyInput.BaseUrl), "Resource URL is too long."));
        data.Add(("key length|8193", nameof(ProviderKeyInput.Credential), "API key is too long."));
        data.Add(("model ID length|201", "ModelIds[0]", ModelIdMessage));
        return data;
    }

    private const string ModelIdMessage = "A model ID has 1 to 200 characters, and no spaces or control, invisible or direction-changing characters.";

    /// <summary>A valid Azure OpenAI input (it has every field: name, key, resource URL, API version, model) with one field spoiled.</summary>
    private ProviderKeyInput Spoiled(string @case, string credential)
    {
        var input = TestData.Input(ProviderKind.AzureOpenAI, TestData.UniqueName("Bad input"), credential, fixture.StandIn.AzureBaseUrl, "gpt-4o");
        input = input with { ApiVersion = "2024-10-21" };
        var (field, what) = (@case.Split('|')[0], @case.Split('|')[1]);
        var hidden = HiddenCharacters.GetValueOrDefault(what, "");
        switch (field)
        {
            case "name": input = input with { Name = "Team" + hidden + "key" }; break;
            case "base URL": input = input with { BaseUrl = fixture.StandIn.AzureBaseUrl.Replace("/azure", "/az" + hidden + "ure", StringComparison.Ordinal) }; break;
            case "model ID": input = input with { ModelIds = ["gpt" + hidden + "-4o"] }; break;
            case "API version": input = input with { ApiVersion = "2024-10" + hidden + "-21" }; break;
            case "key": input = input with { Credential = credential[..12] + hidden + credential[12..] }; break;
            case "API version value": input = input with { ApiVersion = what }; break;
            case "name length": input = input with { Name = new string('n', 101) }; break;
            case "base URL length": input = input with { BaseUrl = fixture.StandIn.AzureBaseUrl + "/" + new string('v', 2100) }; break;
            case "key length": input = input with { Credential = credential + new string('k', 8193 - credential.Length) }; break;
            case "model ID length": input = input with { ModelIds = [new string('m', 201)] }; break;
            default: throw new ArgumentOutOfRangeException(nameof(@case), @case, null);
        }

        return input;
    }

    private sealed record Snapshot((int, int, int, int) Counts, int ApiKeys, IReadOnlySet<string> Secrets, int ProviderRequests);

    private async Task<Snapshot> SnapshotAsync()
    {
        await using var db = await fixture.DbAsync();
        return new Snapshot(await TestData.CountsAsync(db, Ct), await db.OrganizationApiKeys.CountAsync(Ct), fixture.SecretFolders(), fixture.StandIn.Requests.Count);
    }

    /// <summary>Nothing stored: the same rows (audit events included), the same secret folders, no provider called.</summary>
    private async Task AssertNothingChangedAsync(Snapshot before)
    {
        var after = await SnapshotAsync();
        Assert.Equal(before.Counts, after.Counts);
        Assert.Equal(before.ApiKeys, after.ApiKeys);
        Assert.Equal(before.Secrets, after.Secrets);
        Assert.Equal(before.ProviderRequests, after.ProviderRequests);
    }

    private static void AssertMessageOn(Error? error, string field, string message, string credential)
    {
        var validation = Assert.IsType<ValidationError>(error);
        Assert.False(validation.Message.Contains(credential, StringComparison.Ordinal), "the message echoes the credential");
        Assert.Equal([message], TestData.MessagesFor(validation, field));
    }

    [Theory]
    [MemberData(nameof(ProviderKeyCases))]
    public async Task AddProviderKey_BadField_MessageOnThatFieldAndNothingStored(string @case, string field, string message)
    {
        var credential = TestData.NewCredential();
        var input = Spoiled(@case, credential);
        var before = await SnapshotAsync();

        var result = await fixture.Get<AddProviderKeyCommand>().ExecuteAsync(await fixture.ActorAsync(DemoSignIn.EnterpriseOwner), Contoso, input, Ct);

        AssertMessageOn(result.Error, field, message, credential);
        await AssertNothingChangedAsync(before);
        Assert.False(TestData.DatabaseFilesContain(fixture.Factory.DataDirectory, credential), "the refused credential reached the database");
    }

    [Theory]
    [MemberData(nameof(ProviderKeyCases))]
    public async Task UpdateProviderKey_BadField_MessageOnThatFieldAndTheKeyUnchanged(string @case, string field, string message)
    {
        var ada = await fixture.ActorAsync(DemoSignIn.EnterpriseOwner);
        var added = await fixture.Get<AddProviderKeyCommand>().ExecuteAsync(ada, Contoso, Spoiled("API version value|2024-10-21", TestData.NewCredential()), Ct);
        Assert.True(added.IsSuccess, added.Error?.Message);
        ProviderKey stored;
        await using (var db = await fixture.DbAsync())
        {
            stored = await db.ProviderKeys.AsNoTracking().SingleAsync(k => k.Id == added.Value.Id, Ct);
        }

        var credential = TestData.NewCredential();
        var input = Spoiled(@case, credential);
        var before = await SnapshotAsync();

        var result = await fixture.Get<UpdateProviderKeyCommand>().ExecuteAsync(ada, Contoso, stored.Id, stored.Version, input, Ct);

        AssertMessageOn(result.Error, field, message, credential);
        await AssertNothingChangedAsync(before);
        await using (var db = await fixture.DbAsync())
        {
            var after = await db.ProviderKeys.AsNoTracking().SingleAsync(k => k.Id == stored.Id, Ct);
            Assert.Equal((stored.Name, stored.BaseUrl, stored.ApiVersion, stored.SecretVersion, stored.Version), (after.Name, after.BaseUrl, after.ApiVersion, after.SecretVersion, after.Version));
        }
    }

    /// <summary>"Fetch new models" and the form's "Test credentials" check the connection fields with Save's rules, before any call.</summary>
    [Theory]
    [MemberData(nameof(ConnectionCases))]
    public async Task FetchProviderModels_BadConnectionField_SameMessageAsSaveAndNoProviderCalled(string @case, string field, string message)
    {
        var credential = TestData.NewCredential();
        var input = Spoiled(@case, credential);
        var before = await SnapshotAsync();

        var result = await fixture.Get<FetchProviderModelsQuery>().ExecuteAsync(await fixture.ActorAsync(DemoSignIn.EnterpriseOwner), Contoso, input, null, Ct);

        AssertMessageOn(result.Error, field, message, credential);
        await AssertNothingChangedAsync(before);
    }

    /// <summary>By the character's name (test data travels serialized, and a lone surrogate would not survive the trip).</summary>
    public static TheoryData<string, string> ApiKeyNameCases()
    {
        var data = new TheoryData<string, string>();
        foreach (var name in HiddenCharacters.Keys)
        {
            data.Add(name, "Name" + Hidden);
        }

        data.Add("101 characters", "Name must be at most 100 characters.");
        return data;
    }

    [Theory]
    [MemberData(nameof(ApiKeyNameCases))]
    public async Task IssueApiKey_BadName_MessageOnTheNameAndNothingStored(string @case, string message)
    {
        var name = @case == "101 characters" ? new string('n', 101) : "Build" + HiddenCharacters[@case] + "server";
        var before = await SnapshotAsync();

        var result = await fixture.Get<IssueApiKeyCommand>().ExecuteAsync(await fixture.ActorAsync(DemoSignIn.WebOwner), "contoso-web",
            new IssueApiKeyInput { Name = name }, Ct);

        Assert.Equal([message], TestData.MessagesFor(result.Error, nameof(IssueApiKeyInput.Name)));
        await AssertNothingChangedAsync(before);
    }

    /// <summary>An unreadable expiry is never "no expiry"; one out of range says which way.</summary>
    [Theory]
    [InlineData("2026-02-30", IssueApiKeyInputValidator.UnreadableExpiry)]
    [InlineData("2027-13-01", IssueApiKeyInputValidator.UnreadableExpiry)]
    [InlineData("abc", IssueApiKeyInputValidator.UnreadableExpiry)]
    [InlineData("31/12/2027", IssueApiKeyInputValidator.UnreadableExpiry)]
    [InlineData("20000-01-01", IssueApiKeyInputValidator.UnreadableExpiry)]
    [InlineData("275760-09-13", IssueApiKeyInputValidator.UnreadableExpiry)]
    [InlineData("2027-06-30\u200B", IssueApiKeyInputValidator.UnreadableExpiry)]
    [InlineData("9999-12-31", "An API key can last at most 2 years.")]
    [InlineData("0001-01-01", "The expiry date must be in the future.")]
    public async Task IssueApiKey_UnreadableOrOutOfRangeExpiry_MessageOnTheExpiryAndNothingStored(string expiresOn, string message)
    {
        var before = await SnapshotAsync();

        var result = await fixture.Get<IssueApiKeyCommand>().ExecuteAsync(await fixture.ActorAsync(DemoSignIn.WebOwner), "contoso-web",
            new IssueApiKeyInput { Name = TestData.UniqueName("Expiring"), ExpiresOn = expiresOn }, Ct);

        Assert.Equal([message], TestData.MessagesFor(result.Error, nameof(IssueApiKeyInput.ExpiresOn)));
        await AssertNothingChangedAsync(before);
    }

    [Theory]
    [InlineData("9999-12-31", null, "From", "From must be between 2000-01-01 and 2999-12-31.")]
    [InlineData(null, "9999-12-31", "To", "To must be between 2000-01-01 and 2999-12-31.")]
    [InlineData("0001-01-01", null, "From", "From must be between 2000-01-01 and 2999-12-31.")]
    [InlineData(null, "0001-01-01", "To", "To must be between 2000-01-01 and 2999-12-31.")]
    [InlineData("2026-02-30", null, "From", "From must be a real day, written YYYY-MM-DD (e.g. 2026-03-02).")]
    [InlineData(null, "2026-02-30", "To", "To must be a real day, written YYYY-MM-DD (e.g. 2026-03-02).")]
    [InlineData("abc", null, "From", "From must be a real day, written YYYY-MM-DD (e.g. 2026-03-02).")]
    [InlineData(null, "10000-01-01", "To", "To must be a real day, written YYYY-MM-DD (e.g. 2026-03-02).")]
    [InlineData("2026-03-02T00:00", null, "From", "From must be a real day, written YYYY-MM-DD (e.g. 2026-03-02).")]
    [InlineData("2026-05-02", "2026-05-01", "To", "To must be the same day as From or later.")]
    public async Task SearchAuditLog_BadDates_MessageOnTheFieldForThePageAndTheExport(string? from, string? to, string field, string message)
    {
        var ada = await fixture.ActorAsync(DemoSignIn.EnterpriseOwner);
        var filter = new AuditLogFilter(From: from, To: to);

        var page = await fixture.Get<SearchAuditLogQuery>().ExecuteAsync(ada, "contoso", filter, 0, 50, Ct);
        var export = await fixture.Get<SearchAuditLogQuery>().ExportAsync(ada, "contoso", filter, Ct);

        Assert.Equal([message], TestData.MessagesFor(page.Error, field));
        Assert.Equal([message], TestData.MessagesFor(export.Error, field));
    }

    [Theory]
    [InlineData("2000-01-01", "2999-12-31")]
    [InlineData("2026-05-02", "2026-05-02")]
    [InlineData(" 2026-05-02 ", null)]
    public async Task SearchAuditLog_DatesAtTheEdgesOfTheRange_AreAccepted(string? from, string? to)
    {
        var result = await fixture.Get<SearchAuditLogQuery>().ExecuteAsync(await fixture.ActorAsync(DemoSignIn.EnterpriseOwner), "contoso",
            new AuditLogFilter(From: from, To: to), 0, 50, Ct);

        Assert.True(result.IsSuccess, result.Error?.Message);
    }
}
