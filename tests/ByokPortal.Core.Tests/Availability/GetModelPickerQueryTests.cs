using ByokPortal.Core.Availability;
using ByokPortal.Core.Common;
using ByokPortal.Core.CustomModels;
using ByokPortal.Core.Organizations;
using ByokPortal.Core.ProviderKeys;
using ByokPortal.Testing;

namespace ByokPortal.Core.Tests.Availability;

/// <summary>
/// The member's model picker: the organization's own models first under its name, enterprise models at the bottom under the enterprise
/// name; disabled, not granted and excluded models absent; other organizations' people get "not found".
/// </summary>
public sealed class GetModelPickerQueryTests(PortalFixture fixture) : IClassFixture<PortalFixture>
{
    private static CancellationToken Ct => PortalFixture.Ct;

    private readonly PortalSteps _steps = new(fixture);

    private sealed record Catalogue(TestEnterprise Enterprise, IReadOnlyDictionary<string, Guid> Enterprise1, IReadOnlyDictionary<string, Guid> Enterprise2, IReadOnlyDictionary<string, Guid> Own, IReadOnlyDictionary<string, Guid> AppOnly);

    /// <summary>
    /// Enterprise key "Zeta OpenAI": z-ent-all (all organizations), a-ent-granted (granted), m-ent-disabled (granted, then disabled),
    /// n-ent-other (granted to the sibling only); enterprise key "Alpha OpenAI": a-ent-granted too (granted).
    /// Organization key "Team key" (entire organization): z-own, b-own, x-own (switched off later); "App key" assigned to one API key: c-app.
    /// </summary>
    private async Task<Catalogue> NewCatalogueAsync()
    {
        var enterprise = await TestEnterprise.CreateAsync(fixture);
        var ada = await fixture.ActorAsync(DemoSignIn.EnterpriseOwner);
        var oscar = await fixture.ActorAsync(DemoSignIn.WebOwner);

        var (_, first) = await _steps.AddKeyAsync(ada, enterprise.EnterpriseScope, "Zeta OpenAI", null, "z-ent-all", "a-ent-granted", "m-ent-disabled", "n-ent-other");
        await _steps.SaveModelSettingsAsync(ada, enterprise.EnterpriseScope, first["z-ent-all"], true, ModelAccessMode.AllOrganizations);
        await _steps.SaveModelSettingsAsync(ada, enterprise.EnterpriseScope, first["a-ent-granted"], true, ModelAccessMode.ChoosePerOrganization, enterprise.OrganizationId);
        await _steps.SaveModelSettingsAsync(ada, enterprise.EnterpriseScope, first["m-ent-disabled"], true, ModelAccessMode.ChoosePerOrganization, enterprise.OrganizationId);
        await _steps.SaveModelSettingsAsync(ada, enterprise.EnterpriseScope, first["m-ent-disabled"], false, ModelAccessMode.ChoosePerOrganization, enterprise.OrganizationId);
        await _steps.SaveModelSettingsAsync(ada, enterprise.EnterpriseScope, first["n-ent-other"], true, ModelAccessMode.ChoosePerOrganization, enterprise.SiblingId);
        var (_, second) = await _steps.AddKeyAsync(ada, enterprise.EnterpriseScope, "Alpha OpenAI", null, "a-ent-granted");
        await _steps.SaveModelSettingsAsync(ada, enterprise.EnterpriseScope, second["a-ent-granted"], true, ModelAccessMode.ChoosePerOrganization, enterprise.OrganizationId);

        var (_, own) = await _steps.AddKeyAsync(oscar, enterprise.OrganizationScope, "Team key", null, "z-own", "b-own", "x-own");
        var app = await _steps.IssueApiKeyAsync(oscar, enterprise.OrganizationSlug, "Build server");
        var (_, appOnly) = await _steps.AddKeyAsync(oscar, enterprise.OrganizationScope, "App key", [app.Id], "c-app");
        return new Catalogue(enterprise, first, second, own, appOnly);
    }

