using ByokPortal.Core.ApiKeys;
using ByokPortal.Core.Audit;
using ByokPortal.Core.Availability;
using ByokPortal.Core.Common;
using ByokPortal.Core.CustomModels;
using ByokPortal.Core.Enterprises;
using ByokPortal.Core.ProviderKeys;
using ByokPortal.Testing;
using Microsoft.EntityFrameworkCore;

namespace ByokPortal.Core.Tests.Enterprises;

/// <summary>
/// "Allow organizations to add their own API keys": turned off, adding an organization key is refused on the server and the
/// organization's existing keys stop serving (picker and runtime alike) while enterprise models stay; turned on again, everything is
/// back. Enterprise owners only; concurrent saves conflict. The portal's clock stands still, so conflicts cannot depend on time moving.
/// </summary>
public sealed class SaveEnterprisePoliciesCommandTests(FrozenClockPortalFixture fixture) : IClassFixture<FrozenClockPortalFixture>
{
    private static CancellationToken Ct => PortalFixture.Ct;

    private readonly PortalSteps _steps = new(fixture);

    private sealed record Setup(TestEnterprise Enterprise, IssuedApiKey App, Guid EnterpriseModel, Guid TeamModel, Guid AppModel);

    /// <summary>An enterprise model for all organizations, an organization key for the entire organization, one assigned to an API key.</summary>
    private async Task<Setup> NewOrganizationWithModelsAsync()
    {
        var enterprise = await TestEnterprise.CreateAsync(fixture);
        var ada = await fixture.ActorAsync(DemoSignIn.EnterpriseOwner);
        var oscar = await fixture.ActorAsync(DemoSignIn.WebOwner);
        var (_, enterpriseModels) = await _steps.AddKeyAsync(ada, enterprise.EnterpriseScope, "Enterprise OpenAI", null, "gpt-4o");
        await _steps.SaveModelSettingsAsync(ada, enterprise.EnterpriseScope, enterpriseModels["gpt-4o"], true, ModelAccessMode.AllOrganizations);
        var app = await _steps.IssueApiKeyAsync(oscar, enterprise.OrganizationSlug, "Build server");
        var (_, team) = await _steps.AddKeyAsync(oscar, enterprise.OrganizationScope, "Team key", null, "team-model");
        var (_, appOnly) = await _steps.AddKeyAsync(oscar, enterprise.OrganizationScope, "App key", [app.Id], "app-model");
        return new Setup(enterprise, app, enterpriseModels["gpt-4o"], team["team-model"], appOnly["app-model"]);
    }

    private async Task<(IReadOnlyList<(Guid, ModelSource)> Picker, IReadOnlyList<(Guid, ModelSource)> ForApp)> AvailableAsync(Setup organization)
    {
        var picker = await _steps.PickerAsync(await fixture.ActorAsync(DemoSignIn.WebMember), organization.Enterprise.OrganizationSlug);
        var forApp = await _steps.ForApiKeyAsync(organization.Enterprise.OrganizationId, organization.App.Id);
        return (picker.Select(m => (m.CustomModelId, m.Source)).ToList(), forApp.Select(m => (m.CustomModelId, m.Source)).ToList());
    }

    private async Task<EnterprisePolicies> LoadAsync(string who, string enterpriseSlug)
    {
        var loaded = await fixture.Get<GetEnterprisePoliciesQuery>().ExecuteAsync(await fixture.ActorAsync(who), enterpriseSlug, Ct);
        Assert.True(loaded.IsSuccess, loaded.Error?.Message);
        return loaded.Value;
    }

    [Fact]
    public async Task GetEnterprisePolicies_DemoEnterprise_AllowsOrganizationKeysByDefault()
    {
        var policies = await LoadAsync(DemoSignIn.EnterpriseOwner, "contoso");

        Assert.Equal(("Contoso", true), (policies.EnterpriseName, policies.AllowOrganizationKeys));
    }

