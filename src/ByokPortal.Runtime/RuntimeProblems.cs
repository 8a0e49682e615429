using ByokPortal.Core.ProviderKeys;
using ByokPortal.Runtime.Snapshots;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ByokPortal.Runtime;

/// <summary>
/// Every refusal of the runtime, as RFC 7807 problem details (<c>application/problem+json</c>) with a stable <c>type</c> an application can
/// switch on. None ever contains a provider key: they name keys by ID and name only.
/// </summary>
public static class RuntimeProblems
{
    public const string TypeBase = "https://byokportal.dev/problems/";

    public static ProblemHttpResult Unauthorized(string detail) =>
        Problem(StatusCodes.Status401Unauthorized, "unauthorized", "Unauthorized", detail);

    public static ProblemHttpResult Forbidden(string detail) =>
        Problem(StatusCodes.Status403Forbidden, "forbidden", "Forbidden", detail);

    public static ProblemHttpResult BadRequest(string detail) =>
        Problem(StatusCodes.Status400BadRequest, "invalid-request", "The request is not valid", detail);

    /// <summary>A request Kestrel could not read (a malformed chunked body, a body that came too slowly), with Kestrel's status.</summary>
    public static ProblemHttpResult UnreadableRequest(int status, string reason) =>
        Problem(status, "unreadable-request", "The request could not be read", reason);

    /// <summary>A resolve or gateway call that failed in ByokPortal itself, not at the provider; it was logged with the exception.</summary>
    public static ProblemHttpResult RuntimeFailed() =>
        Problem(StatusCodes.Status500InternalServerError, "runtime-error", "The call failed in ByokPortal",
            "This call failed in ByokPortal itself, not at the provider. It was logged with this answer's traceId; trying again may work.");

    public static ProblemHttpResult TooLarge(int maxBytes) =>
        Problem(StatusCodes.Status413PayloadTooLarge, "request-too-large", "The request is too large",
            $"The request body is larger than the gateway accepts ({maxBytes / (1024 * 1024)} MB).");

    public static ProblemHttpResult ModelNotAvailable(string modelId) =>
        Problem(StatusCodes.Status404NotFound, "model-not-available", "Model not available",
            $"The model '{modelId}' is not available to this API key. GET /api/v1/models lists the models it may use.",
            new Dictionary<string, object?> { ["model"] = modelId });

    public static ProblemHttpResult RateLimited(int limitPerMinute, TimeSpan retryAfter) =>
        Problem(StatusCodes.Status429TooManyRequests, "rate-limited", "Too many requests",
            $"This API key may make {limitPerMinute} requests per minute. Try again in {Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))} s.");

    public static ProblemHttpResult NotReady() =>
        Problem(StatusCodes.Status503ServiceUnavailable, "not-ready", "The runtime is starting", "The runtime is loading its policy. Try again in a moment.");

    /// <summary>The key that serves the model is known to be invalid: the request fails, and no other key is tried.</summary>
    public static ProblemHttpResult KeyInvalid(RuntimeRoute route, InvalidMark mark) =>
        Problem(StatusCodes.Status424FailedDependency, "provider-key-invalid", "The provider key is invalid",
            $"The model '{route.ModelId}' is served by the key \"{route.Key.Name}\" ({route.Key.IdText}), which has been invalid since " +
            $"{mark.Since.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC: {mark.Reason} An owner must fix the key or test it again; no other key is used instead.",
            KeyExtensions(route, mark));

    public static ProblemHttpResult CredentialUnavailable(RuntimeRoute route) =>
        Problem(StatusCodes.Status503ServiceUnavailable, "credential-unavailable", "The provider key cannot be read",
            $"The credential of the key \"{route.Key.Name}\" ({route.Key.IdText}) could not be read from the secret store. Try again in a moment.",
            KeyExtensions(route, null));

    public static ProblemHttpResult ProviderNotServed(RuntimeRoute route) =>
        Problem(StatusCodes.Status501NotImplemented, "provider-not-served", "This provider is not served by the runtime",
            $"The model '{route.ModelId}' is served by a {route.Key.Provider.DisplayName()} key, which the runtime cannot serve yet.",
            KeyExtensions(route, null));

    public static ProblemHttpResult ApiNotSupported(RuntimeRoute route, string path) =>
        Problem(StatusCodes.Status400BadRequest, "api-not-supported", "This provider does not offer this API",
            $"The model '{route.ModelId}' is served by a {route.Key.Provider.DisplayName()} key, which does not offer {path}.",
            KeyExtensions(route, null));

    public static ProblemHttpResult UpstreamRefusedAddress(RuntimeRoute route) =>
        Problem(StatusCodes.Status502BadGateway, "provider-address-refused", "The provider's address is not allowed",
            $"The key \"{route.Key.Name}\" ({route.Key.IdText}) points at an internal address, which the gateway does not call. An administrator can allow it with Portal:Outbound:AllowedHosts.",
            KeyExtensions(route, null));

    public static ProblemHttpResult UpstreamUnreachable(RuntimeRoute route) =>
        Problem(StatusCodes.Status502BadGateway, "provider-unreachable", "The provider could not be reached",
            $"The provider of the key \"{route.Key.Name}\" ({route.Key.IdText}) could not be reached.", KeyExtensions(route, null));

    public static ProblemHttpResult UpstreamTimedOut(RuntimeRoute route) =>
        Problem(StatusCodes.Status504GatewayTimeout, "provider-timeout", "The provider did not answer in time",
            $"The provider of the key \"{route.Key.Name}\" ({route.Key.IdText}) did not answer in time.", KeyExtensions(route, null));

    /// <summary>The adapter could not get what the call needs from the provider's identity service (a service account's token).</summary>
    public static ProblemHttpResult CredentialRefused(RuntimeRoute route, string reason) =>
        Problem(StatusCodes.Status502BadGateway, "provider-credential-refused", "The provider refused the key's credential",
            $"The key \"{route.Key.Name}\" ({route.Key.IdText}) could not be used: {reason}", KeyExtensions(route, null));

    private static Dictionary<string, object?> KeyExtensions(RuntimeRoute route, InvalidMark? mark)
    {
        var extensions = new Dictionary<string, object?>
        {
            ["model"] = route.ModelId,
            ["keyId"] = route.Key.Id,
            ["keyName"] = route.Key.Name,
            ["keySource"] = route.SourceName,
        };
        if (mark is not null)
        {
            extensions["invalidSince"] = mark.Since;
        }

        return extensions;
    }

    private static ProblemHttpResult Problem(int status, string type, string title, string detail, IDictionary<string, object?>? extensions = null) =>
        TypedResults.Problem(detail, null, status, title, TypeBase + type, extensions);
}
