using ByokPortal.Core.Access;
using ByokPortal.Core.Audit;
using ByokPortal.Core.Common;
using ByokPortal.Core.CustomModels;
using ByokPortal.Core.ProviderKeys;
using ByokPortal.Testing;
using Microsoft.EntityFrameworkCore;

namespace ByokPortal.Core.Tests.CustomModels;

/// <summary>
/// The model modal's Save. The portal's clock stands still here (a <see cref="Microsoft.Extensions.Time.Testing.FakeTimeProvider"/>),
/// as when two owners press Save within the clock's resolution: conflicts must not depend on time moving on.
/// </summary>
public sealed class SaveModelSettingsCommandTests(FrozenClockPortalFixture fixture) : IClassFixture<FrozenClockPortalFixture>
{
    private static CancellationToken Ct => PortalFixture.Ct;

    private static readonly KeyScope Contoso = KeyScope.Enterprise("contoso");

    private async Task<Guid> NewModelAsync()
    {
        var ada = await fixture.ActorAsync(DemoSignIn.EnterpriseOwner);
        var added = await fixture.Get<AddProviderKeyCommand>().ExecuteAsync(ada, Contoso,
            TestData.Input(ProviderKind.OpenAI, TestData.UniqueName("Access"), TestData.NewCredential(), fixture.StandIn.OpenAIBaseUrl, "gpt-4o"), Ct);
        Assert.True(added.IsSuccess, added.Error?.Message);
        await using var db = await fixture.DbAsync();
        return await db.CustomModels.Where(m => m.ProviderKeyId == added.Value.Id).Select(m => m.Id).SingleAsync(Ct);
    }

    private async Task<ModelSettings> LoadAsync(Actor actor, Guid modelId)
    {
        var settings = await fixture.Get<GetModelSettingsQuery>().ExecuteAsync(actor, Contoso, modelId, Ct);
        Assert.True(settings.IsSuccess, settings.Error?.Message);
        return settings.Value;
    }

    private static ModelSettingsInput Input(ModelSettings loaded, bool enabled, ModelAccessMode mode, params Guid[] organizations)
    {
        var input = new ModelSettingsInput { Enabled = enabled, AccessMode = mode, ExpectedVersion = loaded.Version };
        foreach (var id in organizations)
        {
            input.OrganizationIds.Add(id);
        }

        return input;
    }

    private Task<Result<ModelSettingsSaved>> SaveAsync(Actor actor, Guid modelId, ModelSettingsInput input) =>
        fixture.Get<SaveModelSettingsCommand>().ExecuteAsync(actor, Contoso, modelId, input, Ct);

    private async Task<HashSet<Guid>> StoredGrantsAsync(Guid modelId)
    {
        await using var db = await fixture.DbAsync();
        return (await db.ModelAccessGrants.Where(g => g.CustomModelId == modelId).Select(g => g.OrganizationId).ToListAsync(Ct)).ToHashSet();
    }

    private async Task<string> LabelAsync(Guid modelId)
    {
        var ada = await fixture.ActorAsync(DemoSignIn.EnterpriseOwner);
        var list = await fixture.Get<ListCustomModelsQuery>().ExecuteAsync(ada, Contoso, Ct);
        return list.Value.Models.Single(m => m.Id == modelId).AccessLabel;
    }

    [Fact]
    public async Task GetModelSettings_NewEnterpriseModel_IsEnabledGrantedToNobodyAndListsEveryOrganization()
    {
        var modelId = await NewModelAsync();
        var ada = await fixture.ActorAsync(DemoSignIn.EnterpriseOwner);

        var settings = await LoadAsync(ada, modelId);

        Assert.True(settings.IsEnterpriseModel);
        Assert.True(settings.Enabled);
        Assert.Equal(ModelAccessMode.ChoosePerOrganization, settings.AccessMode);
        Assert.Empty(settings.GrantedOrganizationIds);
        Assert.Equal(["Contoso Data", "Contoso Research", "Contoso Web"], settings.Organizations.Where(o => o.Slug.StartsWith("contoso-", StringComparison.Ordinal)).Select(o => o.Name));
        Assert.DoesNotContain(settings.Organizations, o => o.Slug == "fabrikam-web");
        Assert.Equal(ModelAccessLabel.Configure, await LabelAsync(modelId));
    }