    [Fact]
    public async Task ExecuteAsync_TurnedOff_AddingAnOrganizationKeyIsForbiddenWithAClearMessageAndStoresNothing()
    {
        var enterprise = await TestEnterprise.CreateAsync(fixture);
        var ada = await fixture.ActorAsync(DemoSignIn.EnterpriseOwner);
        await _steps.SetOrganizationKeysAllowedAsync(ada, enterprise.Slug, false);
        var secretsBefore = fixture.SecretFolders();
        (int Keys, int Models, int Grants, int AuditEvents) before;
        await using (var db = await fixture.DbAsync())
        {
            before = await TestData.CountsAsync(db, Ct);
        }

        foreach (var who in new[] { DemoSignIn.WebOwner, DemoSignIn.EnterpriseOwner })
        {
            var credential = TestData.NewCredential();
            var result = await fixture.Get<AddProviderKeyCommand>().ExecuteAsync(await fixture.ActorAsync(who), enterprise.OrganizationScope,
                TestData.Input(ProviderKind.OpenAI, TestData.UniqueName("Refused"), credential, fixture.StandIn.OpenAIBaseUrl, "gpt-4o"), Ct);

            var error = Assert.IsType<ForbiddenError>(result.Error);
            Assert.Equal("Your enterprise does not allow organizations to add their own API keys.", error.Message);
            Assert.False(TestData.DatabaseFilesContain(fixture.Factory.DataDirectory, credential), "the refused credential reached the database");
        }

        await using (var db = await fixture.DbAsync())
        {
            var after = await TestData.CountsAsync(db, Ct);
            Assert.Equal((before.Keys, before.Models, before.Grants), (after.Keys, after.Models, after.Grants));
            Assert.False(await db.ProviderKeys.AnyAsync(k => k.OrganizationId == enterprise.OrganizationId, Ct), "an organization key was stored");
        }

        Assert.Equal(secretsBefore, fixture.SecretFolders());
    }

    /// <summary>
    /// Turned off, the organization's existing keys cannot be edited, used to fetch models, tested or re-assigned, by the organization's
    /// owner or by an enterprise owner acting in the organization: each is refused with a clear message and changes nothing (no
    /// provider called, no row written). Deleting stays possible.
    /// </summary>
    [Theory]
    [InlineData(DemoSignIn.WebOwner)]
    [InlineData(DemoSignIn.EnterpriseOwner)]
    public async Task ExecuteAsync_TurnedOff_OrganizationKeysCanOnlyBeDeleted(string who)
    {
        var organization = await NewOrganizationWithModelsAsync();
        Guid keyId;
        await using (var db = await fixture.DbAsync())
        {
            keyId = await db.CustomModels.Where(m => m.Id == organization.TeamModel).Select(m => m.ProviderKeyId).SingleAsync(Ct);
        }

        await TurnOffAndCheckAsync(organization, await fixture.ActorAsync(who), await ReloadAsync(keyId));
    }

