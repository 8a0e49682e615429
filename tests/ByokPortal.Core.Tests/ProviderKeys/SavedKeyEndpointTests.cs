using ByokPortal.Core.Access;
using ByokPortal.Core.Audit;
using ByokPortal.Core.Common;
using ByokPortal.Core.ProviderKeys;
using ByokPortal.Core.Secrets;
using ByokPortal.Testing;
using Microsoft.EntityFrameworkCore;

namespace ByokPortal.Core.Tests.ProviderKeys;

/// <summary>
/// A saved key only ever goes to the address it was saved with. Otherwise an owner could read any saved key back: open it for editing,
/// point "Fetch new models" (or Save) at a server of their own and leave the key field empty. Pointing a saved key elsewhere needs the
/// key typed again. A second provider stand-in plays the owner's own server and records what reaches it.
/// </summary>
public sealed class SavedKeyEndpointTests(PortalFixture fixture) : IClassFixture<PortalFixture>
{
    private static CancellationToken Ct => PortalFixture.Ct;

    private static readonly KeyScope Contoso = KeyScope.Enterprise("contoso");

    private const string BaseUrlMessage = "Enter the key again to use it with a different base URL: a saved key is only sent to the address it was saved with.";
    private const string AzureMessage = "Enter the key again to use it with a different resource URL or API version: a saved key is only sent to the address it was saved with.";

    private async Task<ProviderKey> AddAsync(ProviderKind provider, string? credential, string baseUrl, string who = DemoSignIn.EnterpriseOwner, KeyScope? scope = null)
    {
        var added = await fixture.Get<AddProviderKeyCommand>().ExecuteAsync(await fixture.ActorAsync(who), scope ?? Contoso,
            TestData.Input(provider, TestData.UniqueName("Saved"), credential, baseUrl, "gpt-4o"), Ct);
        Assert.True(added.IsSuccess, added.Error?.Message);
        return await LoadAsync(added.Value.Id);
    }

    private async Task<ProviderKey> LoadAsync(Guid id)
    {
        await using var db = await fixture.DbAsync();
        return await db.ProviderKeys.AsNoTracking().SingleAsync(k => k.Id == id, Ct);
    }

    private async Task<Result<IReadOnlyList<string>>> FetchAsync(ProviderKey key, string? credential, string baseUrl, string? apiVersion = null, string who = DemoSignIn.EnterpriseOwner, KeyScope? scope = null)
    {
        var input = TestData.Input(key.Provider, key.Name, credential, baseUrl);
        input = input with { ApiVersion = apiVersion ?? key.ApiVersion };
        return (await fixture.Get<FetchProviderModelsQuery>().ExecuteAsync(await fixture.ActorAsync(who), scope ?? Contoso, input, key.Id, Ct)).Models();
    }

    private async Task<Result<ProviderKeySaved>> UpdateAsync(ProviderKey key, string name, string? credential, string baseUrl, string? apiVersion = null)
    {
        var input = TestData.Input(key.Provider, name, credential, baseUrl);
        input = input with { ApiVersion = apiVersion ?? key.ApiVersion };
        return await fixture.Get<UpdateProviderKeyCommand>().ExecuteAsync(await fixture.ActorAsync(DemoSignIn.EnterpriseOwner), Contoso, key.Id, key.Version, input, Ct);
    }

    private static bool Carries(ProviderStandIn standIn, string key) =>
        standIn.Requests.Any(r => r.Headers.Values.Any(v => v.Contains(key, StringComparison.Ordinal)));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public async Task FetchProviderModels_SavedKeyWithoutCredentialAtAnotherBaseUrl_IsRefusedAndNothingReachesEitherAddress(string? credential)
    {
        await using var other = await ProviderStandIn.StartAsync();
        var key = await AddAsync(ProviderKind.OpenAI, fixture.StandIn.AcceptedKey, fixture.StandIn.OpenAIBaseUrl);
        var savedAddressCalls = fixture.StandIn.Requests.Count;

        var result = await FetchAsync(key, credential, other.OpenAIBaseUrl);

        Assert.Equal([BaseUrlMessage], TestData.MessagesFor(result.Error, nameof(ProviderKeyInput.Credential)));
        Assert.Empty(other.Requests);
        Assert.Equal(savedAddressCalls, fixture.StandIn.Requests.Count);
    }