    [Fact]
    public async Task ExecuteAsync_TwoOwnersSaveDifferentAccessFromTheSameLoad_SecondGetsConflictAndFirstIsKept()
    {
        var modelId = await NewModelAsync();
        var ada = await fixture.ActorAsync(DemoSignIn.EnterpriseOwner);
        var grace = await fixture.SecondEnterpriseOwnerAsync();
        var web = await fixture.OrganizationIdAsync("contoso-web");
        var data = await fixture.OrganizationIdAsync("contoso-data");
        var adaLoaded = await LoadAsync(ada, modelId);
        var graceLoaded = await LoadAsync(grace, modelId);
        Assert.Equal(adaLoaded.Version, graceLoaded.Version);

        var first = await SaveAsync(ada, modelId, Input(adaLoaded, true, ModelAccessMode.ChoosePerOrganization, web));
        var second = await SaveAsync(grace, modelId, Input(graceLoaded, true, ModelAccessMode.ChoosePerOrganization, data));

        Assert.True(first.IsSuccess, first.Error?.Message);
        var conflict = Assert.IsType<ConflictError>(second.Error);
        Assert.Equal("This model's settings was changed by someone else while you were editing. Nothing was saved; the latest values have been loaded — review them and save again.", conflict.Message);
        Assert.Equal([web], await StoredGrantsAsync(modelId));
        Assert.Equal("1 organization", await LabelAsync(modelId));

        // Reloading shows the first owner's choice; saving from there works.
        var reloaded = await LoadAsync(grace, modelId);
        Assert.Equal([web], reloaded.GrantedOrganizationIds);
        var retried = await SaveAsync(grace, modelId, Input(reloaded, true, ModelAccessMode.ChoosePerOrganization, web, data));
        Assert.True(retried.IsSuccess, retried.Error?.Message);
        Assert.Equal([web, data], await StoredGrantsAsync(modelId));
    }

    [Fact]
    public async Task ExecuteAsync_TwoOwnersEnableAndGrant_SecondGetsConflict()
    {
        var modelId = await NewModelAsync();
        var ada = await fixture.ActorAsync(DemoSignIn.EnterpriseOwner);
        var grace = await fixture.SecondEnterpriseOwnerAsync();
        var web = await fixture.OrganizationIdAsync("contoso-web");
        var loaded = await LoadAsync(ada, modelId);

        var first = await SaveAsync(ada, modelId, Input(loaded, true, ModelAccessMode.AllOrganizations));
        var second = await SaveAsync(grace, modelId, Input(loaded, true, ModelAccessMode.ChoosePerOrganization, web));

        Assert.True(first.IsSuccess, first.Error?.Message);
        Assert.IsType<ConflictError>(second.Error);
        Assert.Empty(await StoredGrantsAsync(modelId));
        Assert.Equal(ModelAccessLabel.AllOrganizations, await LabelAsync(modelId));
    }

    [Fact]
    public async Task ExecuteAsync_AllOrganizations_KeepsTheChosenGrantsForLater()
    {
        var modelId = await NewModelAsync();
        var ada = await fixture.ActorAsync(DemoSignIn.EnterpriseOwner);
        var web = await fixture.OrganizationIdAsync("contoso-web");
        Assert.True((await SaveAsync(ada, modelId, Input(await LoadAsync(ada, modelId), true, ModelAccessMode.ChoosePerOrganization, web))).IsSuccess);

        var all = await SaveAsync(ada, modelId, Input(await LoadAsync(ada, modelId), true, ModelAccessMode.AllOrganizations));

        Assert.True(all.IsSuccess, all.Error?.Message);
        Assert.Equal(ModelAccessMode.AllOrganizations, all.Value.AccessMode);
        Assert.Equal([web], await StoredGrantsAsync(modelId));
        Assert.Equal(ModelAccessLabel.AllOrganizations, await LabelAsync(modelId));

        var back = await SaveAsync(ada, modelId, Input(await LoadAsync(ada, modelId), true, ModelAccessMode.ChoosePerOrganization, web));
        Assert.True(back.IsSuccess, back.Error?.Message);
        Assert.Equal((0, 0), (back.Value.Added, back.Value.Removed));
        Assert.Equal("1 organization", await LabelAsync(modelId));
    }