    private async Task TurnOffAndCheckAsync(Setup organization, Actor actor, ProviderKey key)
    {
        var enterprise = organization.Enterprise;
        await _steps.SetOrganizationKeysAllowedAsync(await fixture.ActorAsync(DemoSignIn.EnterpriseOwner), enterprise.Slug, false);
        var requestsBefore = fixture.StandIn.Requests.Count;
        var secretsBefore = fixture.SecretFolders();
        (int, int, int, int) countsBefore;
        await using (var db = await fixture.DbAsync())
        {
            countsBefore = await TestData.CountsAsync(db, Ct);
        }

        var edit = TestData.Input(key.Provider, "Renamed while off", TestData.NewCredential(), key.BaseUrl, "another-model");
        var results = new Dictionary<string, Error?>
        {
            ["edit"] = (await fixture.Get<UpdateProviderKeyCommand>().ExecuteAsync(actor, enterprise.OrganizationScope, key.Id, key.Version, edit, Ct)).Error,
            ["fetch"] = (await fixture.Get<FetchProviderModelsQuery>().ExecuteAsync(actor, enterprise.OrganizationScope,
                TestData.Input(key.Provider, key.Name, null, key.BaseUrl), key.Id, Ct)).Error,
            ["test"] = (await fixture.Get<TestProviderKeyCommand>().ExecuteAsync(actor, enterprise.OrganizationScope, key.Id, Ct)).Error,
            ["assign"] = (await fixture.Get<AssignProviderKeyCommand>().ExecuteAsync(actor, enterprise.OrganizationSlug, key.Id, false, [organization.App.Id], key.Version, Ct)).Error,
        };

        foreach (var (action, error) in results)
        {
            Assert.True(error is ForbiddenError, $"{action} was not refused: {error?.Message ?? "it succeeded"}");
            Assert.Equal(OrganizationKeysPolicy.ChangeRefused, error!.Message);
        }

        Assert.Equal(requestsBefore, fixture.StandIn.Requests.Count);
        Assert.Equal(secretsBefore, fixture.SecretFolders());
        await using (var db = await fixture.DbAsync())
        {
            Assert.Equal(countsBefore, await TestData.CountsAsync(db, Ct));
            var stored = await db.ProviderKeys.AsNoTracking().SingleAsync(k => k.Id == key.Id, Ct);
            Assert.Equal((key.Name, key.Version, key.LastTestStatus, key.AssignedToEntireOrganization), (stored.Name, stored.Version, stored.LastTestStatus, stored.AssignedToEntireOrganization));
        }

        var deleted = await fixture.Get<DeleteProviderKeyCommand>().ExecuteAsync(actor, enterprise.OrganizationScope, key.Id, Ct);

        Assert.True(deleted.IsSuccess, deleted.Error?.Message);
        await using (var db = await fixture.DbAsync())
        {
            Assert.False(await db.ProviderKeys.AnyAsync(k => k.Id == key.Id, Ct), "the key was not deleted");
        }
    }

    [Fact]
    public async Task ExecuteAsync_TurnedOff_EnterpriseKeysCanStillBeEditedFetchedAndTested()
    {
        var enterprise = await TestEnterprise.CreateAsync(fixture);
        var ada = await fixture.ActorAsync(DemoSignIn.EnterpriseOwner);
        var (keyId, _) = await _steps.AddKeyAsync(ada, enterprise.EnterpriseScope, "Enterprise key", null, "gpt-4o");
        await _steps.SetOrganizationKeysAllowedAsync(ada, enterprise.Slug, false);
        ProviderKey key;
        await using (var db = await fixture.DbAsync())
        {
            key = await db.ProviderKeys.AsNoTracking().SingleAsync(k => k.Id == keyId, Ct);
        }

        var fetched = await fixture.Get<FetchProviderModelsQuery>().ExecuteAsync(ada, enterprise.EnterpriseScope,
            TestData.Input(key.Provider, key.Name, fixture.StandIn.AcceptedKey, key.BaseUrl), key.Id, Ct);
        var tested = await fixture.Get<TestProviderKeyCommand>().ExecuteAsync(ada, enterprise.EnterpriseScope, key.Id, Ct);
        var edited = await fixture.Get<UpdateProviderKeyCommand>().ExecuteAsync(ada, enterprise.EnterpriseScope, key.Id, (await ReloadAsync(key.Id)).Version,
            TestData.Input(key.Provider, "Enterprise key renamed", null, key.BaseUrl), Ct);

        Assert.True(fetched.IsSuccess, fetched.Error?.Message);
        Assert.True(tested.IsSuccess, tested.Error?.Message);
        Assert.True(edited.IsSuccess, edited.Error?.Message);
    }

    private async Task<ProviderKey> ReloadAsync(Guid keyId)
    {
        await using var db = await fixture.DbAsync();
        return await db.ProviderKeys.AsNoTracking().SingleAsync(k => k.Id == keyId, Ct);
    }

    [Fact]
    public async Task ExecuteAsync_TurnedOff_EnterpriseKeysCanStillBeAdded()
    {
        var enterprise = await TestEnterprise.CreateAsync(fixture);
        var ada = await fixture.ActorAsync(DemoSignIn.EnterpriseOwner);
        await _steps.SetOrganizationKeysAllowedAsync(ada, enterprise.Slug, false);

        var (keyId, _) = await _steps.AddKeyAsync(ada, enterprise.EnterpriseScope, "Enterprise key", null, "gpt-4o");

        Assert.NotEqual(Guid.Empty, keyId);
    }

