using ByokPortal.Core.Availability;
using ByokPortal.Core.CustomModels;
using ByokPortal.Core.Organizations;
using ByokPortal.Core.ProviderKeys;

namespace ByokPortal.Core.Tests.Availability;

/// <summary>
/// <see cref="ModelAvailability.Compute"/> on its own (no database): every combination of the table in issue 4, for each view, and the
/// order results come in (the order runtime resolution picks from).
/// </summary>
public sealed class ModelAvailabilityTests
{
    private static readonly Guid AssignedApiKey = Guid.NewGuid();
    private static readonly Guid OtherApiKey = Guid.NewGuid();
    private static readonly Guid ThisOrganization = Guid.NewGuid();
    private static readonly Guid AnotherOrganization = Guid.NewGuid();

    /// <summary>The enterprise models granted to this organization ("Choose per organization" with its box ticked).</summary>
    private readonly HashSet<Guid> _granted = [];

    private CandidateModel EnterpriseModel(string modelId, bool enabled, EnterpriseAccess access, string keyName = "Enterprise key")
    {
        var model = new CandidateModel(
            Guid.NewGuid(), modelId, enabled,
            access == EnterpriseAccess.AllowForAllOrganizations ? ModelAccessMode.AllOrganizations : ModelAccessMode.ChoosePerOrganization,
            OwnerOrganizationId: null, Guid.NewGuid(), keyName, ProviderKind.OpenAI, KeyAssignedToEntireOrganization: true,
            new HashSet<Guid>(), CredentialTestStatus.Succeeded);
        if (access == EnterpriseAccess.ChosenAndGrantedToThisOrganization)
        {
            _granted.Add(model.CustomModelId);
        }

        return model;
    }

    private static CandidateModel OrganizationModel(string modelId, bool enabled, OrganizationKeyAssignment assignment, string keyName = "Organization key", Guid? owner = null) => new(
        Guid.NewGuid(), modelId, enabled, ModelAccessMode.ChoosePerOrganization, owner ?? ThisOrganization,
        Guid.NewGuid(), keyName, ProviderKind.Anthropic,
        KeyAssignedToEntireOrganization: assignment == OrganizationKeyAssignment.EntireOrganization,
        assignment == OrganizationKeyAssignment.SpecificApiKeys ? new HashSet<Guid> { AssignedApiKey } : new HashSet<Guid>(),
        CredentialTestStatus.NotTested);

    private AvailabilityContext Context(ModelsPermission permission, bool organizationKeysAllowed, Guid? apiKeyId = null) =>
        new(ThisOrganization, permission, new Dictionary<Guid, bool>(), _granted, organizationKeysAllowed, apiKeyId);

    private AvailabilityContext Context(PermissionCase permission, Guid modelId, bool organizationKeysAllowed, ViewCase view)
    {
        var settings = permission switch
        {
            PermissionCase.OnlySelectModelsSwitchedOn => new Dictionary<Guid, bool> { [modelId] = true },
            PermissionCase.OnlySelectModelsSwitchedOff => new Dictionary<Guid, bool> { [modelId] = false },
            _ => new Dictionary<Guid, bool>(),
        };
        var apiKey = view switch
        {
            ViewCase.AssignedApiKey => AssignedApiKey,
            ViewCase.OtherApiKey => OtherApiKey,
            _ => (Guid?)null,
        };
        return new AvailabilityContext(
            ThisOrganization,
            permission == PermissionCase.AllPublishers ? ModelsPermission.AllPublishers : ModelsPermission.OnlySelectModels,
            settings, _granted, organizationKeysAllowed, apiKey);
    }

    private static AvailabilityView ToView(ViewCase view) => view switch
    {
        ViewCase.Person => AvailabilityView.Person,
        ViewCase.Reachable => AvailabilityView.Reachable,
        _ => AvailabilityView.ApiKey,
    };

    private static (Guid, ModelSource)[] Expected(CandidateModel model, ModelSource? source) =>
        source is { } s ? [(model.CustomModelId, s)] : [];

