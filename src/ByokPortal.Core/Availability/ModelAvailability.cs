using ByokPortal.Core.CustomModels;
using ByokPortal.Core.Organizations;
using ByokPortal.Core.ProviderKeys;

namespace ByokPortal.Core.Availability;

/// <summary>Where an available model comes from, in the order resolution prefers them.</summary>
public enum ModelSource
{
    /// <summary>An organization key assigned to the calling API key.</summary>
    OrganizationApiKey = 0,

    /// <summary>An organization key assigned to the entire organization ("Organization (all keys)").</summary>
    Organization = 1,

    /// <summary>An enterprise model granted to the organization.</summary>
    Enterprise = 2,
}

/// <summary>Who is asking, which decides which organization keys count.</summary>
public enum AvailabilityView
{
    /// <summary>A person in the model picker: organization keys assigned to the entire organization, then enterprise models.</summary>
    Person,

    /// <summary>An application with one of the organization's API keys: keys assigned to it, then the entire organization's, then enterprise models.</summary>
    ApiKey,

    /// <summary>The "Only select models" list: every model the organization can reach, whatever its models permissions say.</summary>
    Reachable,
}

/// <summary>
/// A model with the facts about it and its key that availability depends on. Nothing here is about one organization, so the runtime
/// snapshot shares one list of candidates between every organization of an enterprise.
/// </summary>
public sealed record CandidateModel(
    Guid CustomModelId,
    string ModelId,
    bool Enabled,
    ModelAccessMode AccessMode,
    Guid? OwnerOrganizationId,
    Guid KeyId,
    string KeyName,
    ProviderKind Provider,
    bool KeyAssignedToEntireOrganization,
    IReadOnlySet<Guid> KeyApiKeyIds,
    CredentialTestStatus KeyStatus)
{
    /// <summary>A key of one organization (null owner: an enterprise key).</summary>
    public bool IsOrganizationKey => OwnerOrganizationId is not null;
}

/// <summary>The facts about one organization that availability depends on. <see cref="OrganizationArchived"/>: nothing is available to it.</summary>
public sealed record AvailabilityContext(
    Guid OrganizationId,
    ModelsPermission Permission,
    IReadOnlyDictionary<Guid, bool> Settings,
    IReadOnlySet<Guid> GrantedModelIds,
    bool OrganizationKeysAllowed,
    Guid? ApiKeyId = null,
    bool OrganizationArchived = false);

public sealed record AvailableModel(
    Guid CustomModelId,
    string ModelId,
    Guid KeyId,
    string KeyName,
    ProviderKind Provider,
    ModelSource Source,
    CredentialTestStatus KeyStatus)
{
    public string ProviderName => Provider.DisplayName();
}

