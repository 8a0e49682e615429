using ByokPortal.Core.Audit;
using ByokPortal.Core.Common;
using ByokPortal.Core.CustomModels;
using ByokPortal.Core.Organizations;
using ByokPortal.Testing;
using Microsoft.EntityFrameworkCore;

namespace ByokPortal.Core.Tests.Organizations;

/// <summary>
/// "Models permissions": All publishers, or Only select models with a switch per reachable model. Switching keeps today's models on and
/// excludes those switched off; a model reachable later starts off; switching back to All publishers keeps the stored list; concurrent
/// saves conflict; every change is audited. The portal's clock stands still, so conflicts cannot depend on time moving.
/// </summary>
public sealed class SaveModelsPermissionsCommandTests(FrozenClockPortalFixture fixture) : IClassFixture<FrozenClockPortalFixture>
{
    private static CancellationToken Ct => PortalFixture.Ct;

    private readonly PortalSteps _steps = new(fixture);

    /// <summary>Enterprise models gpt-4o (all organizations) and o3-mini (granted); organization models team-a, team-b; app-only (assigned to an API key).</summary>
    private sealed record Setup(TestEnterprise Enterprise, IReadOnlyDictionary<string, Guid> Models);

    private async Task<Setup> NewSetupAsync()
    {
        var enterprise = await TestEnterprise.CreateAsync(fixture);
        var ada = await fixture.ActorAsync(DemoSignIn.EnterpriseOwner);
        var oscar = await fixture.ActorAsync(DemoSignIn.WebOwner);
        var (_, enterpriseModels) = await _steps.AddKeyAsync(ada, enterprise.EnterpriseScope, "Enterprise OpenAI", null, "gpt-4o", "o3-mini");
        await _steps.SaveModelSettingsAsync(ada, enterprise.EnterpriseScope, enterpriseModels["gpt-4o"], true, ModelAccessMode.AllOrganizations);
        await _steps.SaveModelSettingsAsync(ada, enterprise.EnterpriseScope, enterpriseModels["o3-mini"], true, ModelAccessMode.ChoosePerOrganization, enterprise.OrganizationId);
        var (_, team) = await _steps.AddKeyAsync(oscar, enterprise.OrganizationScope, "Team key", null, "team-a", "team-b");
        var app = await _steps.IssueApiKeyAsync(oscar, enterprise.OrganizationSlug, "Build server");
        var (_, appOnly) = await _steps.AddKeyAsync(oscar, enterprise.OrganizationScope, "App key", [app.Id], "app-only");
        var models = enterpriseModels.Concat(team).Concat(appOnly).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        return new Setup(enterprise, models);
    }

    private async Task<Actor> OscarAsync() => await fixture.ActorAsync(DemoSignIn.WebOwner);

    private async Task<Dictionary<string, bool>> SwitchesAsync(Setup setup) =>
        (await _steps.LoadModelsPermissionsAsync(await OscarAsync(), setup.Enterprise.OrganizationSlug)).Models.ToDictionary(r => r.Model.ModelId, r => r.Enabled, StringComparer.Ordinal);

    private async Task<Dictionary<Guid, bool>> StoredSettingsAsync(Setup setup)
    {
        await using var db = await fixture.DbAsync();
        return await db.OrganizationModelSettings.AsNoTracking().Where(s => s.OrganizationId == setup.Enterprise.OrganizationId).ToDictionaryAsync(s => s.CustomModelId, s => s.Enabled, Ct);
    }

    private async Task<List<string>> PickerAsync(Setup setup) =>
        (await _steps.PickerAsync(await fixture.ActorAsync(DemoSignIn.WebMember), setup.Enterprise.OrganizationSlug)).Select(m => m.ModelId).ToList();

    private async Task<Organization> OrganizationAsync(Setup setup)
    {
        await using var db = await fixture.DbAsync();
        return await db.Organizations.AsNoTracking().SingleAsync(o => o.Id == setup.Enterprise.OrganizationId, Ct);
    }

