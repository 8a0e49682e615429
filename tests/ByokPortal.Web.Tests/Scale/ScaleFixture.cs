using ByokPortal.Core.ApiKeys;
using ByokPortal.Core.CustomModels;
using ByokPortal.Core.Data;
using ByokPortal.Core.Enterprises;
using ByokPortal.Core.Organizations;
using ByokPortal.Core.People;
using ByokPortal.Core.ProviderKeys;
using ByokPortal.Core.Usage;
using ByokPortal.Persistence;
using ByokPortal.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ByokPortal.Web.Tests.Scale;

/// <summary>How big one enterprise of <see cref="ScaleFixture"/> is.</summary>
public sealed record ScaleSize(string Name, int Organizations, int EnterpriseKeys, int ModelsPerKey, int GrantsPerModel, int ApiKeys, int OrganizationKeys, int UsageRows)
{
    public int EnterpriseModels => EnterpriseKeys * ModelsPerKey;

    public override string ToString() => Name;
}

/// <summary>One seeded enterprise: its URL names, the model whose Access modal is opened, and its people.</summary>
public sealed record ScaleEnterprise(ScaleSize Size, string Slug, string OrganizationSlug, Guid ChosenModelId, string Owner, string OrganizationOwner, string Member);

/// <summary>
/// The real portal with two enterprises of the same shape, one small and one much larger (organizations, models, grants, API keys, usage
/// rows), and a <see cref="CommandCounter"/> on its real SQLite context. The runtime's polling waits an hour, so it stays quiet; its work
/// would not be counted anyway.
/// </summary>
public sealed class ScaleFixture : IAsyncLifetime
{
    public static readonly ScaleSize SmallSize = new("small", Organizations: 10, EnterpriseKeys: 1, ModelsPerKey: 5, GrantsPerModel: 5, ApiKeys: 2, OrganizationKeys: 1, UsageRows: 0);
    public static readonly ScaleSize LargeSize = new("large", Organizations: 500, EnterpriseKeys: 10, ModelsPerKey: 30, GrantsPerModel: 100, ApiKeys: 20, OrganizationKeys: 10, UsageRows: 5_000);

    public ScaleFixture()
    {
        Factory = new PortalAppFactory()
            .WithSetting("Portal:Runtime:PolicyPollInterval", "01:00:00")
            .WithServices(services => services.ConfigureDbContext<SqlitePortalDbContext>(options => options.AddInterceptors(new CommandCounter())));
    }

    public PortalAppFactory Factory { get; }

    public ScaleEnterprise Small { get; private set; } = default!;

    public ScaleEnterprise Large { get; private set; } = default!;

    public ScaleEnterprise this[string name] => name == SmallSize.Name ? Small : Large;

    public async ValueTask InitializeAsync()
    {
        _ = Factory.Services;
        Small = await SeedAsync(SmallSize);
        Large = await SeedAsync(LargeSize);
    }