    [Fact]
    public async Task ExecuteAsync_ChoosePerOrganization_WritesTheDifferenceAndAudits()
    {
        var modelId = await NewModelAsync();
        var ada = await fixture.ActorAsync(DemoSignIn.EnterpriseOwner);
        var web = await fixture.OrganizationIdAsync("contoso-web");
        var data = await fixture.OrganizationIdAsync("contoso-data");
        var research = await fixture.OrganizationIdAsync("contoso-research");
        Assert.True((await SaveAsync(ada, modelId, Input(await LoadAsync(ada, modelId), true, ModelAccessMode.ChoosePerOrganization, web, data))).IsSuccess);

        var saved = await SaveAsync(ada, modelId, Input(await LoadAsync(ada, modelId), true, ModelAccessMode.ChoosePerOrganization, data, research));

        Assert.True(saved.IsSuccess, saved.Error?.Message);
        Assert.Equal((1, 1, 2), (saved.Value.Added, saved.Value.Removed, saved.Value.GrantCount));
        Assert.Equal([data, research], await StoredGrantsAsync(modelId));
        await using var db = await fixture.DbAsync();
        var audit = (await TestData.AuditEventsForAsync(db, modelId.ToString(), Ct)).Last();
        Assert.Equal(AuditActions.ModelAccessUpdate, audit.Action);
        Assert.Equal("{\"mode\":\"ChoosePerOrganization\",\"organizationsAdded\":1,\"organizationsRemoved\":1}", audit.Details);
    }

    [Fact]
    public async Task ExecuteAsync_DisablingAModel_LeavesItsAccessUntouched()
    {
        var modelId = await NewModelAsync();
        var ada = await fixture.ActorAsync(DemoSignIn.EnterpriseOwner);
        var web = await fixture.OrganizationIdAsync("contoso-web");
        var data = await fixture.OrganizationIdAsync("contoso-data");
        Assert.True((await SaveAsync(ada, modelId, Input(await LoadAsync(ada, modelId), true, ModelAccessMode.ChoosePerOrganization, web, data))).IsSuccess);

        // The Access tab is unavailable while disabled: whatever it would have sent is ignored.
        var disabled = await SaveAsync(ada, modelId, Input(await LoadAsync(ada, modelId), false, ModelAccessMode.AllOrganizations));

        Assert.True(disabled.IsSuccess, disabled.Error?.Message);
        var settings = await LoadAsync(ada, modelId);
        Assert.False(settings.Enabled);
        Assert.Equal(ModelAccessMode.ChoosePerOrganization, settings.AccessMode);
        Assert.Equal([web, data], await StoredGrantsAsync(modelId));
        await using var db = await fixture.DbAsync();
        var events = await TestData.AuditEventsForAsync(db, modelId.ToString(), Ct);
        Assert.Equal(AuditActions.ModelDisable, events.Last().Action);

        // Enabling it again keeps the same access.
        var enabled = await SaveAsync(ada, modelId, Input(settings, true, ModelAccessMode.ChoosePerOrganization, web, data));
        Assert.True(enabled.IsSuccess, enabled.Error?.Message);
        Assert.Equal("2 organizations", await LabelAsync(modelId));
    }