    private Guid[] AllBut(Setup setup, params string[] off) =>
        setup.Models.Where(p => !off.Contains(p.Key)).Select(p => p.Value).ToArray();

    [Fact]
    public async Task GetModelsPermissions_AllPublishers_ListsEveryReachableModelSwitchedOn()
    {
        var setup = await NewSetupAsync();

        var view = await _steps.LoadModelsPermissionsAsync(await OscarAsync(), setup.Enterprise.OrganizationSlug);

        Assert.Equal(ModelsPermission.AllPublishers, view.Permission);
        Assert.Equal((setup.Enterprise.OrganizationName, setup.Enterprise.Name, true), (view.OrganizationName, view.EnterpriseName, view.OrganizationKeysAllowed));
        Assert.Equal(["app-only", "team-a", "team-b", "gpt-4o", "o3-mini"], view.Models.Select(r => r.Model.ModelId));
        Assert.All(view.Models, r => Assert.True(r.Enabled));
    }

    [Fact]
    public async Task ExecuteAsync_OnlySelectModelsWithOneSwitchedOff_KeepsTheOthersAndExcludesThatOne()
    {
        var setup = await NewSetupAsync();
        var oscar = await OscarAsync();
        var loaded = await _steps.LoadModelsPermissionsAsync(oscar, setup.Enterprise.OrganizationSlug);
        var enabled = loaded.Models.Where(r => r.Enabled && r.Model.ModelId != "o3-mini").Select(r => r.Model.CustomModelId);

        var saved = await fixture.Get<SaveModelsPermissionsCommand>().ExecuteAsync(oscar, setup.Enterprise.OrganizationSlug,
            PortalSteps.PermissionsInput(ModelsPermission.OnlySelectModels, loaded.Version, enabled), Ct);

        Assert.True(saved.IsSuccess, saved.Error?.Message);
        Assert.Equal((ModelsPermission.OnlySelectModels, 4, 1), (saved.Value.Permission, saved.Value.Enabled, saved.Value.Disabled));
        Assert.Equal(ModelsPermission.OnlySelectModels, (await OrganizationAsync(setup)).ModelsPermission);
        Assert.Equal(["team-a", "team-b", "gpt-4o"], await PickerAsync(setup));
        var app = await ApiKeyIdAsync(setup, "Build server");
        Assert.Equal(["app-only", "team-a", "team-b", "gpt-4o"], (await _steps.ForApiKeyAsync(setup.Enterprise.OrganizationId, app)).Select(m => m.ModelId));
        Assert.Equal(setup.Models.ToDictionary(p => p.Value, p => p.Key != "o3-mini"), await StoredSettingsAsync(setup));
        var switches = await SwitchesAsync(setup);
        Assert.False(switches["o3-mini"]);
        Assert.Equal(4, switches.Count(s => s.Value));
    }

    private async Task<Guid> ApiKeyIdAsync(Setup setup, string name)
    {
        await using var db = await fixture.DbAsync();
        return await db.OrganizationApiKeys.Where(k => k.OrganizationId == setup.Enterprise.OrganizationId && k.Name == name).Select(k => k.Id).SingleAsync(Ct);
    }

    [Fact]
    public async Task ExecuteAsync_ModelsReachableAfterTheSwitch_StartSwitchedOff()
    {
        var setup = await NewSetupAsync();
        var ada = await fixture.ActorAsync(DemoSignIn.EnterpriseOwner);
        var oscar = await OscarAsync();
        await _steps.SaveModelsPermissionsAsync(oscar, setup.Enterprise.OrganizationSlug, ModelsPermission.OnlySelectModels, AllBut(setup));

        var (_, later) = await _steps.AddKeyAsync(ada, setup.Enterprise.EnterpriseScope, "Later key", null, "granted-later");
        await _steps.SaveModelSettingsAsync(ada, setup.Enterprise.EnterpriseScope, later["granted-later"], true, ModelAccessMode.ChoosePerOrganization, setup.Enterprise.OrganizationId);
        await _steps.AddKeyAsync(oscar, setup.Enterprise.OrganizationScope, "Later team key", null, "added-later");

        var switches = await SwitchesAsync(setup);
        Assert.False(switches["granted-later"]);
        Assert.False(switches["added-later"]);
        Assert.Equal(5, switches.Count(s => s.Value));
        var picker = await PickerAsync(setup);
        Assert.DoesNotContain("granted-later", picker);
        Assert.DoesNotContain("added-later", picker);
        Assert.Equal(["team-a", "team-b", "gpt-4o", "o3-mini"], picker);
    }

