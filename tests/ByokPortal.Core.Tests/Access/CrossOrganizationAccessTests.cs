using ByokPortal.Core.Access;
using System.Text.Json;
using ByokPortal.Core.ApiKeys;
using ByokPortal.Core.Audit;
using ByokPortal.Core.Availability;
using ByokPortal.Core.Common;
using ByokPortal.Core.CustomModels;
using ByokPortal.Core.Enterprises;
using ByokPortal.Core.Organizations;
using ByokPortal.Core.ProviderKeys;
using ByokPortal.Testing;
using Microsoft.EntityFrameworkCore;

namespace ByokPortal.Core.Tests.Access;

/// <summary>
/// An organization owner against another organization's objects (the classic "change the ID in the request" attack): oscar@ owns
/// contoso-web and tries every use case on contoso-data's key, model and API key — naming contoso-data as the scope, and naming his
/// own organization with contoso-data's object IDs. Every attempt is "not found", and nothing changes: no row, no secret, no call out,
/// no audit event other than the refusal. The enterprise's own objects and pages are "not found" to him too.
/// </summary>
public sealed class CrossOrganizationAccessTests(PortalFixture fixture) : IClassFixture<PortalFixture>
{
    private static CancellationToken Ct => PortalFixture.Ct;

    private const string Web = "contoso-web";
    private const string Data = "contoso-data";
    private const string Contoso = "contoso";

    private readonly PortalSteps _steps = new(fixture);

    /// <summary>contoso-data's key (entire organization) with its model and API key, and an enterprise key with a model granted to contoso-data.</summary>
    private sealed record Victims(Guid DataKey, Guid DataModel, Guid DataApiKey, string DataApiKeyToken, Guid EnterpriseKey, Guid EnterpriseModel, Guid OscarKey);

    private async Task<Victims> NewVictimsAsync()
    {
        var olga = await fixture.ActorAsync(DemoSignIn.DataOwner);
        var ada = await fixture.ActorAsync(DemoSignIn.EnterpriseOwner);
        var oscar = await fixture.ActorAsync(DemoSignIn.WebOwner);
        var dataApp = await _steps.IssueApiKeyAsync(olga, Data, TestData.UniqueName("Data app"));
        var (dataKey, dataModels) = await _steps.AddKeyAsync(olga, KeyScope.Organization(Data), TestData.UniqueName("Data key"), null, "data-model");
        var (enterpriseKey, enterpriseModels) = await _steps.AddKeyAsync(ada, KeyScope.Enterprise(Contoso), TestData.UniqueName("Enterprise key"), null, "enterprise-model");
        await _steps.SaveModelSettingsAsync(ada, KeyScope.Enterprise(Contoso), enterpriseModels["enterprise-model"], true, ModelAccessMode.ChoosePerOrganization,
            await fixture.OrganizationIdAsync(Data));
        var (oscarKey, _) = await _steps.AddKeyAsync(oscar, KeyScope.Organization(Web), TestData.UniqueName("Web key"), null, "web-model");
        return new Victims(dataKey, dataModels["data-model"], dataApp.Id, dataApp.Token, enterpriseKey, enterpriseModels["enterprise-model"], oscarKey);
    }

    /// <summary>Everything an attempt could have changed, as one comparable text (no secret in it: secret names are opaque references).</summary>
    private async Task<string> SnapshotAsync(Victims victims)
    {
        await using var db = await fixture.DbAsync();
        var keyIds = new[] { victims.DataKey, victims.EnterpriseKey, victims.OscarKey };
        var keys = await db.ProviderKeys.AsNoTracking().Where(k => keyIds.Contains(k.Id)).OrderBy(k => k.Id)
            .Select(k => new { k.Id, k.Name, k.BaseUrl, k.ApiVersion, k.SecretName, k.SecretVersion, k.MaskedHint, k.AssignedToEntireOrganization, k.LastTestStatus, k.LastTestedAt, k.UpdatedAt, k.Version })
            .ToListAsync(Ct);
        var models = await db.CustomModels.AsNoTracking().Where(m => keyIds.Contains(m.ProviderKeyId)).OrderBy(m => m.Id)
            .Select(m => new { m.Id, m.ModelId, m.Enabled, m.AccessMode, m.UpdatedAt, m.Version })
            .ToListAsync(Ct);
        var grants = await db.ModelAccessGrants.AsNoTracking().Where(g => g.CustomModelId == victims.EnterpriseModel).OrderBy(g => g.OrganizationId).ToListAsync(Ct);
        var assignments = await db.ProviderKeyAssignments.AsNoTracking().Where(a => keyIds.Contains(a.ProviderKeyId)).OrderBy(a => a.ApiKeyId).ToListAsync(Ct);
        var apiKey = await db.OrganizationApiKeys.AsNoTracking().Where(k => k.Id == victims.DataApiKey)
            .Select(k => new { k.Id, k.Name, k.RevokedAt, k.ExpiresAt, k.LastUsedAt, k.Version }).SingleAsync(Ct);
        var organizations = await db.Organizations.AsNoTracking().OrderBy(o => o.Id).Select(o => new { o.Id, o.ModelsPermission, o.Version }).ToListAsync(Ct);
        var settings = await db.OrganizationModelSettings.AsNoTracking().OrderBy(s => s.OrganizationId).ThenBy(s => s.CustomModelId).ToListAsync(Ct);
        var enterprise = await db.Enterprises.AsNoTracking().Where(e => e.Slug == Contoso).Select(e => new { e.AllowOrganizationKeys, e.Version }).SingleAsync(Ct);
        return JsonSerializer.Serialize(new { keys, models, grants, assignments, apiKey, organizations, settings, enterprise });
    }