    public static TheoryData<EnterpriseAccess, bool, PermissionCase, ViewCase> EnterpriseModelCases()
    {
        var data = new TheoryData<EnterpriseAccess, bool, PermissionCase, ViewCase>();
        foreach (var (access, enabled, permission) in AvailabilityCases.EnterpriseModelSetupValues())
        {
            foreach (var view in Enum.GetValues<ViewCase>())
            {
                data.Add(access, enabled, permission, view);
            }
        }

        return data;
    }

    public static TheoryData<OrganizationKeyAssignment, bool, bool, PermissionCase, ViewCase> OrganizationModelCases()
    {
        var data = new TheoryData<OrganizationKeyAssignment, bool, bool, PermissionCase, ViewCase>();
        foreach (var (assignment, allowed, enabled, permission) in AvailabilityCases.OrganizationModelSetupValues())
        {
            foreach (var view in Enum.GetValues<ViewCase>())
            {
                data.Add(assignment, allowed, enabled, permission, view);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EnterpriseModelCases))]
    public void Compute_EnterpriseModel_IsAvailableOnlyWhenEnabledGrantedAndPermitted(EnterpriseAccess access, bool enabled, PermissionCase permission, ViewCase view)
    {
        var model = EnterpriseModel("gpt-4o", enabled, access);
        var context = Context(permission, model.CustomModelId, organizationKeysAllowed: true, view);

        var available = ModelAvailability.Compute(context, [model], ToView(view));

        Assert.Equal(Expected(model, AvailabilityCases.ExpectedForEnterpriseModel(access, enabled, permission, view)), available.Select(m => (m.CustomModelId, m.Source)));
    }

    [Theory]
    [MemberData(nameof(EnterpriseModelCases))]
    public void Compute_EnterpriseModelWithOrganizationKeysNotAllowed_IsUnaffectedByThePolicy(EnterpriseAccess access, bool enabled, PermissionCase permission, ViewCase view)
    {
        var model = EnterpriseModel("gpt-4o", enabled, access);
        var context = Context(permission, model.CustomModelId, organizationKeysAllowed: false, view);

        var available = ModelAvailability.Compute(context, [model], ToView(view));

        Assert.Equal(Expected(model, AvailabilityCases.ExpectedForEnterpriseModel(access, enabled, permission, view)), available.Select(m => (m.CustomModelId, m.Source)));
    }

    [Theory]
    [MemberData(nameof(OrganizationModelCases))]
    public void Compute_OrganizationModel_IsAvailableOnlyWhenAllowedEnabledAssignedAndPermitted(
        OrganizationKeyAssignment assignment, bool organizationKeysAllowed, bool enabled, PermissionCase permission, ViewCase view)
    {
        var model = OrganizationModel("claude-sonnet-4", enabled, assignment);
        var context = Context(permission, model.CustomModelId, organizationKeysAllowed, view);

        var available = ModelAvailability.Compute(context, [model], ToView(view));

        Assert.Equal(Expected(model, AvailabilityCases.ExpectedForOrganizationModel(assignment, organizationKeysAllowed, enabled, permission, view)),
            available.Select(m => (m.CustomModelId, m.Source)));
    }