    [Fact]
    public async Task ExecuteAsync_ModelsReachableLaterUnderAllPublishers_AreAvailableAtOnce()
    {
        var setup = await NewSetupAsync();
        var oscar = await OscarAsync();

        await _steps.AddKeyAsync(oscar, setup.Enterprise.OrganizationScope, "Later team key", null, "added-later");

        Assert.Contains("added-later", await PickerAsync(setup));
        Assert.True((await SwitchesAsync(setup))["added-later"]);
    }

    [Fact]
    public async Task ExecuteAsync_BackToAllPublishers_KeepsTheStoredListForNextTime()
    {
        var setup = await NewSetupAsync();
        var oscar = await OscarAsync();
        await _steps.SaveModelsPermissionsAsync(oscar, setup.Enterprise.OrganizationSlug, ModelsPermission.OnlySelectModels, AllBut(setup, "o3-mini", "team-b"));
        var stored = await StoredSettingsAsync(setup);

        var saved = await _steps.SaveModelsPermissionsAsync(oscar, setup.Enterprise.OrganizationSlug, ModelsPermission.AllPublishers);

        Assert.Equal(ModelsPermission.AllPublishers, saved.Permission);
        Assert.Equal(stored, await StoredSettingsAsync(setup));
        Assert.Equal(["team-a", "team-b", "gpt-4o", "o3-mini"], await PickerAsync(setup));
        var switches = await SwitchesAsync(setup);
        Assert.False(switches["o3-mini"]);
        Assert.False(switches["team-b"]);

        // Back to Only select models with what the page shows: the earlier choice, unchanged.
        var loaded = await _steps.LoadModelsPermissionsAsync(oscar, setup.Enterprise.OrganizationSlug);
        await _steps.SaveModelsPermissionsAsync(oscar, setup.Enterprise.OrganizationSlug, ModelsPermission.OnlySelectModels,
            loaded.Models.Where(r => r.Enabled).Select(r => r.Model.CustomModelId).ToArray());
        Assert.Equal(stored, await StoredSettingsAsync(setup));
        Assert.Equal(["team-a", "gpt-4o"], await PickerAsync(setup));
    }

    [Fact]
    public async Task ExecuteAsync_ModelIdsThatAreNotReachable_AreIgnored()
    {
        var setup = await NewSetupAsync();
        var ada = await fixture.ActorAsync(DemoSignIn.EnterpriseOwner);
        var (_, sibling) = await _steps.AddKeyAsync(await fixture.ActorAsync(DemoSignIn.DataOwner), setup.Enterprise.SiblingScope, "Sibling key", null, "sibling-model");
        var (_, notGranted) = await _steps.AddKeyAsync(ada, setup.Enterprise.EnterpriseScope, "Not granted", null, "not-granted");

        await _steps.SaveModelsPermissionsAsync(await OscarAsync(), setup.Enterprise.OrganizationSlug, ModelsPermission.OnlySelectModels,
            [.. AllBut(setup), sibling["sibling-model"], notGranted["not-granted"], Guid.NewGuid()]);

        var stored = await StoredSettingsAsync(setup);
        Assert.Equal(setup.Models.Values.Order(), stored.Keys.Order());
        Assert.DoesNotContain("sibling-model", await PickerAsync(setup));
    }