    [Fact]
    public async Task ExecuteAsync_TurnedOffThenOn_OrganizationModelsDisappearAndComeBackWhileEnterpriseModelsStay()
    {
        var organization = await NewOrganizationWithModelsAsync();
        var enterprise = organization.Enterprise;
        var ada = await fixture.ActorAsync(DemoSignIn.EnterpriseOwner);
        var oscar = await fixture.ActorAsync(DemoSignIn.WebOwner);
        var before = await AvailableAsync(organization);
        Assert.Equal([(organization.TeamModel, ModelSource.Organization), (organization.EnterpriseModel, ModelSource.Enterprise)], before.Picker);
        Assert.Equal(
            [(organization.AppModel, ModelSource.OrganizationApiKey), (organization.TeamModel, ModelSource.Organization), (organization.EnterpriseModel, ModelSource.Enterprise)],
            before.ForApp);

        await _steps.SetOrganizationKeysAllowedAsync(ada, enterprise.Slug, false);

        var off = await AvailableAsync(organization);
        Assert.Equal([(organization.EnterpriseModel, ModelSource.Enterprise)], off.Picker);
        Assert.Equal([(organization.EnterpriseModel, ModelSource.Enterprise)], off.ForApp);
        var permissions = await _steps.LoadModelsPermissionsAsync(oscar, enterprise.OrganizationSlug);
        Assert.False(permissions.OrganizationKeysAllowed);
        Assert.Equal([organization.EnterpriseModel], permissions.Models.Select(r => r.Model.CustomModelId));
        var apiKeys = await fixture.Get<ListApiKeysQuery>().ExecuteAsync(oscar, enterprise.OrganizationSlug, Ct);
        Assert.False(apiKeys.Value.OrganizationKeysAllowed);
        Assert.Equal(2, apiKeys.Value.ProviderKeys.Count); // nothing is deleted

        await _steps.SetOrganizationKeysAllowedAsync(ada, enterprise.Slug, true);

        var on = await AvailableAsync(organization);
        Assert.Equal(before.Picker, on.Picker);
        Assert.Equal(before.ForApp, on.ForApp);
        Assert.True((await _steps.LoadModelsPermissionsAsync(oscar, enterprise.OrganizationSlug)).OrganizationKeysAllowed);
    }

    [Fact]
    public async Task ExecuteAsync_TurnedOffInOneEnterprise_LeavesOtherEnterprisesAlone()
    {
        var organization = await NewOrganizationWithModelsAsync();
        var other = await TestEnterprise.CreateAsync(fixture);
        var before = await AvailableAsync(organization);

        await _steps.SetOrganizationKeysAllowedAsync(await fixture.ActorAsync(DemoSignIn.EnterpriseOwner), other.Slug, false);

        var after = await AvailableAsync(organization);
        Assert.Equal(before.Picker, after.Picker);
        Assert.Equal(before.ForApp, after.ForApp);
    }

    [Theory]
    [InlineData(DemoSignIn.WebOwner)]
    [InlineData(DemoSignIn.WebMember)]
    [InlineData(DemoSignIn.DataOwner)]
    public async Task ExecuteAsync_NotAnEnterpriseOwner_IsNotFoundChangesNothingAndAuditsTheAttempt(string who)
    {
        var enterprise = await TestEnterprise.CreateAsync(fixture);
        var policies = await LoadAsync(DemoSignIn.EnterpriseOwner, enterprise.Slug);
        var actor = await fixture.ActorAsync(who);

        var read = await fixture.Get<GetEnterprisePoliciesQuery>().ExecuteAsync(actor, enterprise.Slug, Ct);
        var saved = await fixture.Get<SaveEnterprisePoliciesCommand>().ExecuteAsync(actor, enterprise.Slug, false, policies.Version, Ct);

        Assert.IsType<NotFoundError>(read.Error);
        Assert.IsType<NotFoundError>(saved.Error);
        var after = await LoadAsync(DemoSignIn.EnterpriseOwner, enterprise.Slug);
        Assert.Equal((true, policies.Version), (after.AllowOrganizationKeys, after.Version));
        await using var db = await fixture.DbAsync();
        var events = await db.AuditEvents.AsNoTracking().Where(e => e.EnterpriseId == enterprise.Id && e.ActorId == actor.PersonId).ToListAsync(Ct);
        Assert.Contains(events, e => e.Action == AuditActions.EnterprisePolicyUpdate && e.Outcome == AuditOutcome.Denied);
        Assert.DoesNotContain(events, e => e.Outcome != AuditOutcome.Denied);
    }