    /// <summary>A few rows of the table spelled out, so the expectations above are anchored to the issue's words and not only to a formula.</summary>
    [Theory]
    [InlineData("enterprise", "chosen, not granted", true, "all publishers", "person", null)]
    [InlineData("enterprise", "all", false, "all publishers", "person", null)]
    [InlineData("enterprise", "granted", true, "only select: off", "reachable", ModelSource.Enterprise)]
    [InlineData("enterprise", "granted", true, "only select: none", "person", null)]
    [InlineData("enterprise", "all", true, "only select: on", "other API key", ModelSource.Enterprise)]
    [InlineData("organization, entire", "allowed", true, "all publishers", "person", ModelSource.Organization)]
    [InlineData("organization, entire", "allowed", true, "all publishers", "other API key", ModelSource.Organization)]
    [InlineData("organization, entire", "not allowed", true, "all publishers", "reachable", null)]
    [InlineData("organization, API keys", "allowed", true, "all publishers", "person", null)]
    [InlineData("organization, API keys", "allowed", true, "all publishers", "assigned API key", ModelSource.OrganizationApiKey)]
    [InlineData("organization, API keys", "allowed", true, "all publishers", "other API key", null)]
    [InlineData("organization, API keys", "allowed", true, "only select: off", "reachable", ModelSource.OrganizationApiKey)]
    [InlineData("organization, API keys", "allowed", true, "only select: off", "assigned API key", null)]
    [InlineData("organization, API keys", "allowed", false, "all publishers", "reachable", null)]
    public void Compute_SpelledOutRow_GivesTheIssuesAnswer(string owner, string access, bool enabled, string permission, string view, ModelSource? expected)
    {
        var permissionCase = permission switch
        {
            "all publishers" => PermissionCase.AllPublishers,
            "only select: on" => PermissionCase.OnlySelectModelsSwitchedOn,
            "only select: off" => PermissionCase.OnlySelectModelsSwitchedOff,
            _ => PermissionCase.OnlySelectModelsNoSetting,
        };
        var viewCase = view switch
        {
            "person" => ViewCase.Person,
            "assigned API key" => ViewCase.AssignedApiKey,
            "other API key" => ViewCase.OtherApiKey,
            _ => ViewCase.Reachable,
        };
        var model = owner switch
        {
            "enterprise" => EnterpriseModel("m", enabled, access switch
            {
                "all" => EnterpriseAccess.AllowForAllOrganizations,
                "granted" => EnterpriseAccess.ChosenAndGrantedToThisOrganization,
                _ => EnterpriseAccess.ChosenButNotGrantedToThisOrganization,
            }),
            "organization, entire" => OrganizationModel("m", enabled, OrganizationKeyAssignment.EntireOrganization),
            _ => OrganizationModel("m", enabled, OrganizationKeyAssignment.SpecificApiKeys),
        };
        var context = Context(permissionCase, model.CustomModelId, access != "not allowed", viewCase);

        var available = ModelAvailability.Compute(context, [model], ToView(viewCase));

        Assert.Equal(Expected(model, expected), available.Select(m => (m.CustomModelId, m.Source)));
    }

    [Fact]
    public void Compute_ModelsFromEverySource_ComeApiKeyKeysFirstThenOrganizationThenEnterpriseEachByModelIdThenKeyName()
    {
        var candidates = new[]
        {
            EnterpriseModel("a-model", true, EnterpriseAccess.AllowForAllOrganizations, "Zeta"),
            OrganizationModel("z-model", true, OrganizationKeyAssignment.EntireOrganization, "Org key"),
            EnterpriseModel("a-model", true, EnterpriseAccess.ChosenAndGrantedToThisOrganization, "Alpha"),
            OrganizationModel("z-model", true, OrganizationKeyAssignment.SpecificApiKeys, "App key"),
            OrganizationModel("b-model", true, OrganizationKeyAssignment.EntireOrganization, "Org key"),
            OrganizationModel("c-model", true, OrganizationKeyAssignment.SpecificApiKeys, "App key"),
            EnterpriseModel("B-model", true, EnterpriseAccess.AllowForAllOrganizations, "Zeta"),
        };
        var context = Context(ModelsPermission.AllPublishers, true, AssignedApiKey);

        var available = ModelAvailability.Compute(context, candidates, AvailabilityView.ApiKey);

        Assert.Equal(
            [
                ("c-model", "App key", ModelSource.OrganizationApiKey),
                ("z-model", "App key", ModelSource.OrganizationApiKey),
                ("b-model", "Org key", ModelSource.Organization),
                ("z-model", "Org key", ModelSource.Organization),
                ("B-model", "Zeta", ModelSource.Enterprise),
                ("a-model", "Alpha", ModelSource.Enterprise),
                ("a-model", "Zeta", ModelSource.Enterprise),
            ],
            available.Select(m => (m.ModelId, m.KeyName, m.Source)));
    }