    private async Task<long> LastAuditIdAsync()
    {
        await using var db = await fixture.DbAsync();
        return await db.AuditEvents.MaxAsync(e => (long?)e.Id, Ct) ?? 0;
    }

    /// <summary>Runs the attempt and checks "not found", then that nothing changed anywhere.</summary>
    private async Task AssertNotFoundAndNothingChangedAsync(Victims victims, Func<Task<Error?>> attempt)
    {
        var before = await SnapshotAsync(victims);
        var secretsBefore = fixture.SecretFolders();
        var callsBefore = fixture.StandIn.Requests.Count;
        var lastAudit = await LastAuditIdAsync();

        var error = await attempt();

        Assert.IsType<NotFoundError>(error);
        Assert.Equal(before, await SnapshotAsync(victims));
        Assert.Equal(secretsBefore, fixture.SecretFolders());
        Assert.Equal(callsBefore, fixture.StandIn.Requests.Count);
        await using var db = await fixture.DbAsync();
        var added = await db.AuditEvents.AsNoTracking().Where(e => e.Id > lastAudit).ToListAsync(Ct);
        Assert.All(added, e => Assert.Equal(AuditOutcome.Denied, e.Outcome));
        var dataKeyHash = ApiKeyToken.Hash(victims.DataApiKeyToken);
        var dataKey = await db.OrganizationApiKeys.AsNoTracking().SingleAsync(k => k.SecretHash == dataKeyHash, Ct);
        Assert.True(dataKey.IsActiveAt(DateTimeOffset.UtcNow), "contoso-data's API key stopped working");
    }

    public static TheoryData<string, string> OrganizationOperations()
    {
        var data = new TheoryData<string, string>();
        foreach (var operation in new[]
                 {
                     "UpdateProviderKey", "DeleteProviderKey", "TestProviderKey", "AssignProviderKey", "SaveModelSettings", "RevokeApiKey",
                     "GetProviderKeyUsage", "GetModelSettings", "FetchProviderModels",
                 })
        {
            data.Add(operation, Data);
            data.Add(operation, Web);
        }

        return data;
    }