    [Fact]
    public async Task ExecuteAsync_OwnAndEnterpriseModels_OwnFirstUnderTheOrganizationEnterpriseLastUnderTheEnterprise()
    {
        var catalogue = await NewCatalogueAsync();
        var enterprise = catalogue.Enterprise;
        var mia = await fixture.ActorAsync(DemoSignIn.WebMember);

        var result = await fixture.Get<GetModelPickerQuery>().ExecuteAsync(mia, enterprise.OrganizationSlug, Ct);

        Assert.True(result.IsSuccess, result.Error?.Message);
        var picker = result.Value;
        Assert.Equal((enterprise.OrganizationName, enterprise.Name), (picker.OrganizationName, picker.EnterpriseName));
        Assert.Equal(
            [(enterprise.OrganizationName, ModelSource.Organization), (enterprise.Name, ModelSource.Enterprise)],
            picker.Groups.Select(g => (g.Title, g.Source)));
        Assert.Equal(
            [("b-own", "Team key"), ("x-own", "Team key"), ("z-own", "Team key")],
            picker.Groups[0].Models.Select(m => (m.ModelId, m.KeyName)));
        Assert.Equal(
            [("a-ent-granted", "Alpha OpenAI"), ("a-ent-granted", "Zeta OpenAI"), ("z-ent-all", "Zeta OpenAI")],
            picker.Groups[1].Models.Select(m => (m.ModelId, m.KeyName)));
        Assert.All(picker.Groups[1].Models, m => Assert.Equal(ModelSource.Enterprise, m.Source));
        Assert.All(picker.Groups.SelectMany(g => g.Models), m => Assert.Equal("OpenAI", m.ProviderName));
        Assert.Equal(6, picker.Count);
    }

    [Fact]
    public async Task ExecuteAsync_DisabledNotGrantedExcludedOrAssignedToAnApiKey_IsNotListed()
    {
        var catalogue = await NewCatalogueAsync();
        var enterprise = catalogue.Enterprise;
        var oscar = await fixture.ActorAsync(DemoSignIn.WebOwner);
        var mia = await fixture.ActorAsync(DemoSignIn.WebMember);
        var reachable = (await _steps.LoadModelsPermissionsAsync(oscar, enterprise.OrganizationSlug)).Models.Select(r => r.Model.CustomModelId);
        await _steps.SaveModelsPermissionsAsync(oscar, enterprise.OrganizationSlug, ModelsPermission.OnlySelectModels,
            reachable.Where(id => id != catalogue.Own["x-own"]).ToArray());

        var picker = await _steps.PickerAsync(mia, enterprise.OrganizationSlug);

        Assert.Equal(
            [
                (enterprise.OrganizationName, "b-own"), (enterprise.OrganizationName, "z-own"),
                (enterprise.Name, "a-ent-granted"), (enterprise.Name, "a-ent-granted"), (enterprise.Name, "z-ent-all"),
            ],
            picker.Select(m => (m.Group, m.ModelId)));
        var listed = picker.Select(m => m.CustomModelId).ToHashSet();
        Assert.DoesNotContain(catalogue.Enterprise1["m-ent-disabled"], listed);
        Assert.DoesNotContain(catalogue.Enterprise1["n-ent-other"], listed);
        Assert.DoesNotContain(catalogue.Own["x-own"], listed);
        Assert.DoesNotContain(catalogue.AppOnly["c-app"], listed);
    }

    [Fact]
    public async Task ExecuteAsync_OnlyEnterpriseModels_HasOneGroupUnderTheEnterpriseName()
    {
        var enterprise = await TestEnterprise.CreateAsync(fixture);
        var ada = await fixture.ActorAsync(DemoSignIn.EnterpriseOwner);
        var (_, models) = await _steps.AddKeyAsync(ada, enterprise.EnterpriseScope, "Enterprise key", null, "gpt-4o");
        await _steps.SaveModelSettingsAsync(ada, enterprise.EnterpriseScope, models["gpt-4o"], true, ModelAccessMode.AllOrganizations);

        var picker = await fixture.Get<GetModelPickerQuery>().ExecuteAsync(await fixture.ActorAsync(DemoSignIn.WebMember), enterprise.OrganizationSlug, Ct);

        var group = Assert.Single(picker.Value.Groups);
        Assert.Equal((enterprise.Name, ModelSource.Enterprise), (group.Title, group.Source));
    }

    [Fact]
    public async Task ExecuteAsync_NothingAvailable_HasNoGroups()
    {
        var enterprise = await TestEnterprise.CreateAsync(fixture);

        var picker = await fixture.Get<GetModelPickerQuery>().ExecuteAsync(await fixture.ActorAsync(DemoSignIn.WebMember), enterprise.OrganizationSlug, Ct);

        Assert.True(picker.IsSuccess, picker.Error?.Message);
        Assert.Empty(picker.Value.Groups);
        Assert.Equal(0, picker.Value.Count);
    }

