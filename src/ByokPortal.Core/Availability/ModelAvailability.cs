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

/// <summary>A model with everything availability depends on, as loaded for one organization.</summary>
public sealed record CandidateModel(
    Guid CustomModelId,
    string ModelId,
    bool Enabled,
    ModelAccessMode AccessMode,
    bool GrantedToOrganization,
    Guid KeyId,
    string KeyName,
    ProviderKind Provider,
    bool IsOrganizationKey,
    bool KeyAssignedToEntireOrganization,
    IReadOnlySet<Guid> KeyApiKeyIds,
    CredentialTestStatus KeyStatus);

/// <summary>The organization-side facts availability depends on. <see cref="OrganizationArchived"/>: nothing is available to it.</summary>
public sealed record AvailabilityContext(
    ModelsPermission Permission,
    IReadOnlyDictionary<Guid, bool> Settings,
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
    public string ProviderName => ProviderCatalog.Get(Provider).DisplayName;
}

/// <summary>
/// THE availability rule, shared by the model picker, the "Only select models" list and the runtime API:
/// a model is available to an organization when it is Enabled, reachable (its own key — assigned to the entire organization, or to the
/// calling API key — or an enterprise model allowed for all organizations or granted to this one; organization keys only while the
/// enterprise allows them), and allowed by the organization's Models permissions (All publishers, or Only select models with the model
/// switched on), and only while the organization is not archived. Results come in resolution order: the calling API key's keys, the organization's, then the enterprise's.
/// </summary>
public static class ModelAvailability
{
    public static IReadOnlyList<AvailableModel> Compute(AvailabilityContext context, IEnumerable<CandidateModel> candidates, AvailabilityView view)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(candidates);
        if (context.OrganizationArchived)
        {
            return [];
        }

        var available = new List<AvailableModel>();
        foreach (var candidate in candidates)
        {
            if (!candidate.Enabled || SourceOf(context, candidate, view) is not { } source)
            {
                continue;
            }

            if (view != AvailabilityView.Reachable && !Permitted(context, candidate))
            {
                continue;
            }

            available.Add(new AvailableModel(candidate.CustomModelId, candidate.ModelId, candidate.KeyId, candidate.KeyName, candidate.Provider, source, candidate.KeyStatus));
        }

        return available
            .OrderBy(m => m.Source)
            .ThenBy(m => m.ModelId, StringComparer.Ordinal)
            .ThenBy(m => m.KeyName, StringComparer.Ordinal)
            .ToList();
    }

    private static ModelSource? SourceOf(AvailabilityContext context, CandidateModel candidate, AvailabilityView view)
    {
        if (!candidate.IsOrganizationKey)
        {
            return candidate.AccessMode == ModelAccessMode.AllOrganizations || candidate.GrantedToOrganization ? ModelSource.Enterprise : null;
        }

        if (!context.OrganizationKeysAllowed)
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
