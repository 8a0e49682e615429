using ByokPortal.Core.ApiKeys;
using ByokPortal.Runtime.Snapshots;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace ByokPortal.Runtime.Authentication;

/// <summary>
/// Authenticates applications by organization API key, from the in-memory snapshot: the presented key is hashed (SHA-256, as stored),
/// looked up, compared in constant time, and refused when unknown, revoked or expired (<see cref="OrganizationApiKey.IsActiveAt"/>, the
/// one rule) — no database round trip. Revocation reaches every instance with the policy version (within one poll interval). The
/// authenticated key is put in the request's features for the runtime's endpoints.
/// </summary>
/// <remarks>
/// The portal host runs it through ASP.NET Core's authentication middleware (its runtime routes require the API-key policy); the lean
/// gateway host, whose only way in is the API key, runs <see cref="Authenticate"/> itself on every request
/// (<see cref="ApiKeyAuthenticationMiddleware"/>) and challenges through this scheme. ASP.NET Core creates one per request. It
/// implements <see cref="IAuthenticationHandler"/> itself rather than deriving from
/// <see cref="AuthenticationHandler{TOptions}"/>, whose constructor creates a logger and whose initialization looks options up on every
/// request: this one holds the services it was given and allocates nothing else. Every answer is prebuilt — success per API key in the snapshot
/// (<see cref="RuntimeApiKey.Authenticated"/>), each refusal once — so authenticating allocates no result, task or claim.
/// </remarks>
public sealed class ApiKeyAuthenticationHandler(SnapshotStore store, TimeProvider time, ApiKeyRefusalLog refusals)
    : IAuthenticationHandler
{
    public const string MissingMessage = "An organization API key is required: send it as 'Authorization: Bearer <key>' (or in the x-api-key or api-key header).";
    public const string UnknownMessage = "This API key is not known.";
    public const string RevokedMessage = "This API key was revoked.";
    public const string ExpiredMessage = "This API key has expired.";
    public const string ArchivedMessage = "This API key's organization is archived; an enterprise owner can restore it.";
    public const string AmbiguousMessage = "Send one API key, in one header.";

    private static readonly Task<AuthenticateResult> NoKey = Task.FromResult(AuthenticateResult.NoResult());
    private static readonly Task<AuthenticateResult> Unknown = Task.FromResult(AuthenticateResult.Fail(UnknownMessage));
    private static readonly Task<AuthenticateResult> Revoked = Task.FromResult(AuthenticateResult.Fail(RevokedMessage));
    private static readonly Task<AuthenticateResult> Expired = Task.FromResult(AuthenticateResult.Fail(ExpiredMessage));
    private static readonly Task<AuthenticateResult> Archived = Task.FromResult(AuthenticateResult.Fail(ArchivedMessage));
    private static readonly Task<AuthenticateResult> Ambiguous = Task.FromResult(AuthenticateResult.Fail(AmbiguousMessage));

    private HttpContext? _context;
    private Task<AuthenticateResult>? _result;

    public Task InitializeAsync(AuthenticationScheme scheme, HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        _context = context;
        return Task.CompletedTask;
    }

    /// <summary>The same answer however often it is asked within one request (the authorization policy and the challenge both ask).</summary>
    public Task<AuthenticateResult> AuthenticateAsync() => _result ??= Authenticate(Context, store, time, refusals);

    public async Task ChallengeAsync(AuthenticationProperties? properties)
    {
        var result = await AuthenticateAsync();
        Context.Response.Headers.WWWAuthenticate = "Bearer";
        await RuntimeProblems.Unauthorized(result.Failure?.Message ?? MissingMessage).ExecuteAsync(Context);
    }

    public Task ForbidAsync(AuthenticationProperties? properties) =>
        RuntimeProblems.Forbidden("This API key may not use this route.").ExecuteAsync(Context);

    private HttpContext Context => _context ?? throw new InvalidOperationException("The handler was not initialized.");

    /// <summary>
    /// Authenticates the request's API key: a prebuilt, completed answer (success per API key, each refusal once). On success the
    /// authenticated key is in the request's features (<see cref="RuntimeApiKey"/>) for the runtime's endpoints.
    /// </summary>
    public static Task<AuthenticateResult> Authenticate(HttpContext context, SnapshotStore store, TimeProvider time, ApiKeyRefusalLog refusals)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(refusals);
        var presented = PresentedApiKey.Read(context.Request.Headers, out var ambiguous);
        if (presented.IsEmpty)
        {
            return NoKey;
        }

        RuntimeApiKey? key = null;
        var refusal = ambiguous ? Ambiguous : Refusal(presented, store, time, out key);
        if (refusal is not null)
        {
            refusals.Refused(refusal.Result.Failure!.Message);
            return refusal;
        }

        context.Features.Set(key);
        return key!.Authenticated;
    }

    private static Task<AuthenticateResult>? Refusal(ReadOnlySpan<char> presented, SnapshotStore store, TimeProvider time, out RuntimeApiKey? key)
    {
        key = null;
        if (!ApiKeyToken.LooksLikeToken(presented))
        {
            return Unknown;
        }

        var hash = ApiKeyHash.Of(presented);
        if (!store.Current.ApiKeys.TryGetValue(hash, out key) || !key.Hash.FixedTimeEquals(hash))
        {
            return Unknown;
        }

        switch (key.Key.StatusAt(time.GetUtcNow()))
        {
            case ApiKeyStatus.Revoked:
                return Revoked;
            case ApiKeyStatus.Expired:
                return Expired;
        }

        return key.OrganizationArchived ? Archived : null;
    }
}
