using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ByokPortal.Testing;

/// <summary>A person with an account at the stand-in provider, as Microsoft Entra ID describes one in an ID token
/// (<see cref="Email"/> is sent as <c>preferred_username</c>, left out when empty). <see cref="Groups"/>: the <c>groups</c> claim
/// (group object IDs); <see cref="GroupsOverage"/>: too many groups, so the token carries <c>_claim_names</c> instead, as Entra ID does.</summary>
public sealed record OidcTestUser(string Email, string Name, string ObjectId, IReadOnlyList<string>? Groups = null, bool GroupsOverage = false)
{
    public static OidcTestUser Create(string email, string name) => new(email, name, Guid.NewGuid().ToString());
}

/// <summary>How the stand-in spoils the next ID token it issues, to prove the portal refuses it.</summary>
public enum IdTokenDefect
{
    None,

    /// <summary>The token is for another application (aud is not the portal's client ID).</summary>
    WrongAudience,

    /// <summary>The token is signed with a key that is not in the published key set (same key ID).</summary>
    BadSignature,

    /// <summary>The token is issued for an account of another tenant (its tid and issuer name that tenant).</summary>
    OtherTenant,

    /// <summary>The token carries another nonce than the portal's request (a replayed or injected token).</summary>
    WrongNonce,

    /// <summary>The token expired well beyond the allowed clock skew.</summary>
    Expired,
}

/// <summary>
/// A minimal OpenID Connect provider shaped like the Microsoft identity platform (v2.0 endpoints under <c>{instance}{tenant}/</c>),
/// served in memory by <see cref="TestServer"/> at an https address, so the portal's HTTPS-only metadata rules stay on.
/// It supports the authorization code flow (with PKCE, client secret, query or form_post response mode) and the id_token
/// form_post flow, signs ID tokens with an RSA key made at start (RS256) and publishes that key in its JWKS.
/// <para>
/// A test plays the browser: it follows the portal's redirect to <see cref="AuthorizeEndpoint"/> after adding the account
/// to sign in with (<see cref="ChooseAccount"/>), which stands for the person typing their credentials at the login page.
/// </para>
/// </summary>
public sealed class OidcProviderStandIn : IAsyncDisposable
{
    private const string LoginAsParameter = "standin_login_as";
    private const string DefectParameter = "standin_defect";

    private readonly WebApplication _app;
    private readonly RsaSecurityKey _signingKey;
    private readonly RsaSecurityKey _foreignKey;
    private readonly ConcurrentDictionary<string, OidcTestUser> _users = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, PendingCode> _codes = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<IReadOnlyDictionary<string, string>> _authorizeRequests = new();
    private readonly ConcurrentQueue<IReadOnlyDictionary<string, string>> _tokenRequests = new();
    private readonly ConcurrentQueue<IReadOnlyDictionary<string, string>> _endSessionRequests = new();
    private readonly ConcurrentQueue<string> _issuedIdTokens = new();

    private OidcProviderStandIn(WebApplication app, Uri instance, string tenantId, string clientId, string clientSecret)
    {
        _app = app;
        Instance = instance;
        TenantId = tenantId;
        ClientId = clientId;
        ClientSecret = clientSecret;
        _signingKey = CreateKey("standin-signing-key");

        // Same key ID as the real key: a token signed with it looks right until its signature is checked.
        _foreignKey = CreateKey(_signingKey.KeyId);
    }

    /// <summary>The value for <c>AzureAd:Instance</c>, e.g. <c>https://login.standin.test/</c>.</summary>
    public Uri Instance { get; }

    public string TenantId { get; }

    public string ClientId { get; }

    public string ClientSecret { get; }

    public string Authority => $"{Instance}{TenantId}/v2.0";

    /// <summary>The issuer of the ID tokens, as Entra ID writes it for v2.0 tokens.</summary>
    public string Issuer => Authority;

