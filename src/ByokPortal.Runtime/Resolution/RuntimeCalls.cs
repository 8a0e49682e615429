using ByokPortal.Core.Usage;
using ByokPortal.Runtime.RateLimiting;
using ByokPortal.Runtime.Snapshots;
using ByokPortal.Runtime.Usage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ByokPortal.Runtime.Resolution;

/// <summary>What every runtime endpoint does first and last: find the authenticated API key, apply its rate limit, record the call.</summary>
public sealed class RuntimeCalls(SnapshotStore store, ApiKeyRateLimiter limiter, UsageRecorder usage, TimeProvider time)
{
    public const string KeyIdHeader = "x-byok-key-id";
    public const string KeySourceHeader = "x-byok-key-source";

    private static readonly ChallengeHttpResult Challenge = TypedResults.Challenge(null, [Authentication.ApiKeyAuthenticationDefaults.Scheme]);

    public TimeProvider Time => time;

    /// <summary>The caller, or the problem to answer (not ready, rate limited). Authentication already refused unknown keys.</summary>
    public RuntimeApiKey? Admit(HttpContext context, out IResult? refusal)
    {
        ArgumentNullException.ThrowIfNull(context);
        refusal = null;
        if (!store.Current.IsReady)
        {
            refusal = RuntimeProblems.NotReady();
            return null;
        }

        var apiKey = context.Features.Get<RuntimeApiKey>();
        if (apiKey is null)
        {
            // The API-key handler answers: 401 with why the key was refused (unknown, revoked, expired), or that none was sent.
            refusal = Challenge;
            return null;
        }

        if (!limiter.TryAcquire(apiKey, out var retryAfter))
        {
            context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            refusal = RuntimeProblems.RateLimited(apiKey.RateLimitPerMinute, retryAfter);
            return null;
        }

        return apiKey;
    }

    /// <summary>Says which key served the answer (by ID and source, never by value).</summary>
    public static void IdentifyKey(HttpResponse response, RuntimeRoute route)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(route);
        response.Headers[KeyIdHeader] = route.Key.IdText;
        response.Headers[KeySourceHeader] = route.SourceName;
    }

    public void Record(RuntimeApiKey apiKey, RuntimeRoute? route, string? modelId, UsageOperation operation, int status, long startedAt, int? promptTokens = null, int? completionTokens = null)
    {
        ArgumentNullException.ThrowIfNull(apiKey);
        usage.Record(new UsageEvent(
            time.GetUtcNow(), apiKey.EnterpriseId, apiKey.OrganizationId, apiKey.Id, route?.Key.Id, route?.ModelId ?? modelId, operation, status,
            promptTokens, completionTokens, (int)Math.Min(int.MaxValue, time.GetElapsedTime(startedAt).TotalMilliseconds)));
    }
}