    [Fact]
    public async Task ExecuteAsync_TwoSavesFromTheSameLoad_SecondGetsAConflictAndTheFirstIsKept()
    {
        var setup = await NewSetupAsync();
        var oscar = await OscarAsync();
        var ada = await fixture.ActorAsync(DemoSignIn.EnterpriseOwner);
        var loadedByOscar = await _steps.LoadModelsPermissionsAsync(oscar, setup.Enterprise.OrganizationSlug);
        var loadedByAda = await _steps.LoadModelsPermissionsAsync(ada, setup.Enterprise.OrganizationSlug);
        var save = fixture.Get<SaveModelsPermissionsCommand>();

        var first = await save.ExecuteAsync(oscar, setup.Enterprise.OrganizationSlug,
            PortalSteps.PermissionsInput(ModelsPermission.OnlySelectModels, loadedByOscar.Version, AllBut(setup, "team-a")), Ct);
        var second = await save.ExecuteAsync(ada, setup.Enterprise.OrganizationSlug,
            PortalSteps.PermissionsInput(ModelsPermission.OnlySelectModels, loadedByAda.Version, AllBut(setup, "gpt-4o")), Ct);

        Assert.True(first.IsSuccess, first.Error?.Message);
        Assert.Contains("changed by someone else", Assert.IsType<ConflictError>(second.Error).Message, StringComparison.Ordinal);
        Assert.Equal(setup.Models.ToDictionary(p => p.Value, p => p.Key != "team-a"), await StoredSettingsAsync(setup));
        Assert.Equal(["team-b", "gpt-4o", "o3-mini"], await PickerAsync(setup));
        await using var db = await fixture.DbAsync();
        Assert.Single(await db.AuditEvents.AsNoTracking()
            .Where(e => e.OrganizationId == setup.Enterprise.OrganizationId && e.Action == AuditActions.ModelsPermissionUpdate).ToListAsync(Ct));
    }

    [Fact]
    public async Task ExecuteAsync_SecondSaveChangingOnlySwitchesFromAStaleLoad_GetsAConflict()
    {
        var setup = await NewSetupAsync();
        var oscar = await OscarAsync();
        await _steps.SaveModelsPermissionsAsync(oscar, setup.Enterprise.OrganizationSlug, ModelsPermission.OnlySelectModels, AllBut(setup));
        var stale = await _steps.LoadModelsPermissionsAsync(oscar, setup.Enterprise.OrganizationSlug);
        await _steps.SaveModelsPermissionsAsync(oscar, setup.Enterprise.OrganizationSlug, ModelsPermission.OnlySelectModels, AllBut(setup, "team-a"));

        var second = await fixture.Get<SaveModelsPermissionsCommand>().ExecuteAsync(oscar, setup.Enterprise.OrganizationSlug,
            PortalSteps.PermissionsInput(ModelsPermission.OnlySelectModels, stale.Version, AllBut(setup, "team-b")), Ct);

        Assert.IsType<ConflictError>(second.Error);
        Assert.Equal(setup.Models.ToDictionary(p => p.Value, p => p.Key != "team-a"), await StoredSettingsAsync(setup));
    }