    private async Task<ScaleEnterprise> SeedAsync(ScaleSize size)
    {
        var ct = TestContext.Current.CancellationToken;
        var now = DateTimeOffset.UtcNow;
        await using var db = await Factory.Services.GetRequiredService<IPortalDbContextFactory>().CreateAsync(ct);
        var enterprise = new Enterprise { Slug = $"{size.Name}-co", Name = $"{size.Name} Co", CreatedAt = now };
        var organizations = Enumerable.Range(0, size.Organizations)
            .Select(i => new Organization { EnterpriseId = enterprise.Id, Slug = $"{size.Name}-org-{i:D4}", Name = $"{size.Name} org {i:D4}", CreatedAt = now })
            .ToList();
        var home = organizations[0];
        Person Person(string who) => new() { Email = $"{who}@{size.Name}.test", DisplayName = $"{who} of {size.Name}", CreatedAt = now };
        var (owner, organizationOwner, member) = (Person("owner"), Person("org-owner"), Person("member"));
        db.Enterprises.Add(enterprise);
        db.Organizations.AddRange(organizations);
        db.People.AddRange(owner, organizationOwner, member);
        db.EnterpriseMemberships.Add(new EnterpriseMembership { EnterpriseId = enterprise.Id, PersonId = owner.Id, Role = EnterpriseRole.Owner, CreatedAt = now });
        db.OrganizationMemberships.AddRange(
            new OrganizationMembership { OrganizationId = home.Id, PersonId = organizationOwner.Id, Role = OrganizationRole.Owner, CreatedAt = now },
            new OrganizationMembership { OrganizationId = home.Id, PersonId = member.Id, Role = OrganizationRole.Member, CreatedAt = now });

        var apiKeys = Enumerable.Range(0, size.ApiKeys).Select(i =>
        {
            var (_, prefix, hash) = ApiKeyToken.Create();
            return new OrganizationApiKey { OrganizationId = home.Id, Name = $"app-{i:D3}", Prefix = prefix, SecretHash = hash, CreatedById = organizationOwner.Id, CreatedAt = now };
        }).ToList();
        db.OrganizationApiKeys.AddRange(apiKeys);

        ProviderKey Key(string name, Organization? organization) => new()
        {
            EnterpriseId = enterprise.Id,
            OrganizationId = organization?.Id,
            Scope = ProviderKey.ScopeFor(organization?.Id),
            Name = name,
            NormalizedName = ProviderKey.NormalizeName(name),
            Provider = ProviderKind.Ollama,
            BaseUrl = "http://127.0.0.1:11434/v1",
            MaskedHint = ProviderKey.NoKeyHint,
            CreatedById = organization is null ? owner.Id : organizationOwner.Id,
            CreatedAt = now,
            UpdatedAt = now,
        };

        CustomModel Model(ProviderKey key, string modelId, ModelAccessMode mode) => new()
        {
            ProviderKeyId = key.Id, EnterpriseId = enterprise.Id, OrganizationId = key.OrganizationId, ModelId = modelId, AccessMode = mode, CreatedAt = now, UpdatedAt = now,
        };

        var enterpriseKeys = Enumerable.Range(0, size.EnterpriseKeys).Select(i => Key($"Enterprise key {i:D2}", null)).ToList();
        var enterpriseModels = enterpriseKeys.SelectMany((key, k) => Enumerable.Range(0, size.ModelsPerKey).Select(m =>
            Model(key, $"model-{k:D2}-{m:D2}", k == 0 && m == 0 ? ModelAccessMode.AllOrganizations : ModelAccessMode.ChoosePerOrganization))).ToList();
        db.ProviderKeys.AddRange(enterpriseKeys);
        db.CustomModels.AddRange(enterpriseModels);
        db.ModelAccessGrants.AddRange(enterpriseModels.Where(m => m.AccessMode == ModelAccessMode.ChoosePerOrganization)
            .SelectMany(m => organizations.Take(size.GrantsPerModel).Select(o => new ModelAccessGrant { CustomModelId = m.Id, OrganizationId = o.Id })));

        // The home organization's own keys, two models each; the first serves one API key only.
        var organizationKeys = Enumerable.Range(0, size.OrganizationKeys).Select(i => Key($"Team key {i:D2}", home)).ToList();
        organizationKeys[0].AssignedToEntireOrganization = false;
        db.ProviderKeys.AddRange(organizationKeys);
        db.CustomModels.AddRange(organizationKeys.SelectMany((key, k) => new[] { Model(key, $"team-{k:D2}-a", ModelAccessMode.ChoosePerOrganization), Model(key, $"team-{k:D2}-b", ModelAccessMode.ChoosePerOrganization) }));
        db.ProviderKeyAssignments.Add(new ProviderKeyAssignment { ProviderKeyId = organizationKeys[0].Id, ApiKeyId = apiKeys[0].Id });

        await db.SaveChangesAsync(ct);

        // Usage over the last 30 days, across organizations, API keys, models and keys.
        await db.AppendUsageAsync([.. Enumerable.Range(0, size.UsageRows).Select(i =>
        {
            var at = now - TimeSpan.FromMinutes(i * 7 % (30 * 24 * 60));
            var organization = organizations[i % organizations.Count];
            return new UsageRecord
            {
                OccurredAt = at,
                Hour = UsageRecord.HourOf(at),
                EnterpriseId = enterprise.Id,
                OrganizationId = organization.Id,
                ApiKeyId = organization == home ? apiKeys[i % apiKeys.Count].Id : Guid.NewGuid(),
                ProviderKeyId = enterpriseKeys[i % enterpriseKeys.Count].Id,
                ModelId = enterpriseModels[i % enterpriseModels.Count].ModelId,
                Operation = UsageOperation.ChatCompletions,
                StatusCode = i % 10 == 0 ? 502 : 200,
                PromptTokens = 10 + (i % 50),
                CompletionTokens = 5 + (i % 20),
                DurationMs = 30,
            };
        })], ct);
        return new ScaleEnterprise(size, enterprise.Slug, home.Slug, enterpriseModels[^1].Id, owner.Email, organizationOwner.Email, member.Email);
    }

    public async ValueTask DisposeAsync()
    {
        await Factory.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}
