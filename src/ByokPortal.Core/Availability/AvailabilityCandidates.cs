namespace ByokPortal.Core.Availability;

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