    [Fact]
    public async Task ExecuteAsync_OrganizationOfAnotherEnterprise_IsRefusedAndNothingChanges()
    {
        var modelId = await NewModelAsync();
        var ada = await fixture.ActorAsync(DemoSignIn.EnterpriseOwner);
        var web = await fixture.OrganizationIdAsync("contoso-web");
        var fabrikam = await fixture.OtherEnterpriseOrganizationIdAsync();
        var loaded = await LoadAsync(ada, modelId);

        var result = await SaveAsync(ada, modelId, Input(loaded, true, ModelAccessMode.ChoosePerOrganization, web, fabrikam));

        Assert.Equal(["One of the chosen organizations no longer exists. Reload and try again."], TestData.MessagesFor(result.Error, nameof(ModelSettingsInput.OrganizationIds)));
        Assert.Empty(await StoredGrantsAsync(modelId));
        Assert.Equal(loaded.Version, (await LoadAsync(ada, modelId)).Version);
    }

    [Fact]
    public async Task ExecuteAsync_UnknownOrganizationId_IsRefused()
    {
        var modelId = await NewModelAsync();
        var ada = await fixture.ActorAsync(DemoSignIn.EnterpriseOwner);

        var result = await SaveAsync(ada, modelId, Input(await LoadAsync(ada, modelId), true, ModelAccessMode.ChoosePerOrganization, Guid.NewGuid()));

        Assert.IsType<ValidationError>(result.Error);
        Assert.Empty(await StoredGrantsAsync(modelId));
    }

    [Fact]
    public async Task ExecuteAsync_NoExpectedVersion_AsksToReload()
    {
        var modelId = await NewModelAsync();
        var ada = await fixture.ActorAsync(DemoSignIn.EnterpriseOwner);

        var result = await SaveAsync(ada, modelId, new ModelSettingsInput { Enabled = true, AccessMode = ModelAccessMode.AllOrganizations });

        Assert.Equal(["Reload the page and try again."], TestData.MessagesFor(result.Error, nameof(ModelSettingsInput.ExpectedVersion)));
    }

    [Theory]
    [InlineData(DemoSignIn.WebOwner)]
    [InlineData(DemoSignIn.WebMember)]
    [InlineData(DemoSignIn.DataOwner)]
    public async Task ExecuteAsync_NotAnEnterpriseOwner_IsNotFoundAndNothingChanges(string who)
    {
        var modelId = await NewModelAsync();
        var ada = await fixture.ActorAsync(DemoSignIn.EnterpriseOwner);
        var loaded = await LoadAsync(ada, modelId);
        var stranger = await fixture.ActorAsync(who);
        var web = await fixture.OrganizationIdAsync("contoso-web");

        var result = await SaveAsync(stranger, modelId, Input(loaded, true, ModelAccessMode.ChoosePerOrganization, web));
        var peek = await fixture.Get<GetModelSettingsQuery>().ExecuteAsync(stranger, Contoso, modelId, Ct);

        Assert.IsType<NotFoundError>(result.Error);
        Assert.IsType<NotFoundError>(peek.Error);
        Assert.Empty(await StoredGrantsAsync(modelId));
    }

    [Fact]
    public async Task ListCustomModels_AfterSaves_LabelsTellTheAccess()
    {
        var ada = await fixture.ActorAsync(DemoSignIn.EnterpriseOwner);
        var organizations = new[]
        {
            await fixture.OrganizationIdAsync("contoso-web"),
            await fixture.OrganizationIdAsync("contoso-data"),
            await fixture.OrganizationIdAsync("contoso-research"),
        };
        var none = await NewModelAsync();
        var one = await NewModelAsync();
        var three = await NewModelAsync();
        var all = await NewModelAsync();

        Assert.True((await SaveAsync(ada, one, Input(await LoadAsync(ada, one), true, ModelAccessMode.ChoosePerOrganization, organizations[0]))).IsSuccess);
        Assert.True((await SaveAsync(ada, three, Input(await LoadAsync(ada, three), true, ModelAccessMode.ChoosePerOrganization, organizations))).IsSuccess);
        Assert.True((await SaveAsync(ada, all, Input(await LoadAsync(ada, all), true, ModelAccessMode.AllOrganizations))).IsSuccess);

        Assert.Equal(
            ["Configure", "1 organization", "3 organizations", "All organizations"],
            [await LabelAsync(none), await LabelAsync(one), await LabelAsync(three), await LabelAsync(all)]);
    }
}