    [Fact]
    public async Task ExecuteAsync_Change_IsAuditedOnTheOrganizationAndASaveWithoutChangeIsNot()
    {
        var setup = await NewSetupAsync();
        var oscar = await OscarAsync();

        await _steps.SaveModelsPermissionsAsync(oscar, setup.Enterprise.OrganizationSlug, ModelsPermission.OnlySelectModels, AllBut(setup, "o3-mini"));
        await _steps.SaveModelsPermissionsAsync(oscar, setup.Enterprise.OrganizationSlug, ModelsPermission.OnlySelectModels, AllBut(setup, "o3-mini"));
        await _steps.SaveModelsPermissionsAsync(oscar, setup.Enterprise.OrganizationSlug, ModelsPermission.AllPublishers);

        await using var db = await fixture.DbAsync();
        var events = await db.AuditEvents.AsNoTracking()
            .Where(e => e.OrganizationId == setup.Enterprise.OrganizationId && e.Action == AuditActions.ModelsPermissionUpdate)
            .OrderBy(e => e.Id).ToListAsync(Ct);
        Assert.Equal(2, events.Count);
        Assert.All(events, e => Assert.Equal(
            (AuditOutcome.Succeeded, oscar.PersonId, "organization", setup.Enterprise.OrganizationId.ToString(), setup.Enterprise.OrganizationSlug, setup.Enterprise.Id),
            (e.Outcome, e.ActorId, e.TargetType, e.TargetId, e.TargetName, e.EnterpriseId)));
        Assert.Equal("""{"permission":"OnlySelectModels","enabled":4,"disabled":1,"settingsChanged":5}""", events[0].Details);
        Assert.Contains("\"permission\":\"AllPublishers\"", events[1].Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecuteAsync_EnterpriseOwner_MaySave()
    {
        var setup = await NewSetupAsync();

        var saved = await _steps.SaveModelsPermissionsAsync(await fixture.ActorAsync(DemoSignIn.EnterpriseOwner), setup.Enterprise.OrganizationSlug,
            ModelsPermission.OnlySelectModels, AllBut(setup, "gpt-4o"));

        Assert.Equal((4, 1), (saved.Enabled, saved.Disabled));
    }

    [Theory]
    [InlineData(DemoSignIn.WebMember, typeof(ForbiddenError))]
    [InlineData(DemoSignIn.DataOwner, typeof(NotFoundError))]
    public async Task ExecuteAsync_NotAnOwnerOfTheOrganization_IsRefusedChangesNothingAndAuditsTheAttempt(string who, Type expected)
    {
        var setup = await NewSetupAsync();
        var actor = await fixture.ActorAsync(who);
        var before = await OrganizationAsync(setup);

        var read = await fixture.Get<GetModelsPermissionsQuery>().ExecuteAsync(actor, setup.Enterprise.OrganizationSlug, Ct);
        var saved = await fixture.Get<SaveModelsPermissionsCommand>().ExecuteAsync(actor, setup.Enterprise.OrganizationSlug,
            PortalSteps.PermissionsInput(ModelsPermission.OnlySelectModels, before.Version, []), Ct);

        Assert.IsType(expected, read.Error);
        Assert.IsType(expected, saved.Error);
        var after = await OrganizationAsync(setup);
        Assert.Equal((ModelsPermission.AllPublishers, before.Version), (after.ModelsPermission, after.Version));
        Assert.Empty(await StoredSettingsAsync(setup));
        await using var db = await fixture.DbAsync();
        var events = await db.AuditEvents.AsNoTracking().Where(e => e.OrganizationId == setup.Enterprise.OrganizationId && e.ActorId == actor.PersonId).ToListAsync(Ct);
        Assert.Contains(events, e => e.Action == AuditActions.ModelsPermissionUpdate && e.Outcome == AuditOutcome.Denied);
        Assert.DoesNotContain(events, e => e.Outcome != AuditOutcome.Denied);
    }

    [Fact]
    public async Task ExecuteAsync_NoExpectedVersion_AsksToReload()
    {
        var setup = await NewSetupAsync();

        var saved = await fixture.Get<SaveModelsPermissionsCommand>().ExecuteAsync(await OscarAsync(), setup.Enterprise.OrganizationSlug,
            PortalSteps.PermissionsInput(ModelsPermission.OnlySelectModels, Guid.Empty, []), Ct);

        Assert.Equal(["Reload the page and try again."], TestData.MessagesFor(saved.Error, nameof(ModelsPermissionsInput.ExpectedVersion)));
        Assert.Equal(ModelsPermission.AllPublishers, (await OrganizationAsync(setup)).ModelsPermission);
    }

    [Fact]
    public async Task ExecuteAsync_UnknownPermission_IsRefused()
    {
        var setup = await NewSetupAsync();
        var loaded = await _steps.LoadModelsPermissionsAsync(await OscarAsync(), setup.Enterprise.OrganizationSlug);

        var saved = await fixture.Get<SaveModelsPermissionsCommand>().ExecuteAsync(await OscarAsync(), setup.Enterprise.OrganizationSlug,
            PortalSteps.PermissionsInput((ModelsPermission)7, loaded.Version, []), Ct);

        Assert.Equal(["Choose All publishers or Only select models."], TestData.MessagesFor(saved.Error, nameof(ModelsPermissionsInput.Permission)));
    }
}
