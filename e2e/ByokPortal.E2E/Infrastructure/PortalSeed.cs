using ByokPortal.Core.Access;
using ByokPortal.Core.ApiKeys;
using ByokPortal.Core.Common;
using ByokPortal.Core.CustomModels;
using ByokPortal.Core.Data;
using ByokPortal.Core.People;
using ByokPortal.Core.ProviderKeys;
using ByokPortal.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ByokPortal.E2E.Infrastructure;

/// <summary>Sets up data for a browser test through the portal's own use cases (the same path the pages take).</summary>
public static class PortalSeed
{
    public static async Task<Actor> ActorAsync(this PortalAppFactory factory, string email)
    {
        ArgumentNullException.ThrowIfNull(factory);
        await using var db = await factory.Services.GetRequiredService<IPortalDbContextFactory>().CreateAsync();
        var id = await db.People.Where(p => p.Email == email).Select(p => p.Id).SingleAsync();
        return new Actor(id, email, "127.0.0.1");
    }

    /// <summary>A person of Contoso, as an enterprise owner or as the owner of one organization (demo sign-in lists them by e-mail).</summary>
    public static async Task<Guid> AddPersonAsync(this PortalAppFactory factory, string email, string name, bool enterpriseOwner = false, string? ownerOf = null)
    {
        ArgumentNullException.ThrowIfNull(factory);
        await using var db = await factory.Services.GetRequiredService<IPortalDbContextFactory>().CreateAsync();
        var person = new Person { Email = email, DisplayName = name, CreatedAt = DateTimeOffset.UtcNow };
        db.People.Add(person);
        if (enterpriseOwner)
        {
            var enterprise = await db.Enterprises.SingleAsync(e => e.Slug == "contoso");
            db.EnterpriseMemberships.Add(new EnterpriseMembership { EnterpriseId = enterprise.Id, PersonId = person.Id, Role = EnterpriseRole.Owner, CreatedAt = DateTimeOffset.UtcNow });
        }

        if (ownerOf is not null)
        {
            var organization = await db.Organizations.SingleAsync(o => o.Slug == ownerOf);
            db.OrganizationMemberships.Add(new OrganizationMembership { OrganizationId = organization.Id, PersonId = person.Id, Role = OrganizationRole.Owner, CreatedAt = DateTimeOffset.UtcNow });
        }

        await db.SaveChangesAsync();
        return person.Id;
    }

    /// <summary>An enterprise key serving the given models, each allowed for all organizations.</summary>
    public static async Task AddEnterpriseModelsForAllAsync(this PortalAppFactory factory, ProviderStandIn provider, string keyName, params string[] models)
    {
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(provider);
        using var scope = factory.Services.CreateScope();
        var actor = await factory.ActorAsync(DemoSignIn.EnterpriseOwner);
        var enterprise = KeyScope.Enterprise("contoso");
        var input = new ProviderKeyInput { Provider = ProviderKind.OpenAI, Name = keyName, BaseUrl = provider.OpenAIBaseUrl, Credential = provider.AcceptedKey };
        foreach (var model in models)
        {
            input = input with { ModelIds = [.. input.ModelIds, model] };
        }

        var saved = await scope.ServiceProvider.GetRequiredService<AddProviderKeyCommand>().ExecuteAsync(actor, enterprise, input, CancellationToken.None);
        if (!saved.IsSuccess)
        {
            throw new InvalidOperationException(saved.Error!.Message);
        }

        var list = await scope.ServiceProvider.GetRequiredService<ListCustomModelsQuery>().ExecuteAsync(actor, enterprise, CancellationToken.None);
        foreach (var model in list.Value.Models.Where(m => m.KeyId == saved.Value.Id))
        {
            var access = new ModelSettingsInput { Enabled = true, AccessMode = ModelAccessMode.AllOrganizations, ExpectedVersion = model.Version };
            var result = await scope.ServiceProvider.GetRequiredService<SaveModelSettingsCommand>().ExecuteAsync(actor, enterprise, model.Id, access, CancellationToken.None);
            if (!result.IsSuccess)
            {
                throw new InvalidOperationException(result.Error!.Message);
            }
        }
    }

    /// <summary>An API key of contoso-web (issued by its owner), for applications; the token is in the result.</summary>
    public static async Task<IssuedApiKey> IssueApiKeyAsync(this PortalAppFactory factory, string name)
    {
        ArgumentNullException.ThrowIfNull(factory);
        using var scope = factory.Services.CreateScope();
        var actor = await factory.ActorAsync(DemoSignIn.WebOwner);
        var issued = await scope.ServiceProvider.GetRequiredService<IssueApiKeyCommand>().ExecuteAsync(actor, "contoso-web", new IssueApiKeyInput { Name = name }, CancellationToken.None);
        if (!issued.IsSuccess)
        {
            throw new InvalidOperationException(issued.Error!.Message);
        }

        return issued.Value;
    }

    /// <summary>A key of contoso-web (added by its owner), serving the entire organization.</summary>
    public static async Task AddOrganizationKeyAsync(this PortalAppFactory factory, ProviderStandIn provider, string keyName, params string[] models)
    {
        ArgumentNullException.ThrowIfNull(provider);
        var input = new ProviderKeyInput { Provider = ProviderKind.OpenAI, Name = keyName, BaseUrl = provider.OpenAIBaseUrl, Credential = provider.AcceptedKey };
        foreach (var model in models)
        {
            input = input with { ModelIds = [.. input.ModelIds, model] };
        }

        await factory.AddOrganizationKeyAsync(input);
    }

    /// <summary>A key of contoso-web (added by its owner) as <paramref name="input"/> describes it; returns its ID.</summary>
    public static async Task<Guid> AddOrganizationKeyAsync(this PortalAppFactory factory, ProviderKeyInput input)
    {
        ArgumentNullException.ThrowIfNull(factory);
        using var scope = factory.Services.CreateScope();
        var actor = await factory.ActorAsync(DemoSignIn.WebOwner);
        var saved = await scope.ServiceProvider.GetRequiredService<AddProviderKeyCommand>().ExecuteAsync(actor, KeyScope.Organization("contoso-web"), input, CancellationToken.None);
        return saved.IsSuccess ? saved.Value.Id : throw new InvalidOperationException(saved.Error!.Message);
    }
}
