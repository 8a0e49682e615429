using System.Security.Claims;
using System.Text.Encodings.Web;
using ByokPortal.Core.Identity;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace ByokPortal.Web.Scim;

/// <summary>
/// SCIM's own authentication: a bearer SCIM token created by an enterprise owner. It is the only scheme the SCIM endpoints accept, so
/// a person's sign-in cookie is refused there (401) like a missing token.
/// </summary>
public static class ScimAuthentication
{
    public const string Scheme = "ScimToken";
    public const string TokenIdClaim = "byok:scim_token_id";
    public const string EnterpriseIdClaim = "byok:scim_enterprise_id";
    public const string NameClaim = "byok:scim_token_name";

    public static readonly AuthorizationPolicy Policy = new AuthorizationPolicyBuilder(Scheme).RequireAuthenticatedUser().RequireClaim(EnterpriseIdClaim).Build();

    public static AuthenticationBuilder AddScimToken(this AuthenticationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddScheme<AuthenticationSchemeOptions, ScimTokenHandler>(Scheme, null);
    }

    public static ScimClient Client(this ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return new ScimClient(Guid.Parse(user.FindFirstValue(TokenIdClaim)!), Guid.Parse(user.FindFirstValue(EnterpriseIdClaim)!), user.FindFirstValue(NameClaim) ?? "");
    }
}

internal sealed class ScimTokenHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, AuthenticateScimTokenQuery authenticate)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }

        var result = await authenticate.ExecuteAsync(header["Bearer ".Length..].Trim(), Context.RequestAborted);
        if (!result.IsSuccess)
        {
            return AuthenticateResult.Fail(result.Error!.Message);
        }

        var client = result.Value;
        var identity = new ClaimsIdentity(
            [
                new Claim(ScimAuthentication.TokenIdClaim, client.TokenId.ToString()),
                new Claim(ScimAuthentication.EnterpriseIdClaim, client.EnterpriseId.ToString()),
                new Claim(ScimAuthentication.NameClaim, client.Name),
            ],
            ScimAuthentication.Scheme);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), ScimAuthentication.Scheme));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "Bearer realm=\"scim\"";
        await ScimJson.WriteErrorAsync(Context, StatusCodes.Status401Unauthorized, null, "A valid SCIM token is required (Authorization: Bearer <token>).");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        ScimJson.WriteErrorAsync(Context, StatusCodes.Status403Forbidden, null, "This SCIM token may not do this.");
}
