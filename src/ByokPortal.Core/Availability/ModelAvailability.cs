using ByokPortal.Core.CustomModels;
using ByokPortal.Core.Organizations;

namespace ByokPortal.Core.Availability;

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