    [Fact]
    public async Task FetchProviderModels_SavedKeyAtAnotherBaseUrlWithTheKeyTypedAgain_CallsThatAddressWithTheTypedKey()
    {
        await using var other = await ProviderStandIn.StartAsync();
        var key = await AddAsync(ProviderKind.OpenAI, TestData.NewCredential(), fixture.StandIn.OpenAIBaseUrl);

        var result = await FetchAsync(key, other.AcceptedKey, other.OpenAIBaseUrl);

        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.Equal(other.Models.Order(StringComparer.Ordinal), result.Value);
        var request = Assert.Single(other.Requests);
        Assert.True(request.Headers.TryGetValue("Authorization", out var authorization) && authorization == "Bearer " + other.AcceptedKey, "the typed key was not presented");
    }

    [Fact]
    public async Task FetchProviderModels_SavedKeyAtItsOwnBaseUrlWrittenWithATrailingSlash_UsesTheSavedKey()
    {
        var key = await AddAsync(ProviderKind.OpenAI, fixture.StandIn.AcceptedKey, fixture.StandIn.OpenAIBaseUrl);

        var result = await FetchAsync(key, "", fixture.StandIn.OpenAIBaseUrl + "/");

        Assert.True(result.IsSuccess, result.Error?.Message);
    }

    [Fact]
    public async Task FetchProviderModels_SavedAzureKeyWithAnotherApiVersion_IsRefusedAndNothingIsCalled()
    {
        var key = await AddAsync(ProviderKind.AzureOpenAI, fixture.StandIn.AcceptedKey, fixture.StandIn.AzureBaseUrl);
        var calls = fixture.StandIn.Requests.Count;

        var result = await FetchAsync(key, "", fixture.StandIn.AzureBaseUrl, apiVersion: "2025-01-01-preview");

        Assert.Equal([AzureMessage], TestData.MessagesFor(result.Error, nameof(ProviderKeyInput.Credential)));
        Assert.Equal(calls, fixture.StandIn.Requests.Count);
    }

    [Fact]
    public async Task FetchProviderModels_SavedKeyOfAnotherProviderPresentedAsOpenAI_KeepsTheSavedProviderAndAddress()
    {
        // The provider cannot be switched to one whose default address differs: the saved key's own provider is used.
        await using var other = await ProviderStandIn.StartAsync();
        var key = await AddAsync(ProviderKind.Anthropic, fixture.StandIn.AcceptedKey, fixture.StandIn.AnthropicBaseUrl);
        var input = TestData.Input(ProviderKind.OpenAI, key.Name, "", other.OpenAIBaseUrl);

        var result = await fixture.Get<FetchProviderModelsQuery>().ExecuteAsync(await fixture.ActorAsync(DemoSignIn.EnterpriseOwner), Contoso, input, key.Id, Ct);

        Assert.IsType<ValidationError>(result.Error);
        Assert.Empty(other.Requests);
    }