    /// <summary>One use case against contoso-data's objects, as oscar@, in <paramref name="scope"/> (contoso-data, or his own contoso-web: an ID swap).</summary>
    private async Task<Error?> AttemptAsync(string operation, string scope, Victims victims)
    {
        var oscar = await fixture.ActorAsync(DemoSignIn.WebOwner);
        var keyScope = KeyScope.Organization(scope);
        Guid version;
        await using (var db = await fixture.DbAsync())
        {
            version = await db.ProviderKeys.Where(k => k.Id == victims.DataKey).Select(k => k.Version).SingleAsync(Ct);
        }

        switch (operation)
        {
            case "UpdateProviderKey":
            {
                var input = TestData.Input(ProviderKind.OpenAI, "Taken over", TestData.NewCredential(), fixture.StandIn.OpenAIBaseUrl, "extra-model");
                input = input with { AssignToEntireOrganization = false };
                input = input with { ApiKeyIds = [.. input.ApiKeyIds, victims.DataApiKey] };
                return (await fixture.Get<UpdateProviderKeyCommand>().ExecuteAsync(oscar, keyScope, victims.DataKey, version, input, Ct)).Error;
            }

            case "DeleteProviderKey":
                return (await fixture.Get<DeleteProviderKeyCommand>().ExecuteAsync(oscar, keyScope, victims.DataKey, Ct)).Error;
            case "TestProviderKey":
                return (await fixture.Get<TestProviderKeyCommand>().ExecuteAsync(oscar, keyScope, victims.DataKey, Ct)).Error;
            case "AssignProviderKey":
                return (await fixture.Get<AssignProviderKeyCommand>().ExecuteAsync(oscar, scope, victims.DataKey, false, [victims.DataApiKey], version, Ct)).Error;
            case "SaveModelSettings":
            {
                Guid modelVersion;
                await using (var db = await fixture.DbAsync())
                {
                    modelVersion = await db.CustomModels.Where(m => m.Id == victims.DataModel).Select(m => m.Version).SingleAsync(Ct);
                }

                var input = new ModelSettingsInput { Enabled = false, AccessMode = ModelAccessMode.ChoosePerOrganization, ExpectedVersion = modelVersion };
                return (await fixture.Get<SaveModelSettingsCommand>().ExecuteAsync(oscar, keyScope, victims.DataModel, input, Ct)).Error;
            }

            case "RevokeApiKey":
                return (await fixture.Get<RevokeApiKeyCommand>().ExecuteAsync(oscar, scope, victims.DataApiKey, Ct)).Error;
            case "GetProviderKeyUsage":
                return (await fixture.Get<GetProviderKeyUsageQuery>().ExecuteAsync(oscar, keyScope, victims.DataKey, Ct)).Error;
            case "GetModelSettings":
                return (await fixture.Get<GetModelSettingsQuery>().ExecuteAsync(oscar, keyScope, victims.DataModel, Ct)).Error;
            case "FetchProviderModels":
            {
                // The saved key at its saved address, credential left empty: would send contoso-data's key out if the ID were accepted.
                var input = TestData.Input(ProviderKind.OpenAI, "Fetch", null, fixture.StandIn.OpenAIBaseUrl);
                return (await fixture.Get<FetchProviderModelsQuery>().ExecuteAsync(oscar, keyScope, input, victims.DataKey, Ct)).Error;
            }

            default:
                throw new ArgumentOutOfRangeException(nameof(operation), operation, null);
        }
    }

    [Theory]
    [MemberData(nameof(OrganizationOperations))]
    public async Task OrganizationUseCase_OtherOrganizationsObjectsInTheirScopeOrWithTheIdsSwappedIntoOwnScope_IsNotFoundAndChangesNothing(string operation, string scope)
    {
        var victims = await NewVictimsAsync();

        await AssertNotFoundAndNothingChangedAsync(victims, () => AttemptAsync(operation, scope, victims));
    }

    [Fact]
    public async Task OrganizationUseCase_OwnObjectsOfTheSameKinds_AreFoundSoTheRefusalsAboveAreAboutOwnership()
    {
        var victims = await NewVictimsAsync();
        var oscar = await fixture.ActorAsync(DemoSignIn.WebOwner);
        var web = KeyScope.Organization(Web);

        var usage = await fixture.Get<GetProviderKeyUsageQuery>().ExecuteAsync(oscar, web, victims.OscarKey, Ct);
        var modelId = usage.IsSuccess ? await WebModelIdAsync(victims.OscarKey) : Guid.Empty;
        var settings = await fixture.Get<GetModelSettingsQuery>().ExecuteAsync(oscar, web, modelId, Ct);

        Assert.True(usage.IsSuccess, usage.Error?.Message);
        Assert.True(settings.IsSuccess, settings.Error?.Message);
    }

    private async Task<Guid> WebModelIdAsync(Guid keyId)
    {
        await using var db = await fixture.DbAsync();
        return await db.CustomModels.Where(m => m.ProviderKeyId == keyId).Select(m => m.Id).SingleAsync(Ct);
    }

    public static TheoryData<string> OtherOrganizationPages() =>
    [
        "ListProviderKeys", "ListCustomModels", "ListApiKeys", "GetModelsPermissions", "SaveModelsPermissions", "IssueApiKey", "AddProviderKey", "GetModelPicker",
    ];

