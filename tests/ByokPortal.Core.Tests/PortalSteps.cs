using ByokPortal.Core.Access;
using ByokPortal.Core.ApiKeys;
using ByokPortal.Core.Availability;
using ByokPortal.Core.Common;
using ByokPortal.Core.CustomModels;
using ByokPortal.Core.Enterprises;
using ByokPortal.Core.Organizations;
using ByokPortal.Core.ProviderKeys;
using Microsoft.EntityFrameworkCore;

namespace ByokPortal.Core.Tests;

/// <summary>One model in the picker, with the title of the group it is listed under.</summary>
public sealed record PickedModel(string Group, Guid CustomModelId, string ModelId, string KeyName, ModelSource Source);

/// <summary>
/// The steps owners take, each through the real use case (never by writing rows), failing the test when a step is refused.
/// Messages are use-case messages: they never hold a secret.
/// </summary>
public sealed class PortalSteps(PortalFixture fixture)
{
    private static CancellationToken Ct => PortalFixture.Ct;

    /// <summary>Adds a key with its models (every model starts Enabled); returns the key's ID and each model's row ID by model ID.</summary>
    public async Task<(Guid KeyId, IReadOnlyDictionary<string, Guid> Models)> AddKeyAsync(
        Actor actor, KeyScope scope, string name, IReadOnlyCollection<Guid>? apiKeyIds, params string[] modelIds)
    {
        var input = TestData.Input(ProviderKind.OpenAI, name, TestData.NewCredential(), fixture.StandIn.OpenAIBaseUrl, modelIds);
        if (apiKeyIds is { Count: > 0 })
        {
            input = input with { AssignToEntireOrganization = false };
            foreach (var id in apiKeyIds)
            {
                input = input with { ApiKeyIds = [.. input.ApiKeyIds, id] };
            }
        }

        var added = await fixture.Get<AddProviderKeyCommand>().ExecuteAsync(actor, scope, input, Ct);
        Assert.True(added.IsSuccess, added.Error?.Message);
        await using var db = await fixture.DbAsync();
        var models = await db.CustomModels.AsNoTracking().Where(m => m.ProviderKeyId == added.Value.Id).ToDictionaryAsync(m => m.ModelId, m => m.Id, Ct);
        return (added.Value.Id, models);
    }

    /// <summary>The model modal's Save, from a fresh load (its current version).</summary>
    public async Task SaveModelSettingsAsync(Actor actor, KeyScope scope, Guid modelId, bool enabled, ModelAccessMode mode, params Guid[] organizationIds)
    {
        var loaded = await fixture.Get<GetModelSettingsQuery>().ExecuteAsync(actor, scope, modelId, Ct);
        Assert.True(loaded.IsSuccess, loaded.Error?.Message);
        var input = new ModelSettingsInput { Enabled = enabled, AccessMode = mode, ExpectedVersion = loaded.Value.Version };
        foreach (var id in organizationIds)
        {
            input.OrganizationIds.Add(id);
        }

        var saved = await fixture.Get<SaveModelSettingsCommand>().ExecuteAsync(actor, scope, modelId, input, Ct);
        Assert.True(saved.IsSuccess, saved.Error?.Message);
    }

    public async Task<IssuedApiKey> IssueApiKeyAsync(Actor actor, string organizationSlug, string name, DateOnly? expiresOn = null)
    {
        var issued = await fixture.Get<IssueApiKeyCommand>().ExecuteAsync(actor, organizationSlug, new IssueApiKeyInput { Name = name, ExpiresOn = expiresOn is { } day ? TextRules.FormatDate(day) : null }, Ct);
        Assert.True(issued.IsSuccess, issued.Error?.Message);
        return issued.Value;
    }

    public async Task<ModelsPermissionsView> LoadModelsPermissionsAsync(Actor actor, string organizationSlug)
    {
        var view = await fixture.Get<GetModelsPermissionsQuery>().ExecuteAsync(actor, organizationSlug, Ct);
        Assert.True(view.IsSuccess, view.Error?.Message);
        return view.Value;
    }

    public static ModelsPermissionsInput PermissionsInput(ModelsPermission permission, Guid expectedVersion, IEnumerable<Guid> enabledModelIds)
    {
        var input = new ModelsPermissionsInput { Permission = permission, ExpectedVersion = expectedVersion };
        foreach (var id in enabledModelIds)
        {
            input.EnabledModelIds.Add(id);
        }

        return input;
    }

    /// <summary>"Models permissions" Save, from a fresh load; under Only select models exactly <paramref name="enabledModelIds"/> are switched on.</summary>
    public async Task<ModelsPermissionsSaved> SaveModelsPermissionsAsync(Actor actor, string organizationSlug, ModelsPermission permission, params Guid[] enabledModelIds)
    {
        var loaded = await LoadModelsPermissionsAsync(actor, organizationSlug);
        var saved = await fixture.Get<SaveModelsPermissionsCommand>().ExecuteAsync(actor, organizationSlug, PermissionsInput(permission, loaded.Version, enabledModelIds), Ct);
        Assert.True(saved.IsSuccess, saved.Error?.Message);
        return saved.Value;
    }

    /// <summary>"Allow organizations to add their own API keys", from a fresh load.</summary>
    public async Task SetOrganizationKeysAllowedAsync(Actor actor, string enterpriseSlug, bool allowed)
    {
        var loaded = await fixture.Get<GetEnterprisePoliciesQuery>().ExecuteAsync(actor, enterpriseSlug, Ct);
        Assert.True(loaded.IsSuccess, loaded.Error?.Message);
        var saved = await fixture.Get<SaveEnterprisePoliciesCommand>().ExecuteAsync(actor, enterpriseSlug, allowed, loaded.Value.Version, Ct);
        Assert.True(saved.IsSuccess, saved.Error?.Message);
        Assert.Equal(allowed, saved.Value.AllowOrganizationKeys);
    }

    /// <summary>The model picker as <paramref name="actor"/> sees it, flattened in display order.</summary>
    public async Task<IReadOnlyList<PickedModel>> PickerAsync(Actor actor, string organizationSlug)
    {
        var picker = await fixture.Get<GetModelPickerQuery>().ExecuteAsync(actor, organizationSlug, Ct);
        Assert.True(picker.IsSuccess, picker.Error?.Message);
        return picker.Value.Groups
            .SelectMany(g => g.Models.Select(m => new PickedModel(g.Title, m.CustomModelId, m.ModelId, m.KeyName, m.Source)))
            .ToList();
    }

    /// <summary>What an application presenting <paramref name="apiKeyId"/> may use: the loader and the rule the runtime API uses.</summary>
    public async Task<IReadOnlyList<AvailableModel>> ForApiKeyAsync(Guid organizationId, Guid apiKeyId)
    {
        await using var db = await fixture.DbAsync();
        var organization = await db.Organizations.AsNoTracking().SingleAsync(o => o.Id == organizationId, Ct);
        var (context, candidates) = await AvailabilityLoader.LoadAsync(db, organization, apiKeyId, Ct);
        return ModelAvailability.Compute(context, candidates, AvailabilityView.ApiKey);
    }
}
