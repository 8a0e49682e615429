using ByokPortal.Core.ApiKeys;
using ByokPortal.Core.Availability;
using ByokPortal.Core.Data;
using ByokPortal.Core.ProviderKeys;
using ByokPortal.Core.Secrets;
using ByokPortal.Providers.Adapters;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ByokPortal.Runtime.Snapshots;

/// <summary>
/// Builds one enterprise's runtime from the database: the facts <see cref="AvailabilityLoader"/> gathers, decided by
/// <see cref="ModelAvailability"/> for every organization (and every API key that has keys of its own), with every provider key's
/// credential read once into <see cref="RuntimeSecretCache"/>. A bounded number of queries whatever the enterprise's size, each read
/// untracked into lean rows; the candidates are indexed once for all organizations, and a route is built once and shared by every table
/// that serves it.
/// </summary>
public sealed class SnapshotBuilder(IPortalDbContextFactory dbFactory, RuntimeSecretCache secrets, ProviderAdapters adapters, IOptions<RuntimeOptions> options)
{
    public async Task<EnterpriseRuntime> BuildAsync(Guid enterpriseId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateAsync(cancellationToken);

        // The version is read first: a change that lands while the rest is read gives a newer version, and the next poll rebuilds.
        var version = await db.PolicyVersions.AsNoTracking().Where(v => v.EnterpriseId == enterpriseId).Select(v => v.Version).FirstOrDefaultAsync(cancellationToken);
        var facts = await AvailabilityLoader.LoadEnterpriseAsync(db, enterpriseId, cancellationToken);
        var keys = await db.ProviderKeys.AsNoTracking().Where(k => k.EnterpriseId == enterpriseId).ToListAsync(cancellationToken);
        var apiKeys = await (
                from k in db.OrganizationApiKeys
                join o in db.Organizations on k.OrganizationId equals o.Id
                where o.EnterpriseId == enterpriseId
                select new ApiKeyRow(k.Id, k.OrganizationId, k.Name, k.Prefix, k.SecretHash, k.ExpiresAt, k.RevokedAt, k.RateLimitPerMinute, o.ArchivedAt != null))
            .ToListAsync(cancellationToken);

        var references = keys.Select(k => k.SecretReference).OfType<SecretReference>().ToList();
        var credentials = await secrets.LoadAsync(references, cancellationToken);
        var providerKeys = keys.ToDictionary(k => k.Id, k => ToRuntime(k, credentials));

        var routes = new Dictionary<(Guid, ModelSource), RuntimeRoute>();
        var tables = new Dictionary<Guid, ModelTable>(facts.Organizations.Count);
        var organizations = new Dictionary<Guid, OrganizationFacts>(facts.Organizations.Count);
        foreach (var organization in facts.Organizations)
        {
            organizations[organization.Id] = organization;
            tables[organization.Id] = Table(ModelAvailability.Compute(facts.ContextFor(organization), facts.Candidates, AvailabilityView.ApiKey), providerKeys, routes);
        }

        // API keys with organization keys assigned to them get a table of their own (a few; the others share their organization's).
        var ownTables = new Dictionary<Guid, ModelTable>();
        var apiKeysWithKeys = facts.Candidates.All.SelectMany(c => c.KeyApiKeyIds).ToHashSet();
        foreach (var apiKey in apiKeys)
        {
            if (apiKeysWithKeys.Contains(apiKey.Id) && organizations.TryGetValue(apiKey.OrganizationId, out var organization))
            {
                ownTables[apiKey.Id] = Table(ModelAvailability.Compute(facts.ContextFor(organization, apiKey.Id), facts.Candidates, AvailabilityView.ApiKey), providerKeys, routes);
            }
        }

        var defaultLimit = options.Value.DefaultRateLimitPerMinute;
        var runtimeKeys = new List<RuntimeApiKey>(apiKeys.Count);
        foreach (var a in apiKeys)
        {
            var key = new OrganizationApiKey
            {
                Id = a.Id, OrganizationId = a.OrganizationId, Name = a.Name, Prefix = a.Prefix, SecretHash = a.SecretHash,
                ExpiresAt = a.ExpiresAt, RevokedAt = a.RevokedAt, RateLimitPerMinute = a.RateLimitPerMinute,
            };
            runtimeKeys.Add(new RuntimeApiKey(
                key,
                enterpriseId,
                ApiKeyHash.FromHex(a.SecretHash),
                a.RateLimitPerMinute ?? defaultLimit,
                a.OrganizationArchived ? ModelTable.Empty : ownTables.GetValueOrDefault(a.Id) ?? tables.GetValueOrDefault(a.OrganizationId) ?? ModelTable.Empty,
                a.OrganizationArchived));
        }

        return new EnterpriseRuntime(enterpriseId, version, runtimeKeys, providerKeys.Values.ToList());
    }

    private static ModelTable Table(IReadOnlyList<AvailableModel> available, Dictionary<Guid, RuntimeProviderKey> keys, Dictionary<(Guid, ModelSource), RuntimeRoute> routes)
    {
        if (available.Count == 0)
        {
            return ModelTable.Empty;
        }

        var list = new List<RuntimeRoute>(available.Count);
        foreach (var model in available)
        {
            if (!routes.TryGetValue((model.CustomModelId, model.Source), out var route))
            {
                route = new RuntimeRoute(model.ModelId, model.CustomModelId, keys[model.KeyId], model.Source);
                routes[(model.CustomModelId, model.Source)] = route;
            }

            list.Add(route);
        }

        return new ModelTable(list);
    }

    private RuntimeProviderKey ToRuntime(ProviderKey key, IReadOnlyDictionary<SecretReference, string> credentials)
    {
        string? credential = null;
        var unavailable = false;
        if (key.SecretReference is { } reference && !credentials.TryGetValue(reference, out credential))
        {
            unavailable = true;
        }

        var invalid = key.LastTestStatus == CredentialTestStatus.Invalid
            ? new InvalidMark(key.LastTestedAt ?? key.UpdatedAt, key.LastTestMessage ?? "The provider refused this key.")
            : null;
        var adapter = adapters.Find(key.Provider);
        object? prepared = null;
        if (adapter is not null && !unavailable)
        {
            try
            {
                prepared = adapter.PrepareCredential(credential);
            }
            catch (Exception e) when (e is System.Text.Json.JsonException or FormatException or InvalidOperationException or ArgumentException)
            {
                // A stored credential the adapter cannot read (written by an older version, say) serves nothing until it is edited.
                unavailable = true;
            }
        }

        return new RuntimeProviderKey(
            key.Id, key.Name, key.Provider, key.EnterpriseId, key.OrganizationId,
            ProviderConnection.From(new StoredConnection(key.BaseUrl, key.ApiVersion, key.SettingsJson)),
            adapter, credential, prepared, key.SecretReference, unavailable, invalid,
            key.LastTestedAt is { } tested && tested > key.UpdatedAt ? tested : key.UpdatedAt);
    }

    /// <summary>The columns of an API key the runtime serves from (never its creator, its use or its version).</summary>
    private sealed record ApiKeyRow(
        Guid Id, Guid OrganizationId, string Name, string Prefix, string SecretHash, DateTimeOffset? ExpiresAt, DateTimeOffset? RevokedAt,
        int? RateLimitPerMinute, bool OrganizationArchived);
}
