using ByokPortal.Core.Access;
using ByokPortal.Core.Common;
using ByokPortal.Core.ProviderKeys;
using ByokPortal.Testing;
using Microsoft.EntityFrameworkCore;

namespace ByokPortal.Core.Tests.ProviderKeys;

/// <summary>Microsoft Foundry: a Deployment URL, model IDs typed with "Add model", the key checked against <c>{deployment}/models</c>.</summary>
public sealed class MicrosoftFoundryKeyTests(PortalFixture fixture) : IClassFixture<PortalFixture>
{
    private static CancellationToken Ct => PortalFixture.Ct;

    private static readonly KeyScope Contoso = KeyScope.Enterprise("contoso");

    [Fact]
    public void Adapter_Foundry_TakesTypedModelIdsAndADeploymentUrl()
    {
        var foundry = fixture.Get<ProviderRegistry>().Get(ProviderKind.MicrosoftFoundry);

        Assert.False(foundry.Form.CanListModels);
        var endpoint = foundry.Form.Field(FormField.BaseUrl)!;
        Assert.True(endpoint.Required);
        Assert.Equal("Deployment URL", endpoint.Label);
    }

    [Fact]
    public async Task AddProviderKey_DeploymentUrlAndTypedModelIds_StoresTheKeyWithItsDeploymentUrl()
    {
        var ada = await fixture.ActorAsync(DemoSignIn.EnterpriseOwner);
        var name = TestData.UniqueName("Foundry main");

        var result = await fixture.Get<AddProviderKeyCommand>().ExecuteAsync(ada, Contoso,
            TestData.Input(ProviderKind.MicrosoftFoundry, name, fixture.StandIn.AcceptedKey, fixture.StandIn.FoundryDeploymentUrl + "/", "my-gpt-4o", "phi-4-mini"), Ct);

        Assert.True(result.IsSuccess, result.Error?.Message);
        await using var db = await fixture.DbAsync();
        var key = await db.ProviderKeys.AsNoTracking().SingleAsync(k => k.Id == result.Value.Id, Ct);
        Assert.Equal(ProviderKind.MicrosoftFoundry, key.Provider);
        Assert.Equal(fixture.StandIn.FoundryDeploymentUrl, key.BaseUrl);
        Assert.Null(key.ApiVersion);
        Assert.Equal(["my-gpt-4o", "phi-4-mini"], await db.CustomModels.Where(m => m.ProviderKeyId == key.Id).OrderBy(m => m.ModelId).Select(m => m.ModelId).ToListAsync(Ct));
    }

    [Fact]
    public async Task AddProviderKey_NoDeploymentUrl_SaysItIsRequired()
    {
        var ada = await fixture.ActorAsync(DemoSignIn.EnterpriseOwner);

        var result = await fixture.Get<AddProviderKeyCommand>().ExecuteAsync(ada, Contoso,
            TestData.Input(ProviderKind.MicrosoftFoundry, TestData.UniqueName("Foundry"), fixture.StandIn.AcceptedKey, "", "my-gpt-4o"), Ct);

        Assert.Equal(["Deployment URL is required."], TestData.MessagesFor(result.Error, nameof(ProviderKeyInput.BaseUrl)));
    }

    [Fact]
    public async Task FetchProviderModels_FoundryWithAcceptedKey_ProvesTheKey()
    {
        var ada = await fixture.ActorAsync(DemoSignIn.EnterpriseOwner);

        var result = await fixture.Get<FetchProviderModelsQuery>().ExecuteAsync(ada, Contoso,
            TestData.Input(ProviderKind.MicrosoftFoundry, "Foundry", fixture.StandIn.AcceptedKey, fixture.StandIn.FoundryDeploymentUrl), null, Ct);

        Assert.True(result.IsSuccess, result.Error?.Message);
        var request = fixture.StandIn.Requests.Last();
        Assert.Equal("/foundry/deployments/main/models", request.PathAndQuery);
        Assert.True(request.Headers.TryGetValue("api-key", out var header) && header == fixture.StandIn.AcceptedKey, "the key is not in the api-key header");
    }

    [Fact]
    public async Task FetchProviderModels_FoundryWithWrongKey_IsRejectedWithoutEcho()
    {
        var ada = await fixture.ActorAsync(DemoSignIn.EnterpriseOwner);
        var wrongKey = TestData.NewCredential();

        var result = await fixture.Get<FetchProviderModelsQuery>().ExecuteAsync(ada, Contoso,
            TestData.Input(ProviderKind.MicrosoftFoundry, "Foundry", wrongKey, fixture.StandIn.FoundryDeploymentUrl), null, Ct);

        var error = Assert.IsType<ProviderCallError>(result.Error);
        Assert.False(error.Message.Contains(wrongKey, StringComparison.Ordinal), "the message echoes the wrong key");
        Assert.Equal(ProviderFailureReason.Unauthorized, error.Reason);
        Assert.Equal("Microsoft Foundry rejected the API key (401 Unauthorized). Check that the key is correct and still active.", error.Message);
        Assert.False(fixture.Factory.Logs.AllText.Contains(wrongKey, StringComparison.Ordinal), "the logs hold the wrong key");
    }

    [Fact]
    public async Task TestProviderKey_SavedFoundryKey_SucceedsWithAcceptedKeyAndIsInvalidWithWrongKey()
    {
        var ada = await fixture.ActorAsync(DemoSignIn.EnterpriseOwner);
        var add = fixture.Get<AddProviderKeyCommand>();
        var good = await add.ExecuteAsync(ada, Contoso,
            TestData.Input(ProviderKind.MicrosoftFoundry, TestData.UniqueName("Foundry good"), fixture.StandIn.AcceptedKey, fixture.StandIn.FoundryDeploymentUrl, "my-gpt-4o"), Ct);
        var wrongKey = TestData.NewCredential();
        var bad = await add.ExecuteAsync(ada, Contoso,
            TestData.Input(ProviderKind.MicrosoftFoundry, TestData.UniqueName("Foundry bad"), wrongKey, fixture.StandIn.FoundryDeploymentUrl, "my-gpt-4o"), Ct);
        Assert.True(good.IsSuccess && bad.IsSuccess);

        var test = fixture.Get<TestProviderKeyCommand>();
        var goodResult = await test.ExecuteAsync(ada, Contoso, good.Value.Id, Ct);
        var badResult = await test.ExecuteAsync(ada, Contoso, bad.Value.Id, Ct);

        Assert.Equal(CredentialTestStatus.Succeeded, goodResult.Value.Status);
        Assert.Equal(CredentialTestStatus.Invalid, badResult.Value.Status);
        Assert.False(badResult.Value.Message.Contains(wrongKey, StringComparison.Ordinal), "the test result echoes the key");
    }
}