    [Theory]
    [MemberData(nameof(OtherOrganizationPages))]
    public async Task OrganizationPage_OfAnotherOrganization_IsNotFoundAndChangesNothing(string operation)
    {
        var victims = await NewVictimsAsync();
        var oscar = await fixture.ActorAsync(DemoSignIn.WebOwner);
        var scope = KeyScope.Organization(Data);

        await AssertNotFoundAndNothingChangedAsync(victims, async () => operation switch
        {
            "ListProviderKeys" => (await fixture.Get<ListProviderKeysQuery>().ExecuteAsync(oscar, scope, Ct)).Error,
            "ListCustomModels" => (await fixture.Get<ListCustomModelsQuery>().ExecuteAsync(oscar, scope, Ct)).Error,
            "ListApiKeys" => (await fixture.Get<ListApiKeysQuery>().ExecuteAsync(oscar, Data, Ct)).Error,
            "GetModelsPermissions" => (await fixture.Get<GetModelsPermissionsQuery>().ExecuteAsync(oscar, Data, Ct)).Error,
            "SaveModelsPermissions" => (await fixture.Get<SaveModelsPermissionsCommand>().ExecuteAsync(oscar, Data,
                PortalSteps.PermissionsInput(ModelsPermission.OnlySelectModels, Guid.NewGuid(), []), Ct)).Error,
            "IssueApiKey" => (await fixture.Get<IssueApiKeyCommand>().ExecuteAsync(oscar, Data, new IssueApiKeyInput { Name = TestData.UniqueName("Sneaky") }, Ct)).Error,
            "AddProviderKey" => (await fixture.Get<AddProviderKeyCommand>().ExecuteAsync(oscar, scope,
                TestData.Input(ProviderKind.OpenAI, TestData.UniqueName("Sneaky"), TestData.NewCredential(), fixture.StandIn.OpenAIBaseUrl), Ct)).Error,
            "GetModelPicker" => (await fixture.Get<GetModelPickerQuery>().ExecuteAsync(oscar, Data, Ct)).Error,
            _ => throw new ArgumentOutOfRangeException(nameof(operation), operation, null),
        });
    }

    public static TheoryData<string> EnterpriseOperations() =>
    [
        "AddProviderKey", "UpdateProviderKey", "DeleteProviderKey", "TestProviderKey", "FetchProviderModels", "SaveModelSettings", "GetProviderKeyUsage",
        "GetModelSettings", "ListProviderKeys", "ListCustomModels", "GetEnterprisePolicies", "SaveEnterprisePolicies", "SearchAuditLog", "SearchOrganizations",
    ];

    [Theory]
    [MemberData(nameof(EnterpriseOperations))]
    public async Task EnterpriseUseCase_AsAnOrganizationOwner_IsNotFoundAndChangesNothing(string operation)
    {
        var victims = await NewVictimsAsync();
        var oscar = await fixture.ActorAsync(DemoSignIn.WebOwner);
        var scope = KeyScope.Enterprise(Contoso);

        await AssertNotFoundAndNothingChangedAsync(victims, async () =>
        {
            await using var db = await fixture.DbAsync();
            var keyVersion = await db.ProviderKeys.Where(k => k.Id == victims.EnterpriseKey).Select(k => k.Version).SingleAsync(Ct);
            var modelVersion = await db.CustomModels.Where(m => m.Id == victims.EnterpriseModel).Select(m => m.Version).SingleAsync(Ct);
            var enterpriseVersion = await db.Enterprises.Where(e => e.Slug == Contoso).Select(e => e.Version).SingleAsync(Ct);
            return operation switch
            {
                "AddProviderKey" => (await fixture.Get<AddProviderKeyCommand>().ExecuteAsync(oscar, scope,
                    TestData.Input(ProviderKind.OpenAI, TestData.UniqueName("Sneaky"), TestData.NewCredential(), fixture.StandIn.OpenAIBaseUrl, "gpt-4o"), Ct)).Error,
                "UpdateProviderKey" => (await fixture.Get<UpdateProviderKeyCommand>().ExecuteAsync(oscar, scope, victims.EnterpriseKey, keyVersion,
                    TestData.Input(ProviderKind.OpenAI, "Taken over", TestData.NewCredential(), fixture.StandIn.OpenAIBaseUrl), Ct)).Error,
                "DeleteProviderKey" => (await fixture.Get<DeleteProviderKeyCommand>().ExecuteAsync(oscar, scope, victims.EnterpriseKey, Ct)).Error,
                "TestProviderKey" => (await fixture.Get<TestProviderKeyCommand>().ExecuteAsync(oscar, scope, victims.EnterpriseKey, Ct)).Error,
                "FetchProviderModels" => (await fixture.Get<FetchProviderModelsQuery>().ExecuteAsync(oscar, scope,
                    TestData.Input(ProviderKind.OpenAI, "Fetch", null, fixture.StandIn.OpenAIBaseUrl), victims.EnterpriseKey, Ct)).Error,
                "SaveModelSettings" => (await fixture.Get<SaveModelSettingsCommand>().ExecuteAsync(oscar, scope, victims.EnterpriseModel,
                    new ModelSettingsInput { Enabled = true, AccessMode = ModelAccessMode.AllOrganizations, ExpectedVersion = modelVersion }, Ct)).Error,
                "GetProviderKeyUsage" => (await fixture.Get<GetProviderKeyUsageQuery>().ExecuteAsync(oscar, scope, victims.EnterpriseKey, Ct)).Error,
                "GetModelSettings" => (await fixture.Get<GetModelSettingsQuery>().ExecuteAsync(oscar, scope, victims.EnterpriseModel, Ct)).Error,
                "ListProviderKeys" => (await fixture.Get<ListProviderKeysQuery>().ExecuteAsync(oscar, scope, Ct)).Error,
                "ListCustomModels" => (await fixture.Get<ListCustomModelsQuery>().ExecuteAsync(oscar, scope, Ct)).Error,
                "GetEnterprisePolicies" => (await fixture.Get<GetEnterprisePoliciesQuery>().ExecuteAsync(oscar, Contoso, Ct)).Error,
                "SaveEnterprisePolicies" => (await fixture.Get<SaveEnterprisePoliciesCommand>().ExecuteAsync(oscar, Contoso, false, enterpriseVersion, Ct)).Error,
                "SearchAuditLog" => (await fixture.Get<SearchAuditLogQuery>().ExecuteAsync(oscar, Contoso, new AuditLogFilter(), 0, 50, Ct)).Error,
                "SearchOrganizations" => (await fixture.Get<SearchOrganizationsQuery>().ExecuteAsync(oscar, Contoso, null, 50, includeArchived: true, Ct)).Error,
                _ => throw new ArgumentOutOfRangeException(nameof(operation), operation, null),
            };
        });
    }