/// <summary>
/// THE availability rule, shared by the model picker, the "Only select models" list and the runtime (resolve and gateway):
/// a model is available to an organization when it is Enabled, reachable (one of this organization's own keys — assigned to the entire
/// organization, or to the calling API key — or an enterprise model allowed for all organizations or granted to this one; organization
/// keys only while the enterprise allows them), and allowed by the organization's Models permissions (All publishers, or Only select models
/// with the model switched on), and only while the organization is not archived. Results come in resolution order: the calling API key's keys, the organization's, then the enterprise's.
/// Loaders only gather facts; every decision is taken here.
/// </summary>
public static class ModelAvailability
{
    public static IReadOnlyList<AvailableModel> Compute(AvailabilityContext context, IEnumerable<CandidateModel> candidates, AvailabilityView view)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        return Compute(context, new AvailabilityCandidates(candidates), view);
    }

    /// <summary>
    /// The same rule over candidates indexed once (<see cref="AvailabilityCandidates"/>), for many organizations at a time (the runtime
    /// snapshot): each organization costs what it can reach, not what the enterprise holds.
    /// </summary>
    public static IReadOnlyList<AvailableModel> Compute(AvailabilityContext context, AvailabilityCandidates candidates, AvailabilityView view)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(candidates);
        if (context.OrganizationArchived)
        {
            return [];
        }

        List<AvailableModel>? available = null;
        foreach (var candidate in candidates.WorthAsking(context))
        {
            if (!candidate.Enabled || SourceOf(context, candidate, view) is not { } source)
            {
                continue;
            }

            if (view != AvailabilityView.Reachable && !Permitted(context, candidate))
            {
                continue;
            }

            (available ??= []).Add(new AvailableModel(candidate.CustomModelId, candidate.ModelId, candidate.KeyId, candidate.KeyName, candidate.Provider, source, candidate.KeyStatus));
        }

        if (available is null)
        {
            return [];
        }

        available.Sort(ResolutionOrder);
        return available;
    }

    /// <summary>
    /// The candidates <see cref="SourceOf"/> can find reachable for an organization, whatever else is true: enterprise models allowed for
    /// all organizations, enterprise models granted to it, and its own keys' models. Every other candidate has no source for it.
    /// </summary>
    internal static bool AlwaysWorthAsking(CandidateModel candidate) =>
        candidate.OwnerOrganizationId is null && candidate.AccessMode == ModelAccessMode.AllOrganizations;

    /// <summary>
    /// The calling API key's keys, the organization's, then the enterprise's; within each, by model ID, then by key name (then by key and
    /// model, so that the order never depends on the order the candidates came in).
    /// </summary>
    private static int ResolutionOrder(AvailableModel x, AvailableModel y)
    {
        var bySource = x.Source.CompareTo(y.Source);
        if (bySource != 0)
        {
            return bySource;
        }

        var byModel = string.CompareOrdinal(x.ModelId, y.ModelId);
        if (byModel != 0)
        {
            return byModel;
        }

        var byKeyName = string.CompareOrdinal(x.KeyName, y.KeyName);
        if (byKeyName != 0)
        {
            return byKeyName;
        }

        var byKey = x.KeyId.CompareTo(y.KeyId);
        return byKey != 0 ? byKey : x.CustomModelId.CompareTo(y.CustomModelId);
    }

    private static ModelSource? SourceOf(AvailabilityContext context, CandidateModel candidate, AvailabilityView view)
    {
        if (candidate.OwnerOrganizationId is not { } owner)
        {
            return candidate.AccessMode == ModelAccessMode.AllOrganizations || context.GrantedModelIds.Contains(candidate.CustomModelId)
                ? ModelSource.Enterprise
                : null;
        }

        // Another organization's key is never reachable, whatever else is true of it.
        if (owner != context.OrganizationId || !context.OrganizationKeysAllowed)
        {
            return null;
        }

        if (candidate.KeyAssignedToEntireOrganization)
        {
            return ModelSource.Organization;
        }

        return view switch
        {
            AvailabilityView.Reachable => ModelSource.OrganizationApiKey,
            AvailabilityView.ApiKey when context.ApiKeyId is { } apiKey && candidate.KeyApiKeyIds.Contains(apiKey) => ModelSource.OrganizationApiKey,
            _ => null,
        };
    }

    private static bool Permitted(AvailabilityContext context, CandidateModel candidate) =>
        context.Permission == ModelsPermission.AllPublishers
        || (context.Settings.TryGetValue(candidate.CustomModelId, out var enabled) && enabled);
}

/// <summary>
/// Candidates indexed for <see cref="ModelAvailability.Compute(AvailabilityContext, AvailabilityCandidates, AvailabilityView)"/>: the
/// enterprise models allowed for all organizations, the others by model (reachable through a grant), and organization keys' models by
/// organization. It decides nothing: it only spares the rule the candidates that have no source for the organization asked about.
/// Built once, it serves any number of organizations (read-only, safe to share between threads).
/// </summary>
public sealed class AvailabilityCandidates
{
    private static readonly List<CandidateModel> None = [];
    private readonly List<CandidateModel> _always = [];
    private readonly Dictionary<Guid, List<CandidateModel>> _byGrant = [];
    private readonly Dictionary<Guid, List<CandidateModel>> _byOwner = [];
    private readonly List<CandidateModel> _all = [];

    public AvailabilityCandidates(IEnumerable<CandidateModel> candidates)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        foreach (var candidate in candidates)
        {
            _all.Add(candidate);
            if (ModelAvailability.AlwaysWorthAsking(candidate))
            {
                _always.Add(candidate);
            }
            else if (candidate.OwnerOrganizationId is { } owner)
            {
                Add(_byOwner, owner, candidate);
            }
            else
            {
                Add(_byGrant, candidate.CustomModelId, candidate);
            }
        }
    }

    /// <summary>Every candidate, in the order given.</summary>
    public IReadOnlyList<CandidateModel> All => _all;

    /// <summary>The organization's own keys' models (another organization's are never reachable).</summary>
    public IReadOnlyList<CandidateModel> OwnedBy(Guid organizationId) => _byOwner.GetValueOrDefault(organizationId, None);

    internal IEnumerable<CandidateModel> WorthAsking(AvailabilityContext context)
    {
        foreach (var candidate in _always)
        {
            yield return candidate;
        }

        if (_byGrant.Count > 0)
        {
            foreach (var granted in context.GrantedModelIds)
            {
                if (_byGrant.TryGetValue(granted, out var models))
                {
                    foreach (var candidate in models)
                    {
                        yield return candidate;
                    }
                }
            }
        }

        foreach (var candidate in OwnedBy(context.OrganizationId))
        {
            yield return candidate;
        }
    }

    private static void Add(Dictionary<Guid, List<CandidateModel>> index, Guid key, CandidateModel candidate)
    {
        if (!index.TryGetValue(key, out var list))
        {
            index[key] = list = [];
        }

        list.Add(candidate);
    }
}