    public string MetadataAddress => $"{Authority}/.well-known/openid-configuration";

    public Uri AuthorizeEndpoint => new($"{Instance}{TenantId}/oauth2/v2.0/authorize");

    public Uri TokenEndpoint => new($"{Instance}{TenantId}/oauth2/v2.0/token");

    public Uri EndSessionEndpoint => new($"{Instance}{TenantId}/oauth2/v2.0/logout");

    public Uri JwksUri => new($"{Instance}{TenantId}/discovery/v2.0/keys");

    /// <summary>Every authorization request received, with its query parameters.</summary>
    public IReadOnlyCollection<IReadOnlyDictionary<string, string>> AuthorizeRequests => _authorizeRequests;

    /// <summary>Every token request received, with its form fields (the client secret included).</summary>
    public IReadOnlyCollection<IReadOnlyDictionary<string, string>> TokenRequests => _tokenRequests;

    /// <summary>Every end-session (sign-out) request received, with its query parameters.</summary>
    public IReadOnlyCollection<IReadOnlyDictionary<string, string>> EndSessionRequests => _endSessionRequests;

    /// <summary>Every ID token issued (to check that none ends up in a log).</summary>
    public IReadOnlyCollection<string> IssuedIdTokens => _issuedIdTokens;

    public static async Task<OidcProviderStandIn> StartAsync(
        string instance = "https://login.standin.test/", string? tenantId = null, string? clientId = null, string? clientSecret = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var standIn = new OidcProviderStandIn(
            app,
            new Uri(instance.EndsWith('/') ? instance : instance + "/"),
            tenantId ?? Guid.NewGuid().ToString(),
            clientId ?? Guid.NewGuid().ToString(),
            clientSecret ?? "standin-secret-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16)));
        standIn.MapEndpoints();
        await app.StartAsync();
        app.GetTestServer().BaseAddress = standIn.Instance;
        return standIn;
    }

    /// <summary>Registers an account the provider can sign in (or updates it: same object ID, new e-mail or name).</summary>
    public OidcTestUser AddUser(OidcTestUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        _users[user.ObjectId] = user;
        return user;
    }

    /// <summary>The handler that reaches the provider in memory: give it to the portal's OpenID Connect back channel.</summary>
    public HttpMessageHandler CreateHandler() => _app.GetTestServer().CreateHandler();

    /// <summary>A client for the browser's side of the provider (authorize and end-session pages); no redirects followed.</summary>
    public HttpClient CreateClient()
    {
        var client = _app.GetTestServer().CreateClient();
        client.BaseAddress = Instance;
        return client;
    }

    /// <summary>The portal's redirect to the authorize endpoint, with the account the person signs in with at the login page.</summary>
    public static Uri ChooseAccount(Uri authorizeRedirect, OidcTestUser user, IdTokenDefect defect = IdTokenDefect.None)
    {
        ArgumentNullException.ThrowIfNull(authorizeRedirect);
        ArgumentNullException.ThrowIfNull(user);
        var separator = string.IsNullOrEmpty(authorizeRedirect.Query) ? "?" : "&";
        return new Uri(
            $"{authorizeRedirect.AbsoluteUri}{separator}{LoginAsParameter}={Uri.EscapeDataString(user.ObjectId)}&{DefectParameter}={defect}");
    }

    public bool Owns(Uri address) =>
        address is not null && address.IsAbsoluteUri && Uri.Compare(address, Instance, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0;

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _signingKey.Rsa?.Dispose();
        _foreignKey.Rsa?.Dispose();
    }

    private static RsaSecurityKey CreateKey(string keyId) => new(RSA.Create(2048)) { KeyId = keyId };

    private void MapEndpoints()
    {
        var tenant = _app.MapGroup("/{tenant}").AddEndpointFilter(async (context, next) =>
            string.Equals(context.HttpContext.Request.RouteValues["tenant"] as string, TenantId, StringComparison.OrdinalIgnoreCase)
                ? await next(context)
                : Results.Json(new { error = "invalid_tenant", error_description = "Tenant not found." }, statusCode: StatusCodes.Status400BadRequest));

        tenant.MapGet("/v2.0/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = Issuer,
            ["authorization_endpoint"] = AuthorizeEndpoint.AbsoluteUri,
            ["token_endpoint"] = TokenEndpoint.AbsoluteUri,
            ["end_session_endpoint"] = EndSessionEndpoint.AbsoluteUri,
            ["jwks_uri"] = JwksUri.AbsoluteUri,
            ["response_types_supported"] = new[] { "code", "id_token", "code id_token", "id_token token" },
            ["response_modes_supported"] = new[] { "query", "fragment", "form_post" },
            ["subject_types_supported"] = new[] { "pairwise" },
            ["id_token_signing_alg_values_supported"] = new[] { SecurityAlgorithms.RsaSha256 },
            ["token_endpoint_auth_methods_supported"] = new[] { "client_secret_post", "client_secret_basic" },
            ["code_challenge_methods_supported"] = new[] { "S256" },
            ["scopes_supported"] = new[] { "openid", "profile", "email", "offline_access" },
            ["claims_supported"] = new[] { "sub", "iss", "aud", "exp", "iat", "nbf", "nonce", "name", "preferred_username", "oid", "tid", "ver", "email" },
            ["tenant_region_scope"] = "EU",
        }));

