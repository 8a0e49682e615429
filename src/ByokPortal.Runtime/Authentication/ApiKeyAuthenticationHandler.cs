using System.Text.Encodings.Web;
using ByokPortal.Core.ApiKeys;
using ByokPortal.Runtime.Snapshots;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ByokPortal.Runtime.Authentication;

/// <summary>
/// Authenticates applications by organization API key, from the in-memory snapshot: the presented key is hashed (SHA-256, as stored),
/// looked up, compared in constant time, and refused when unknown, revoked or expired (<see cref="OrganizationApiKey.IsActiveAt"/>, the
/// one rule) — no database round trip. Revocation reaches every instance with the policy version (within one poll interval). The
/// authenticated key is put in the request's features for the runtime's endpoints.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    SnapshotStore store,
    TimeProvider time)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string MissingMessage = "An organization API key is required: send it as 'Authorization: Bearer <key>' (or in the x-api-key or api-key header).";
    public const string UnknownMessage = "This API key is not known.";
    public const string RevokedMessage = "This API key was revoked.";
    public const string ExpiredMessage = "This API key has expired.";
    public const string ArchivedMessage = "This API key's organization is archived; an enterprise owner can restore it.";
    public const string AmbiguousMessage = "Send one API key, in one header.";

    /// <summary>This scheme has no events; the base class would allocate an empty events object and its task on every request.</summary>
    private static readonly Task<object> NoEvents = Task.FromResult(new object());

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var presented = PresentedApiKey.Read(Request.Headers);
        if (presented.IsEmpty)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        if (PresentedApiKey.IsAmbiguous(Request.Headers))
        {
            return Task.FromResult(AuthenticateResult.Fail(AmbiguousMessage));
        }

        if (!ApiKeyToken.LooksLikeToken(presented))
        {
            return Task.FromResult(AuthenticateResult.Fail(UnknownMessage));
        }

        var hash = ApiKeyHash.Of(presented);
        if (!store.Current.ApiKeys.TryGetValue(hash, out var key) || !key.Hash.FixedTimeEquals(hash))
        {
            return Task.FromResult(AuthenticateResult.Fail(UnknownMessage));
        }

        switch (key.Key.StatusAt(time.GetUtcNow()))
        {
            case ApiKeyStatus.Revoked:
                return Task.FromResult(AuthenticateResult.Fail(RevokedMessage));
            case ApiKeyStatus.Expired:
                return Task.FromResult(AuthenticateResult.Fail(ExpiredMessage));
        }

        if (key.OrganizationArchived)
        {
            return Task.FromResult(AuthenticateResult.Fail(ArchivedMessage));
        }

        Context.Features.Set(key);
        return Task.FromResult(AuthenticateResult.Success(key.Ticket));
    }

    protected override Task<object> CreateEventsAsync() => NoEvents;

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        Response.Headers.WWWAuthenticate = "Bearer";
        await RuntimeProblems.Unauthorized(result.Failure?.Message ?? MissingMessage).ExecuteAsync(Context);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        RuntimeProblems.Forbidden("This API key may not use this route.").ExecuteAsync(Context);
}