    [Fact]
    public async Task FetchProviderModels_OrganizationOwnersSavedKeyAtAnotherBaseUrl_IsRefusedToo()
    {
        await using var other = await ProviderStandIn.StartAsync();
        var web = KeyScope.Organization("contoso-web");
        var key = await AddAsync(ProviderKind.OpenAI, fixture.StandIn.AcceptedKey, fixture.StandIn.OpenAIBaseUrl, DemoSignIn.WebOwner, web);

        var result = await FetchAsync(key, null, other.OpenAIBaseUrl, who: DemoSignIn.WebOwner, scope: web);

        Assert.Equal([BaseUrlMessage], TestData.MessagesFor(result.Error, nameof(ProviderKeyInput.Credential)));
        Assert.Empty(other.Requests);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public async Task UpdateProviderKey_AnotherBaseUrlWithoutCredential_IsRefusedAndChangesNothing(string? credential)
    {
        await using var other = await ProviderStandIn.StartAsync();
        var key = await AddAsync(ProviderKind.OpenAI, TestData.NewCredential(), fixture.StandIn.OpenAIBaseUrl);

        var result = await UpdateAsync(key, TestData.UniqueName("Renamed too"), credential, other.OpenAIBaseUrl);

        Assert.Equal([BaseUrlMessage], TestData.MessagesFor(result.Error, nameof(ProviderKeyInput.Credential)));
        var unchanged = await LoadAsync(key.Id);
        Assert.Equal((key.Name, key.BaseUrl, key.SecretVersion, key.MaskedHint, key.Version, key.UpdatedAt),
            (unchanged.Name, unchanged.BaseUrl, unchanged.SecretVersion, unchanged.MaskedHint, unchanged.Version, unchanged.UpdatedAt));
        await using var db = await fixture.DbAsync();
        Assert.DoesNotContain(await TestData.AuditEventsForAsync(db, key.Id.ToString(), Ct), e => e.Action == AuditActions.ProviderKeyUpdate);

        // Testing the key afterwards still calls the saved address only.
        Assert.True((await fixture.Get<TestProviderKeyCommand>().ExecuteAsync(await fixture.ActorAsync(DemoSignIn.EnterpriseOwner), Contoso, key.Id, Ct)).IsSuccess);
        Assert.Empty(other.Requests);
    }

    [Fact]
    public async Task UpdateProviderKey_AnotherApiVersionWithoutCredential_IsRefusedAndChangesNothing()
    {
        var key = await AddAsync(ProviderKind.AzureOpenAI, TestData.NewCredential(), fixture.StandIn.AzureBaseUrl);

        var result = await UpdateAsync(key, key.Name, "", key.BaseUrl!, apiVersion: "2025-01-01-preview");

        Assert.Equal([AzureMessage], TestData.MessagesFor(result.Error, nameof(ProviderKeyInput.Credential)));
        var unchanged = await LoadAsync(key.Id);
        Assert.Equal((key.ApiVersion, key.Version), (unchanged.ApiVersion, unchanged.Version));
    }

    [Fact]
    public async Task UpdateProviderKey_AnotherBaseUrlWithTheKeyTyped_SavesTheNewAddressAndKeyAndTestsThere()
    {
        await using var other = await ProviderStandIn.StartAsync();
        var key = await AddAsync(ProviderKind.OpenAI, TestData.NewCredential(), fixture.StandIn.OpenAIBaseUrl);

        var result = await UpdateAsync(key, key.Name, other.AcceptedKey, other.OpenAIBaseUrl);

        Assert.True(result.IsSuccess, result.Error?.Message);
        var updated = await LoadAsync(key.Id);
        Assert.Equal(other.OpenAIBaseUrl, updated.BaseUrl);
        Assert.NotEqual(key.SecretVersion, updated.SecretVersion);
        Assert.Equal(TestData.Masked(other.AcceptedKey), updated.MaskedHint);
        Assert.Equal(CredentialTestStatus.NotTested, updated.LastTestStatus);
        Assert.True(await fixture.Get<ISecretStore>().GetAsync(updated.SecretReference!, Ct) == other.AcceptedKey, "the secret store does not hold the typed key");
        await using (var db = await fixture.DbAsync())
        {
            var update = (await TestData.AuditEventsForAsync(db, key.Id.ToString(), Ct)).Last();
            Assert.Equal(AuditActions.ProviderKeyUpdate, update.Action);
            Assert.Contains("endpoint", update.Details, StringComparison.Ordinal);
            Assert.Contains("credential", update.Details, StringComparison.Ordinal);
        }

        var tested = await fixture.Get<TestProviderKeyCommand>().ExecuteAsync(await fixture.ActorAsync(DemoSignIn.EnterpriseOwner), Contoso, key.Id, Ct);
        Assert.Equal(CredentialTestStatus.Succeeded, tested.Value.Status);
        Assert.True(Carries(other, other.AcceptedKey), "the test did not go to the new address with the new key");
    }

    [Fact]
    public async Task UpdateProviderKey_KeylessKeyToAnotherBaseUrl_IsSavedWithoutAKey()
    {
        // Nothing secret is stored for a keyless local provider, so there is nothing to protect.
        var key = await AddAsync(ProviderKind.Ollama, null, "http://localhost:11434/v1");

        var result = await UpdateAsync(key, key.Name, null, "http://localhost:11435/v1");

        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.Equal("http://localhost:11435/v1", (await LoadAsync(key.Id)).BaseUrl);
    }
}