    public static TheoryData<string> EnterpriseObjectOperations() =>
    [
        "UpdateProviderKey", "DeleteProviderKey", "TestProviderKey", "FetchProviderModels", "AssignProviderKey", "SaveModelSettings", "GetProviderKeyUsage", "GetModelSettings",
    ];

    [Theory]
    [MemberData(nameof(EnterpriseObjectOperations))]
    public async Task OrganizationUseCase_EnterpriseObjectIdsSwappedIntoOwnScope_IsNotFoundAndChangesNothing(string operation)
    {
        var victims = await NewVictimsAsync();
        var oscar = await fixture.ActorAsync(DemoSignIn.WebOwner);
        var web = KeyScope.Organization(Web);

        await AssertNotFoundAndNothingChangedAsync(victims, async () =>
        {
            await using var db = await fixture.DbAsync();
            var keyVersion = await db.ProviderKeys.Where(k => k.Id == victims.EnterpriseKey).Select(k => k.Version).SingleAsync(Ct);
            var modelVersion = await db.CustomModels.Where(m => m.Id == victims.EnterpriseModel).Select(m => m.Version).SingleAsync(Ct);
            var webOrganization = await db.Organizations.Where(o => o.Slug == Web).Select(o => o.Id).SingleAsync(Ct);
            var grantToWeb = new ModelSettingsInput { Enabled = true, AccessMode = ModelAccessMode.ChoosePerOrganization, ExpectedVersion = modelVersion };
            grantToWeb.OrganizationIds.Add(webOrganization);
            return operation switch
            {
                "UpdateProviderKey" => (await fixture.Get<UpdateProviderKeyCommand>().ExecuteAsync(oscar, web, victims.EnterpriseKey, keyVersion,
                    TestData.Input(ProviderKind.OpenAI, "Taken over", TestData.NewCredential(), fixture.StandIn.OpenAIBaseUrl), Ct)).Error,
                "DeleteProviderKey" => (await fixture.Get<DeleteProviderKeyCommand>().ExecuteAsync(oscar, web, victims.EnterpriseKey, Ct)).Error,
                "TestProviderKey" => (await fixture.Get<TestProviderKeyCommand>().ExecuteAsync(oscar, web, victims.EnterpriseKey, Ct)).Error,
                "FetchProviderModels" => (await fixture.Get<FetchProviderModelsQuery>().ExecuteAsync(oscar, web,
                    TestData.Input(ProviderKind.OpenAI, "Fetch", null, fixture.StandIn.OpenAIBaseUrl), victims.EnterpriseKey, Ct)).Error,
                "AssignProviderKey" => (await fixture.Get<AssignProviderKeyCommand>().ExecuteAsync(oscar, Web, victims.EnterpriseKey, true, [], keyVersion, Ct)).Error,
                "SaveModelSettings" => (await fixture.Get<SaveModelSettingsCommand>().ExecuteAsync(oscar, web, victims.EnterpriseModel, grantToWeb, Ct)).Error,
                "GetProviderKeyUsage" => (await fixture.Get<GetProviderKeyUsageQuery>().ExecuteAsync(oscar, web, victims.EnterpriseKey, Ct)).Error,
                "GetModelSettings" => (await fixture.Get<GetModelSettingsQuery>().ExecuteAsync(oscar, web, victims.EnterpriseModel, Ct)).Error,
                _ => throw new ArgumentOutOfRangeException(nameof(operation), operation, null),
            };
        });
    }

