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
/// credential read once into <see cref="RuntimeSecretCache"/>. A bounded number of queries whatever the enterprise's size.
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
                from k in db.OrganizationApiKeys.AsNoTracking()
                join o in db.Organizations on k.OrganizationId equals o.Id
                where o.EnterpriseId == enterpriseId
                select new { Key = k, Archived = o.ArchivedAt != null })
            .ToListAsync(cancellationToken);

        var references = keys.Select(k => k.SecretReference).OfType<SecretReference>().ToList();
        var credentials = await secrets.LoadAsync(references, cancellationToken);
        var providerKeys = keys.ToDictionary(k => k.Id, k => ToRuntime(k, credentials));

        var routes = new Dictionary<(Guid, ModelSource), RuntimeRoute>();
        var tables = new Dictionary<Guid, ModelTable>();
        var ownTables = new Dictionary<Guid, ModelTable>();
        var apiKeysWithKeys = facts.Candidates.SelectMany(c => c.KeyApiKeyIds).ToHashSet();
        foreach (var organization in facts.Organizations)
        {
            var candidates = facts.CandidatesFor(organization.Id).ToList();
            tables[organization.Id] = Table(ModelAvailability.Compute(facts.ContextFor(organization), candidates, AvailabilityView.ApiKey), providerKeys, routes);
            foreach (var apiKey in apiKeys.Select(a => a.Key).Where(k => k.OrganizationId == organization.Id && apiKeysWithKeys.Contains(k.Id)))
            {
                ownTables[apiKey.Id] = Table(ModelAvailability.Compute(facts.ContextFor(organization, apiKey.Id), candidates, AvailabilityView.ApiKey), providerKeys, routes);
            }
        }

        var defaultLimit = options.Value.DefaultRateLimitPerMinute;
        var runtimeKeys = apiKeys
            .Select(a => new RuntimeApiKey(
                a.Key,
                enterpriseId,
                ApiKeyHash.FromHex(a.Key.SecretHash),
                a.Key.RateLimitPerMinute ?? defaultLimit,
                a.Archived ? ModelTable.Empty : ownTables.GetValueOrDefault(a.Key.Id) ?? tables.GetValueOrDefault(a.Key.OrganizationId) ?? ModelTable.Empty,
                a.Archived))
            .ToList();
        return new EnterpriseRuntime(enterpriseId, version, runtimeKeys, providerKeys.Values.ToList());
    }

    private static ModelTable Table(IReadOnlyList<AvailableModel> available, Dictionary<Guid, RuntimeProviderKey> keys, Dictionary<(Guid, ModelSource), RuntimeRoute> routes)
    {
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

        return list.Count == 0 ? ModelTable.Empty : new ModelTable(list);
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
}