    [Theory]
    [InlineData(DemoSignIn.WebMember)]
    [InlineData(DemoSignIn.WebOwner)]
    [InlineData(DemoSignIn.EnterpriseOwner)]
    public async Task ExecuteAsync_MemberOwnerOrEnterpriseOwner_SeesTheSameModels(string who)
    {
        var catalogue = await NewCatalogueAsync();

        var picker = await _steps.PickerAsync(await fixture.ActorAsync(who), catalogue.Enterprise.OrganizationSlug);

        Assert.Equal(["b-own", "x-own", "z-own", "a-ent-granted", "a-ent-granted", "z-ent-all"], picker.Select(m => m.ModelId));
    }

    [Fact]
    public async Task ExecuteAsync_OwnerOfAnotherOrganizationOfTheSameEnterprise_IsNotFound()
    {
        var catalogue = await NewCatalogueAsync();
        var olga = await fixture.ActorAsync(DemoSignIn.DataOwner); // owns the sibling organization only

        var result = await fixture.Get<GetModelPickerQuery>().ExecuteAsync(olga, catalogue.Enterprise.OrganizationSlug, Ct);

        Assert.IsType<NotFoundError>(result.Error);
    }

    [Theory]
    [InlineData(DemoSignIn.WebMember, "contoso-data")]
    [InlineData(DemoSignIn.WebOwner, "contoso-data")]
    [InlineData(DemoSignIn.DataOwner, "contoso-web")]
    [InlineData(DemoSignIn.WebMember, "contoso-research")]
    [InlineData(DemoSignIn.WebMember, "no-such-organization")]
    public async Task ExecuteAsync_PersonOutsideTheOrganization_IsNotFound(string who, string organization)
    {
        var result = await fixture.Get<GetModelPickerQuery>().ExecuteAsync(await fixture.ActorAsync(who), organization, Ct);

        Assert.IsType<NotFoundError>(result.Error);
    }

    [Fact]
    public async Task ExecuteAsync_PersonOfAnotherEnterprise_IsNotFound()
    {
        var catalogue = await NewCatalogueAsync();
        var other = await TestEnterprise.CreateAsync(fixture);
        await using (var db = await fixture.DbAsync())
        {
            // Someone who owns an organization of a different enterprise (and nothing in this one).
            var stranger = new People.Person { Email = $"eve-{Guid.NewGuid():N}@fabrikam.test", DisplayName = "Eve", CreatedAt = DateTimeOffset.UtcNow };
            db.People.Add(stranger);
            db.OrganizationMemberships.Add(new People.OrganizationMembership { OrganizationId = other.OrganizationId, PersonId = stranger.Id, Role = People.OrganizationRole.Owner, CreatedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync(Ct);
            var result = await fixture.Get<GetModelPickerQuery>().ExecuteAsync(new Actor(stranger.Id, stranger.Email, null), catalogue.Enterprise.OrganizationSlug, Ct);

            Assert.IsType<NotFoundError>(result.Error);
        }
    }

    [Fact]
    public async Task ExecuteAsync_AfterTheOrganizationKeyIsAssignedToSpecificApiKeys_ItsModelsLeaveThePicker()
    {
        var catalogue = await NewCatalogueAsync();
        var enterprise = catalogue.Enterprise;
        var oscar = await fixture.ActorAsync(DemoSignIn.WebOwner);
        var app = await _steps.IssueApiKeyAsync(oscar, enterprise.OrganizationSlug, "Nightly job");
        var keys = await fixture.Get<ListProviderKeysQuery>().ExecuteAsync(oscar, enterprise.OrganizationScope, Ct);
        var team = keys.Value.Keys.Single(k => k.Name == "Team key");

        var assigned = await fixture.Get<AssignProviderKeyCommand>().ExecuteAsync(oscar, enterprise.OrganizationSlug, team.Id, false, [app.Id], team.Version, Ct);

        Assert.True(assigned.IsSuccess, assigned.Error?.Message);
        var picker = await _steps.PickerAsync(await fixture.ActorAsync(DemoSignIn.WebMember), enterprise.OrganizationSlug);
        Assert.Equal(["a-ent-granted", "a-ent-granted", "z-ent-all"], picker.Select(m => m.ModelId));
        var forApp = await _steps.ForApiKeyAsync(enterprise.OrganizationId, app.Id);
        Assert.Equal(
            [("b-own", ModelSource.OrganizationApiKey), ("x-own", ModelSource.OrganizationApiKey), ("z-own", ModelSource.OrganizationApiKey),
             ("a-ent-granted", ModelSource.Enterprise), ("a-ent-granted", ModelSource.Enterprise), ("z-ent-all", ModelSource.Enterprise)],
            forApp.Select(m => (m.ModelId, m.Source)));
    }
}