    [Fact]
    public async Task ExecuteAsync_UnknownEnterprise_IsNotFound()
    {
        var result = await fixture.Get<SaveEnterprisePoliciesCommand>().ExecuteAsync(
            await fixture.ActorAsync(DemoSignIn.EnterpriseOwner), "no-such-enterprise", false, Guid.NewGuid(), Ct);

        Assert.IsType<NotFoundError>(result.Error);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ExecuteAsync_TwoSavesFromTheSameLoad_SecondGetsAConflictAndTheFirstIsKept(bool secondWants)
    {
        var enterprise = await TestEnterprise.CreateAsync(fixture);
        var grace = await fixture.SecondEnterpriseOwnerAsync();
        await using (var db = await fixture.DbAsync())
        {
            db.EnterpriseMemberships.Add(new People.EnterpriseMembership { EnterpriseId = enterprise.Id, PersonId = grace.PersonId, Role = People.EnterpriseRole.Owner, CreatedAt = fixture.Clock.GetUtcNow() });
            await db.SaveChangesAsync(Ct);
        }

        var ada = await fixture.ActorAsync(DemoSignIn.EnterpriseOwner);
        var loadedByAda = await LoadAsync(DemoSignIn.EnterpriseOwner, enterprise.Slug);
        var loadedByGrace = await LoadAsync(grace.Name, enterprise.Slug);
        var save = fixture.Get<SaveEnterprisePoliciesCommand>();

        var first = await save.ExecuteAsync(ada, enterprise.Slug, false, loadedByAda.Version, Ct);
        var second = await save.ExecuteAsync(grace, enterprise.Slug, secondWants, loadedByGrace.Version, Ct);

        Assert.True(first.IsSuccess, first.Error?.Message);
        Assert.Contains("changed by someone else", Assert.IsType<ConflictError>(second.Error).Message, StringComparison.Ordinal);
        var stored = await LoadAsync(DemoSignIn.EnterpriseOwner, enterprise.Slug);
        Assert.Equal((false, first.Value.Version), (stored.AllowOrganizationKeys, stored.Version));
    }

    [Fact]
    public async Task ExecuteAsync_Change_IsAuditedOnceAndASaveWithoutChangeIsNot()
    {
        var enterprise = await TestEnterprise.CreateAsync(fixture);
        var ada = await fixture.ActorAsync(DemoSignIn.EnterpriseOwner);

        await _steps.SetOrganizationKeysAllowedAsync(ada, enterprise.Slug, false);
        await _steps.SetOrganizationKeysAllowedAsync(ada, enterprise.Slug, false);

        await using var db = await fixture.DbAsync();
        var updates = await db.AuditEvents.AsNoTracking().Where(e => e.EnterpriseId == enterprise.Id && e.Action == AuditActions.EnterprisePolicyUpdate).ToListAsync(Ct);
        var update = Assert.Single(updates);
        Assert.Equal((AuditOutcome.Succeeded, ada.PersonId, "enterprise", enterprise.Id.ToString(), enterprise.Slug),
            (update.Outcome, update.ActorId, update.TargetType, update.TargetId, update.TargetName));
        Assert.Equal("""{"allowOrganizationKeys":false}""", update.Details);
    }
}