    [Fact]
    public async Task AssignProviderKey_OwnKeyToAnotherOrganizationsApiKey_IsRefusedAndChangesNothing()
    {
        var victims = await NewVictimsAsync();
        var oscar = await fixture.ActorAsync(DemoSignIn.WebOwner);
        var before = await SnapshotAsync(victims);
        Guid version;
        await using (var db = await fixture.DbAsync())
        {
            version = await db.ProviderKeys.Where(k => k.Id == victims.OscarKey).Select(k => k.Version).SingleAsync(Ct);
        }

        var result = await fixture.Get<AssignProviderKeyCommand>().ExecuteAsync(oscar, Web, victims.OscarKey, false, [victims.DataApiKey], version, Ct);

        Assert.Equal(["One of the chosen API keys does not exist, was revoked or has expired."], TestData.MessagesFor(result.Error, nameof(ProviderKeyInput.ApiKeyIds)));
        Assert.Equal(before, await SnapshotAsync(victims));
    }

    [Fact]
    public async Task UpdateProviderKey_OwnKeyAssignedToAnotherOrganizationsApiKey_IsRefusedAndChangesNothing()
    {
        var victims = await NewVictimsAsync();
        var oscar = await fixture.ActorAsync(DemoSignIn.WebOwner);
        var before = await SnapshotAsync(victims);
        ProviderKey key;
        await using (var db = await fixture.DbAsync())
        {
            key = await db.ProviderKeys.AsNoTracking().SingleAsync(k => k.Id == victims.OscarKey, Ct);
        }

        var input = TestData.Input(ProviderKind.OpenAI, key.Name, null, fixture.StandIn.OpenAIBaseUrl);
        input = input with { AssignToEntireOrganization = false };
        input = input with { ApiKeyIds = [.. input.ApiKeyIds, victims.DataApiKey] };
        var result = await fixture.Get<UpdateProviderKeyCommand>().ExecuteAsync(oscar, KeyScope.Organization(Web), victims.OscarKey, key.Version, input, Ct);

        Assert.Equal(["One of the chosen API keys does not exist, was revoked or has expired."], TestData.MessagesFor(result.Error, nameof(ProviderKeyInput.ApiKeyIds)));
        Assert.Equal(before, await SnapshotAsync(victims));
    }

    [Fact]
    public async Task ModelAvailability_ApiKeyOfAnotherOrganization_GetsNothingOfThisOrganizationsKeys()
    {
        // The runtime will look availability up for the organization the API key belongs to; even if the wrong pair were passed,
        // contoso-web's keys assigned to specific API keys never serve contoso-data's key.
        var victims = await NewVictimsAsync();
        var oscar = await fixture.ActorAsync(DemoSignIn.WebOwner);
        var webApp = await _steps.IssueApiKeyAsync(oscar, Web, TestData.UniqueName("Web app"));
        var (_, assigned) = await _steps.AddKeyAsync(oscar, KeyScope.Organization(Web), TestData.UniqueName("Web app key"), [webApp.Id], "web-app-model");

        var withDataKey = await _steps.ForApiKeyAsync(await fixture.OrganizationIdAsync(Web), victims.DataApiKey);

        Assert.DoesNotContain(withDataKey, m => m.CustomModelId == assigned["web-app-model"]);
        Assert.DoesNotContain(withDataKey, m => m.Source == ModelSource.OrganizationApiKey);
    }
}