    [Fact]
    public void Compute_SameModelIdFromThreeKeys_ListsItOncePerKeyInResolutionOrder()
    {
        var fromEnterprise = EnterpriseModel("gpt-4o", true, EnterpriseAccess.AllowForAllOrganizations, "A enterprise");
        var fromOrganization = OrganizationModel("gpt-4o", true, OrganizationKeyAssignment.EntireOrganization, "B organization");
        var fromApiKey = OrganizationModel("gpt-4o", true, OrganizationKeyAssignment.SpecificApiKeys, "C app");
        var context = Context(ModelsPermission.AllPublishers, true, AssignedApiKey);

        var forApiKey = ModelAvailability.Compute(context, [fromEnterprise, fromOrganization, fromApiKey], AvailabilityView.ApiKey);
        var forPerson = ModelAvailability.Compute(context with { ApiKeyId = null }, [fromEnterprise, fromOrganization, fromApiKey], AvailabilityView.Person);

        Assert.Equal([fromApiKey.CustomModelId, fromOrganization.CustomModelId, fromEnterprise.CustomModelId], forApiKey.Select(m => m.CustomModelId));
        Assert.Equal([fromOrganization.CustomModelId, fromEnterprise.CustomModelId], forPerson.Select(m => m.CustomModelId));
    }

    [Fact]
    public void Compute_ApiKeyViewWithoutAnApiKey_ListsNoModelOfAKeyAssignedToSpecificApiKeys()
    {
        var assigned = OrganizationModel("gpt-4o", true, OrganizationKeyAssignment.SpecificApiKeys);
        var entire = OrganizationModel("gpt-4o-mini", true, OrganizationKeyAssignment.EntireOrganization);
        var context = Context(ModelsPermission.AllPublishers, true);

        var available = ModelAvailability.Compute(context, [assigned, entire], AvailabilityView.ApiKey);

        Assert.Equal([entire.CustomModelId], available.Select(m => m.CustomModelId));
    }

    [Fact]
    public void Compute_AvailableModel_CarriesTheKeysIdNameProviderAndLastTestStatus()
    {
        var model = OrganizationModel("claude-sonnet-4", true, OrganizationKeyAssignment.EntireOrganization, "Team Anthropic");
        var context = Context(ModelsPermission.AllPublishers, true);

        var available = Assert.Single(ModelAvailability.Compute(context, [model], AvailabilityView.Person));

        Assert.Equal(
            (model.CustomModelId, "claude-sonnet-4", model.KeyId, "Team Anthropic", ProviderKind.Anthropic, "Anthropic", CredentialTestStatus.NotTested),
            (available.CustomModelId, available.ModelId, available.KeyId, available.KeyName, available.Provider, available.ProviderName, available.KeyStatus));
    }

    [Theory]
    [InlineData(AvailabilityView.Person)]
    [InlineData(AvailabilityView.ApiKey)]
    [InlineData(AvailabilityView.Reachable)]
    public void Compute_AnotherOrganizationsKey_IsNeverAvailableWhateverItsAssignment(AvailabilityView view)
    {
        var entire = OrganizationModel("gpt-4o", true, OrganizationKeyAssignment.EntireOrganization, owner: AnotherOrganization);
        var assigned = OrganizationModel("gpt-4o-mini", true, OrganizationKeyAssignment.SpecificApiKeys, owner: AnotherOrganization);

        Assert.Empty(ModelAvailability.Compute(Context(ModelsPermission.AllPublishers, true, AssignedApiKey), [entire, assigned], view));
    }

    [Fact]
    public void Compute_NoCandidates_IsEmpty()
    {
        var context = Context(ModelsPermission.OnlySelectModels, true);

        Assert.Empty(ModelAvailability.Compute(context, [], AvailabilityView.Reachable));
    }

