using ByokPortal.Runtime.Snapshots;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ByokPortal.Runtime.Resolution;

/// <summary>The outcome of resolving a model: the route (when the model is available) and, when it cannot be served, the problem to answer.</summary>
public readonly record struct Resolution(RuntimeRoute? Route, ProblemHttpResult? Problem)
{
    public bool CanServe => Route is not null && Problem is null;
}

/// <summary>
/// Picks the key that serves a model for an API key, from the snapshot: the first in resolution order (the API key's own keys, the
/// organization's, the enterprise's), already filtered by Enabled and the organization's Models permissions. A key known to be invalid
/// fails the request; no other key is ever tried.
/// </summary>
public static class ModelResolver
{
    public static Resolution Resolve(RuntimeApiKey apiKey, ReadOnlySpan<char> modelId)
    {
        ArgumentNullException.ThrowIfNull(apiKey);
        return apiKey.Models.TryGet(modelId, out var route)
            ? new Resolution(route, Usable(route))
            : new Resolution(null, RuntimeProblems.ModelNotAvailable(modelId.ToString()));
    }

    private static ProblemHttpResult? Usable(RuntimeRoute route)
    {
        var key = route.Key;
        if (key.Invalid is { } mark)
        {
            return RuntimeProblems.KeyInvalid(route, mark);
        }

        if (key.Adapter is null || key.Connection is null)
        {
            return RuntimeProblems.ProviderNotServed(route);
        }

        return key.CredentialUnavailable ? RuntimeProblems.CredentialUnavailable(route) : null;
    }
}
