using ByokPortal.Core.Availability;
using ByokPortal.Core.CustomModels;
using ByokPortal.Core.Organizations;
using ByokPortal.Testing;

namespace ByokPortal.Core.Tests.Availability;

/// <summary>
/// The availability table of issue 4 through the database: each case is built with the real use cases in an enterprise of its own
/// (enterprise key and model as ada@, access through the model modal's Save, organization key as oscar@ assigned to the entire
/// organization or to an issued API key, Models permissions, the enterprise policy), then read back through the model picker (as the
/// member mia@), the loader and rule the runtime API uses (with the assigned API key and with another one), and the "Only select
/// models" list (as oscar@).
/// </summary>
public sealed class AvailabilityIntegrationTests(PortalFixture fixture) : IClassFixture<PortalFixture>
{
    private readonly PortalSteps _steps = new(fixture);

    public static TheoryData<EnterpriseAccess, bool, PermissionCase> EnterpriseModelSetups() => AvailabilityCases.EnterpriseModelSetups();

    public static TheoryData<OrganizationKeyAssignment, bool, bool, PermissionCase> OrganizationModelSetups() => AvailabilityCases.OrganizationModelSetups();

    private sealed record Setup(TestEnterprise Enterprise, Guid AssignedApiKey, Guid OtherApiKey);

    private async Task<Setup> NewSetupAsync()
    {
        var enterprise = await TestEnterprise.CreateAsync(fixture);
        var oscar = await fixture.ActorAsync(DemoSignIn.WebOwner);
        var assigned = await _steps.IssueApiKeyAsync(oscar, enterprise.OrganizationSlug, "Assigned app");
        var other = await _steps.IssueApiKeyAsync(oscar, enterprise.OrganizationSlug, "Other app");
        return new Setup(enterprise, assigned.Id, other.Id);
    }

    /// <summary>
    /// Under Only select models with no setting, the organization switched to Only select models before the model became reachable; with
    /// a setting, it chose while the model was reachable (the setting outlives a later disable, revoked grant or policy change).
    /// </summary>
    private async Task SavePermissionsAsync(Setup setup, PermissionCase permission, Guid modelId)
    {
        var oscar = await fixture.ActorAsync(DemoSignIn.WebOwner);
        switch (permission)
        {
            case PermissionCase.OnlySelectModelsSwitchedOn:
                Assert.Equal(1, (await _steps.SaveModelsPermissionsAsync(oscar, setup.Enterprise.OrganizationSlug, ModelsPermission.OnlySelectModels, modelId)).Enabled);
                break;
            case PermissionCase.OnlySelectModelsSwitchedOff:
                Assert.Equal(1, (await _steps.SaveModelsPermissionsAsync(oscar, setup.Enterprise.OrganizationSlug, ModelsPermission.OnlySelectModels)).Disabled);
                break;
        }
    }

    private async Task SwitchToOnlySelectModelsFirstIfNoSettingAsync(Setup setup, PermissionCase permission)
    {
        if (permission == PermissionCase.OnlySelectModelsNoSetting)
        {
            var oscar = await fixture.ActorAsync(DemoSignIn.WebOwner);
            var saved = await _steps.SaveModelsPermissionsAsync(oscar, setup.Enterprise.OrganizationSlug, ModelsPermission.OnlySelectModels);
            Assert.Equal((0, 0), (saved.Enabled, saved.Disabled));
        }
    }

    [Theory]
    [MemberData(nameof(EnterpriseModelSetups))]
    public async Task EnterpriseModel_BuiltWithTheUseCases_IsAvailableExactlyAsTheTableSays(EnterpriseAccess access, bool enabled, PermissionCase permission)
    {
        var setup = await NewSetupAsync();
        var enterprise = setup.Enterprise;
        var ada = await fixture.ActorAsync(DemoSignIn.EnterpriseOwner);
        await SwitchToOnlySelectModelsFirstIfNoSettingAsync(setup, permission);

        var (_, models) = await _steps.AddKeyAsync(ada, enterprise.EnterpriseScope, "Enterprise OpenAI", null, "gpt-4o");
        var modelId = models["gpt-4o"];
        if (access == EnterpriseAccess.AllowForAllOrganizations)
        {
            await _steps.SaveModelSettingsAsync(ada, enterprise.EnterpriseScope, modelId, true, ModelAccessMode.AllOrganizations);
        }
        else
        {
            await _steps.SaveModelSettingsAsync(ada, enterprise.EnterpriseScope, modelId, true, ModelAccessMode.ChoosePerOrganization, enterprise.OrganizationId, enterprise.SiblingId);
        }

        await SavePermissionsAsync(setup, permission, modelId);
        if (access == EnterpriseAccess.ChosenButNotGrantedToThisOrganization)
        {
            await _steps.SaveModelSettingsAsync(ada, enterprise.EnterpriseScope, modelId, true, ModelAccessMode.ChoosePerOrganization, enterprise.SiblingId);
        }

        if (!enabled)
        {
            await _steps.SaveModelSettingsAsync(ada, enterprise.EnterpriseScope, modelId, false, ModelAccessMode.ChoosePerOrganization);
        }

        await AssertViewsAsync(setup, modelId, permission, view => AvailabilityCases.ExpectedForEnterpriseModel(access, enabled, permission, view));
    }