        tenant.MapGet("/discovery/v2.0/keys", () =>
        {
            var parameters = _signingKey.Rsa.ExportParameters(includePrivateParameters: false);
            return Results.Json(new
            {
                keys = new[]
                {
                    new Dictionary<string, object>
                    {
                        ["kty"] = "RSA",
                        ["use"] = "sig",
                        ["alg"] = SecurityAlgorithms.RsaSha256,
                        ["kid"] = _signingKey.KeyId!,
                        ["n"] = Base64UrlEncoder.Encode(parameters.Modulus),
                        ["e"] = Base64UrlEncoder.Encode(parameters.Exponent),
                        ["issuer"] = Issuer,
                    },
                },
            });
        });

        tenant.MapGet("/oauth2/v2.0/authorize", Authorize);
        tenant.MapPost("/oauth2/v2.0/token", (Func<HttpContext, Task<IResult>>)TokenAsync).DisableAntiforgery();
        tenant.MapGet("/oauth2/v2.0/logout", EndSession);
    }

    private IResult Authorize(HttpContext context)
    {
        var query = context.Request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal);
        _authorizeRequests.Enqueue(query);
        string Get(string name) => query.TryGetValue(name, out var value) ? value : "";

        if (Get("client_id") != ClientId)
        {
            return Results.BadRequest(new { error = "unauthorized_client", error_description = "Unknown client_id." });
        }

        var redirectUri = Get("redirect_uri");
        if (!Uri.TryCreate(redirectUri, UriKind.Absolute, out _))
        {
            return Results.BadRequest(new { error = "invalid_request", error_description = "redirect_uri is missing." });
        }

        if (!_users.TryGetValue(Get(LoginAsParameter), out var user))
        {
            // A real provider would show its login page here.
            return Results.Content("<!doctype html><title>Sign in</title><p>Pick an account.</p>", "text/html", statusCode: StatusCodes.Status200OK);
        }

        _ = Enum.TryParse<IdTokenDefect>(Get(DefectParameter), out var defect);
        var responseTypes = Get("response_type").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var responseMode = Get("response_mode");
        var nonce = Get("nonce");
        var response = new Dictionary<string, string>(StringComparer.Ordinal);
        if (responseTypes.Contains("code", StringComparer.Ordinal))
        {
            var code = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
            _codes[code] = new PendingCode(user, redirectUri, nonce, Get("code_challenge"), Get("code_challenge_method"), defect, DateTimeOffset.UtcNow);
            response["code"] = code;
        }

        if (responseTypes.Contains("id_token", StringComparer.Ordinal))
        {
            response["id_token"] = CreateIdToken(user, nonce, accessToken: null, defect);
        }

        if (response.Count == 0)
        {
            return Redirect(redirectUri, new Dictionary<string, string> { ["error"] = "unsupported_response_type", ["state"] = Get("state") }, "query");
        }

        if (query.ContainsKey("state"))
        {
            response["state"] = Get("state");
        }

        if (query.TryGetValue("client_info", out var clientInfo) && clientInfo == "1")
        {
            response["client_info"] = ClientInfo(user);
        }

        // Entra answers with a fragment by default when an ID token is in the answer; this stand-in keeps to query and form_post.
        return Redirect(redirectUri, response, string.IsNullOrEmpty(responseMode) ? "query" : responseMode);
    }

    private async Task<IResult> TokenAsync(HttpContext context)
    {
        var form = (await context.Request.ReadFormAsync()).ToDictionary(f => f.Key, f => f.Value.ToString(), StringComparer.Ordinal);
        _tokenRequests.Enqueue(form);
        string Get(string name) => form.TryGetValue(name, out var value) ? value : "";

        var (clientId, clientSecret) = (Get("client_id"), Get("client_secret"));
        if (context.Request.Headers.Authorization.ToString() is { Length: > 6 } authorization && authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            var pair = Encoding.UTF8.GetString(Convert.FromBase64String(authorization[6..])).Split(':', 2);
            (clientId, clientSecret) = (WebUtility.UrlDecode(pair[0]), WebUtility.UrlDecode(pair.ElementAtOrDefault(1) ?? ""));
        }

        if (clientId != ClientId || clientSecret != ClientSecret)
        {
            return TokenError("invalid_client", "The client ID or secret is wrong.", StatusCodes.Status401Unauthorized);
        }

        if (Get("grant_type") != "authorization_code")
        {
            return TokenError("unsupported_grant_type", "Only authorization_code is supported.");
        }

        // Codes are single use.
        if (!_codes.TryRemove(Get("code"), out var pending) || DateTimeOffset.UtcNow - pending.IssuedAt > TimeSpan.FromMinutes(10))
        {
            return TokenError("invalid_grant", "The code is unknown, used or expired.");
        }

        if (pending.RedirectUri != Get("redirect_uri"))
        {
            return TokenError("invalid_grant", "redirect_uri does not match the authorization request.");
        }

        if (!string.IsNullOrEmpty(pending.CodeChallenge))
        {
            var verifier = Get("code_verifier");
            var expected = pending.CodeChallengeMethod == "S256"
                ? Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)))
                : verifier;
            if (string.IsNullOrEmpty(verifier) || expected != pending.CodeChallenge)
            {
                return TokenError("invalid_grant", "The PKCE code verifier does not match.");
            }
        }

        var accessToken = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        return Results.Json(new Dictionary<string, object>
        {
            ["token_type"] = "Bearer",
            ["scope"] = "openid profile email",
            ["expires_in"] = 3600,
            ["access_token"] = accessToken,
            ["id_token"] = CreateIdToken(pending.User, pending.Nonce, accessToken, pending.Defect),
            ["client_info"] = ClientInfo(pending.User),
        });
    }

    private IResult EndSession(HttpContext context)
    {
        var query = context.Request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal);
        _endSessionRequests.Enqueue(query);
        if (query.TryGetValue("post_logout_redirect_uri", out var target) && Uri.TryCreate(target, UriKind.Absolute, out _))
        {
            var back = new Dictionary<string, string>(StringComparer.Ordinal);
            if (query.TryGetValue("state", out var state))
            {
                back["state"] = state;
            }

            return Redirect(target, back, "query");
        }

        return Results.Content("<!doctype html><title>Signed out</title><p>You signed out of your account.</p>", "text/html");
    }

    private string CreateIdToken(OidcTestUser user, string nonce, string? accessToken, IdTokenDefect defect)
    {
        var now = defect == IdTokenDefect.Expired ? DateTime.UtcNow.AddHours(-2) : DateTime.UtcNow;
        var tenantId = defect == IdTokenDefect.OtherTenant ? Guid.NewGuid().ToString() : TenantId;
        var claims = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["ver"] = "2.0",
            ["sub"] = Base64UrlEncoder.Encode(SHA256.HashData(Encoding.UTF8.GetBytes(ClientId + "|" + user.ObjectId))),
            ["oid"] = user.ObjectId,
            ["tid"] = tenantId,
            ["name"] = user.Name,
        };
        if (!string.IsNullOrEmpty(user.Email))
        {
            claims["preferred_username"] = user.Email;
        }

        if (user.GroupsOverage)
        {
            claims["_claim_names"] = new Dictionary<string, object> { ["groups"] = "src1" };
            claims["_claim_sources"] = new Dictionary<string, object>
            {
                ["src1"] = new Dictionary<string, object> { ["endpoint"] = $"https://graph.microsoft.com/v1.0/users/{user.ObjectId}/getMemberObjects" },
            };
        }
        else if (user.Groups is { } groups)
        {
            claims["groups"] = groups.ToArray();
        }

        if (!string.IsNullOrEmpty(nonce))
        {
            claims["nonce"] = defect == IdTokenDefect.WrongNonce ? nonce + "-replayed" : nonce;
        }

        if (accessToken is not null)
        {
            // at_hash: the left half of the SHA-256 of the access token (OpenID Connect Core 3.1.3.6).
            claims["at_hash"] = Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(accessToken))[..16]);
        }

        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = $"{Instance}{tenantId}/v2.0",
            Audience = defect == IdTokenDefect.WrongAudience ? Guid.NewGuid().ToString() : ClientId,
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddHours(1),
            Claims = claims,
            SigningCredentials = new SigningCredentials(defect == IdTokenDefect.BadSignature ? _foreignKey : _signingKey, SecurityAlgorithms.RsaSha256),
        };
        var token = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
        _issuedIdTokens.Enqueue(token);
        return token;
    }

    private string ClientInfo(OidcTestUser user) =>
        Base64UrlEncoder.Encode(JsonSerializer.Serialize(new { uid = user.ObjectId, utid = TenantId }));

    private static IResult TokenError(string error, string description, int status = StatusCodes.Status400BadRequest) =>
        Results.Json(new { error, error_description = description }, statusCode: status);

    private static IResult Redirect(string redirectUri, IReadOnlyDictionary<string, string> parameters, string responseMode)
    {
        if (responseMode == "form_post")
        {
            var html = new StringBuilder("<!doctype html><html><head><title>Working…</title></head><body onload=\"document.forms[0].submit()\">");
            html.Append("<form method=\"post\" action=\"").Append(WebUtility.HtmlEncode(redirectUri)).Append("\">");
            foreach (var (name, value) in parameters)
            {
                html.Append("<input type=\"hidden\" name=\"").Append(WebUtility.HtmlEncode(name))
                    .Append("\" value=\"").Append(WebUtility.HtmlEncode(value)).Append("\" />");
            }

            html.Append("<noscript><button type=\"submit\">Continue</button></noscript></form></body></html>");
            return Results.Content(html.ToString(), "text/html");
        }

        var query = string.Join('&', parameters.Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}"));
        var separator = redirectUri.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        return Results.Redirect(query.Length == 0 ? redirectUri : redirectUri + separator + query);
    }

    private sealed record PendingCode(
        OidcTestUser User, string RedirectUri, string Nonce, string CodeChallenge, string CodeChallengeMethod, IdTokenDefect Defect, DateTimeOffset IssuedAt);
}