    [Theory]
    [InlineData(AvailabilityView.Person)]
    [InlineData(AvailabilityView.ApiKey)]
    [InlineData(AvailabilityView.Reachable)]
    public void Compute_OneIndexSharedByManyOrganizations_GivesEachOrganizationExactlyWhatItsOwnCandidatesGive(AvailabilityView view)
    {
        var forAll = EnterpriseModel("gpt-4o", true, EnterpriseAccess.AllowForAllOrganizations);
        var grantedHere = EnterpriseModel("gpt-4.1", true, EnterpriseAccess.ChosenAndGrantedToThisOrganization);
        var grantedThere = EnterpriseModel("o3", true, EnterpriseAccess.ChosenButNotGrantedToThisOrganization);
        var disabled = EnterpriseModel("gpt-3.5", false, EnterpriseAccess.AllowForAllOrganizations);
        var ownHere = OrganizationModel("claude-sonnet-4", true, OrganizationKeyAssignment.EntireOrganization);
        var ownHereForApiKey = OrganizationModel("claude-opus-4", true, OrganizationKeyAssignment.SpecificApiKeys);
        var ownThere = OrganizationModel("mistral-large", true, OrganizationKeyAssignment.EntireOrganization, owner: AnotherOrganization);
        CandidateModel[] candidates = [ownThere, forAll, grantedThere, ownHereForApiKey, disabled, grantedHere, ownHere];
        var shared = new AvailabilityCandidates(Enumerable.Reverse(candidates));
        var here = Context(ModelsPermission.AllPublishers, true, AssignedApiKey);
        var there = new AvailabilityContext(
            AnotherOrganization, ModelsPermission.OnlySelectModels,
            new Dictionary<Guid, bool> { [forAll.CustomModelId] = true, [grantedThere.CustomModelId] = true, [ownThere.CustomModelId] = true },
            new HashSet<Guid> { grantedThere.CustomModelId }, true);

        var hereShared = ModelAvailability.Compute(here, shared, view).Select(m => (m.CustomModelId, m.Source)).ToList();
        var thereShared = ModelAvailability.Compute(there, shared, view).Select(m => (m.CustomModelId, m.Source)).ToList();

        Assert.Equal(ModelAvailability.Compute(here, candidates.Where(c => c.OwnerOrganizationId != AnotherOrganization), view).Select(m => (m.CustomModelId, m.Source)), hereShared);
        Assert.Equal(ModelAvailability.Compute(there, candidates.Where(c => c.OwnerOrganizationId != ThisOrganization), view).Select(m => (m.CustomModelId, m.Source)), thereShared);
        Assert.Contains((ownHere.CustomModelId, ModelSource.Organization), hereShared);
        Assert.Contains((grantedHere.CustomModelId, ModelSource.Enterprise), hereShared);
        Assert.DoesNotContain(thereShared, m => m.CustomModelId == ownHere.CustomModelId || m.CustomModelId == grantedHere.CustomModelId);
        Assert.Contains((ownThere.CustomModelId, ModelSource.Organization), thereShared);
        Assert.Contains((grantedThere.CustomModelId, ModelSource.Enterprise), thereShared);
        Assert.DoesNotContain(hereShared, m => m.CustomModelId == ownThere.CustomModelId || m.CustomModelId == grantedThere.CustomModelId || m.CustomModelId == disabled.CustomModelId);
    }

    [Fact]
    public void Compute_SameModelIdAndKeyNameOnTwoKeys_ComesInTheSameOrderWhateverTheOrderOfTheCandidates()
    {
        var first = EnterpriseModel("gpt-4o", true, EnterpriseAccess.AllowForAllOrganizations, "Shared name");
        var second = EnterpriseModel("gpt-4o", true, EnterpriseAccess.ChosenAndGrantedToThisOrganization, "Shared name");
        var context = Context(ModelsPermission.AllPublishers, true);

        var forward = ModelAvailability.Compute(context, [first, second], AvailabilityView.ApiKey).Select(m => m.CustomModelId);
        var backward = ModelAvailability.Compute(context, [second, first], AvailabilityView.ApiKey).Select(m => m.CustomModelId);

        Assert.Equal(forward, backward);
    }
}