    [Theory]
    [MemberData(nameof(OrganizationModelSetups))]
    public async Task OrganizationModel_BuiltWithTheUseCases_IsAvailableExactlyAsTheTableSays(OrganizationKeyAssignment assignment, bool organizationKeysAllowed, bool enabled, PermissionCase permission)
    {
        var setup = await NewSetupAsync();
        var enterprise = setup.Enterprise;
        var ada = await fixture.ActorAsync(DemoSignIn.EnterpriseOwner);
        var oscar = await fixture.ActorAsync(DemoSignIn.WebOwner);
        await SwitchToOnlySelectModelsFirstIfNoSettingAsync(setup, permission);

        var (_, models) = await _steps.AddKeyAsync(oscar, enterprise.OrganizationScope, "Team Anthropic",
            assignment == OrganizationKeyAssignment.SpecificApiKeys ? [setup.AssignedApiKey] : null, "claude-sonnet-4");
        var modelId = models["claude-sonnet-4"];
        await SavePermissionsAsync(setup, permission, modelId);
        if (!enabled)
        {
            await _steps.SaveModelSettingsAsync(oscar, enterprise.OrganizationScope, modelId, false, ModelAccessMode.ChoosePerOrganization);
        }

        if (!organizationKeysAllowed)
        {
            await _steps.SetOrganizationKeysAllowedAsync(ada, enterprise.Slug, false);
        }

        await AssertViewsAsync(setup, modelId, permission,
            view => AvailabilityCases.ExpectedForOrganizationModel(assignment, organizationKeysAllowed, enabled, permission, view));
    }

    private async Task AssertViewsAsync(Setup setup, Guid modelId, PermissionCase permission, Func<ViewCase, ModelSource?> expected)
    {
        var enterprise = setup.Enterprise;
        var mia = await fixture.ActorAsync(DemoSignIn.WebMember);
        var oscar = await fixture.ActorAsync(DemoSignIn.WebOwner);

        var picker = await _steps.PickerAsync(mia, enterprise.OrganizationSlug);
        var forAssignedKey = await _steps.ForApiKeyAsync(enterprise.OrganizationId, setup.AssignedApiKey);
        var forOtherKey = await _steps.ForApiKeyAsync(enterprise.OrganizationId, setup.OtherApiKey);
        var reachable = (await _steps.LoadModelsPermissionsAsync(oscar, enterprise.OrganizationSlug)).Models;

        Assert.Equal(Listed(expected(ViewCase.Person)), picker.Select(m => (m.CustomModelId, m.Source)));
        string[] groups = expected(ViewCase.Person) switch
        {
            ModelSource.Enterprise => [enterprise.Name],
            { } => [enterprise.OrganizationName],
            null => [],
        };
        Assert.Equal(groups, picker.Select(m => m.Group));
        Assert.Equal(Listed(expected(ViewCase.AssignedApiKey)), forAssignedKey.Select(m => (m.CustomModelId, m.Source)));
        Assert.Equal(Listed(expected(ViewCase.OtherApiKey)), forOtherKey.Select(m => (m.CustomModelId, m.Source)));
        Assert.Equal(Listed(expected(ViewCase.Reachable)), reachable.Select(r => (r.Model.CustomModelId, r.Model.Source)));
        Assert.All(reachable, r => Assert.Equal(AvailabilityCases.ExpectedSwitch(permission), r.Enabled));

        (Guid, ModelSource)[] Listed(ModelSource? source) => source is { } s ? [(modelId, s)] : [];
    }
}
