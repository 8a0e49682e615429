using ByokPortal.Core.Access;
using ByokPortal.Core.ApiKeys;
using ByokPortal.Core.Common;
using ByokPortal.Core.CustomModels;
using ByokPortal.Core.Organizations;
using ByokPortal.Core.ProviderKeys;
using ByokPortal.Testing;
using Microsoft.EntityFrameworkCore;

namespace ByokPortal.Runtime.Tests;

/// <summary>
/// What owners do in the portal before an application calls the runtime, each through the real use case (never by writing rows), failing
/// the test when a step is refused.
/// </summary>
public sealed class RuntimeSteps(RuntimeFixture fixture)
{
    private static CancellationToken Ct => RuntimeFixture.Ct;

    public Task<Actor> AdaAsync() => fixture.ActorAsync(DemoSignIn.EnterpriseOwner);

    public Task<Actor> OscarAsync() => fixture.ActorAsync(DemoSignIn.WebOwner);

    /// <summary>A model ID no other test uses.</summary>
    public static string UniqueModel(string prefix = "model") => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];

    /// <summary>Adds a key serving <paramref name="modelIds"/> (every model starts Enabled); returns its ID and each model's row ID.</summary>
    public async Task<(Guid KeyId, IReadOnlyDictionary<string, Guid> Models)> AddKeyAsync(
        Actor actor, KeyScope scope, string name, string[] modelIds,
        ProviderKind provider = ProviderKind.OpenAI, string? baseUrl = null, string? credential = null, IReadOnlyCollection<Guid>? apiKeyIds = null)
    {
        var input = new ProviderKeyInput
        {
            Provider = provider,
            Name = name,
            Credential = credential ?? fixture.StandIn.AcceptedKey,
            BaseUrl = baseUrl ?? fixture.StandIn.OpenAIBaseUrl,
        };
        foreach (var model in modelIds)
        {
            input = input with { ModelIds = [.. input.ModelIds, model] };
        }

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

    /// <summary>An enterprise key whose models are allowed for all organizations.</summary>
    public async Task<(Guid KeyId, IReadOnlyDictionary<string, Guid> Models)> AddEnterpriseKeyForAllAsync(
        string name, string[] modelIds, ProviderKind provider = ProviderKind.OpenAI, string? baseUrl = null, string? credential = null)
    {
        var ada = await AdaAsync();
        var key = await AddKeyAsync(ada, KeyScope.Enterprise("contoso"), name, modelIds, provider, baseUrl, credential);
        foreach (var model in key.Models.Values)
        {
            await SaveModelSettingsAsync(ada, KeyScope.Enterprise("contoso"), model, enabled: true, ModelAccessMode.AllOrganizations);
        }

        return key;
    }

    public async Task SaveModelSettingsAsync(Actor actor, KeyScope scope, Guid modelRowId, bool enabled, ModelAccessMode mode, params Guid[] organizationIds)
    {
        var loaded = await fixture.Get<GetModelSettingsQuery>().ExecuteAsync(actor, scope, modelRowId, Ct);
        Assert.True(loaded.IsSuccess, loaded.Error?.Message);
        var input = new ModelSettingsInput { Enabled = enabled, AccessMode = mode, ExpectedVersion = loaded.Value.Version };
        foreach (var id in organizationIds)
        {
            input.OrganizationIds.Add(id);
        }

        var saved = await fixture.Get<SaveModelSettingsCommand>().ExecuteAsync(actor, scope, modelRowId, input, Ct);
        Assert.True(saved.IsSuccess, saved.Error?.Message);
    }

    public async Task<IssuedApiKey> IssueApiKeyAsync(string organizationSlug, string? name = null, DateOnly? expiresOn = null)
    {
        var issued = await fixture.Get<IssueApiKeyCommand>().ExecuteAsync(
            await OwnerOfAsync(organizationSlug), organizationSlug, new IssueApiKeyInput { Name = name ?? $"app-{Guid.NewGuid():N}"[..12], ExpiresOn = expiresOn?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) }, Ct);
        Assert.True(issued.IsSuccess, issued.Error?.Message);
        return issued.Value;
    }

    /// <summary>"New organization" by the enterprise owner; returns the new organization's slug and ID.</summary>
    public async Task<(string Slug, Guid Id)> CreateOrganizationAsync()
    {
        var slug = $"org-{Guid.NewGuid():N}"[..16];
        var created = await fixture.Get<ByokPortal.Core.Organizations.CreateOrganizationCommand>().ExecuteAsync(
            await AdaAsync(), "contoso", new ByokPortal.Core.Organizations.CreateOrganizationInput(slug, slug), Ct);
        Assert.True(created.IsSuccess, created.Error?.Message);
        return (created.Value.Slug, created.Value.Id);
    }

    public async Task ArchiveOrganizationAsync(Guid organizationId, bool archive = true)
    {
        var done = archive
            ? await fixture.Get<ByokPortal.Core.Organizations.ArchiveOrganizationCommand>().ExecuteAsync(await AdaAsync(), "contoso", organizationId, Ct)
            : await fixture.Get<ByokPortal.Core.Organizations.RestoreOrganizationCommand>().ExecuteAsync(await AdaAsync(), "contoso", organizationId, Ct);
        Assert.True(done.IsSuccess, done.Error?.Message);
    }

    public async Task RevokeApiKeyAsync(string organizationSlug, Guid apiKeyId)
    {
        var revoked = await fixture.Get<RevokeApiKeyCommand>().ExecuteAsync(await OwnerOfAsync(organizationSlug), organizationSlug, apiKeyId, Ct);
        Assert.True(revoked.IsSuccess, revoked.Error?.Message);
    }

    /// <summary>The API keys page's rate limit dialog: requests per minute, or empty for the default.</summary>
    public async Task SetRateLimitAsync(string organizationSlug, Guid apiKeyId, string? requestsPerMinute)
    {
        await using var db = await fixture.DbAsync();
        var version = await db.OrganizationApiKeys.Where(k => k.Id == apiKeyId).Select(k => k.Version).SingleAsync(Ct);
        var set = await fixture.Get<SetApiKeyRateLimitCommand>().ExecuteAsync(await OwnerOfAsync(organizationSlug), organizationSlug, apiKeyId, new SetApiKeyRateLimitInput(requestsPerMinute, version), Ct);
        Assert.True(set.IsSuccess, set.Error?.Message);
    }

    /// <summary>"Models permissions" Save; under Only select models exactly <paramref name="enabledModelRowIds"/> are on.</summary>
    public async Task SaveModelsPermissionsAsync(string organizationSlug, ModelsPermission permission, params Guid[] enabledModelRowIds)
    {
        var owner = await OwnerOfAsync(organizationSlug);
        var loaded = await fixture.Get<GetModelsPermissionsQuery>().ExecuteAsync(owner, organizationSlug, Ct);
        Assert.True(loaded.IsSuccess, loaded.Error?.Message);
        var input = new ModelsPermissionsInput { Permission = permission, ExpectedVersion = loaded.Value.Version };
        foreach (var id in enabledModelRowIds)
        {
            input.EnabledModelIds.Add(id);
        }

        var saved = await fixture.Get<SaveModelsPermissionsCommand>().ExecuteAsync(owner, organizationSlug, input, Ct);
        Assert.True(saved.IsSuccess, saved.Error?.Message);
    }

    public async Task<CredentialTestResult> TestKeyAsync(Actor actor, KeyScope scope, Guid keyId)
    {
        var tested = await fixture.Get<TestProviderKeyCommand>().ExecuteAsync(actor, scope, keyId, Ct);
        Assert.True(tested.IsSuccess, tested.Error?.Message);
        return tested.Value;
    }

    /// <summary>Ada (enterprise owner) owns every organization of Contoso.</summary>
    private Task<Actor> OwnerOfAsync(string organizationSlug) => AdaAsync();
}
