using ByokPortal.Testing;

namespace ByokPortal.Web.Tests.Authorization;

/// <summary>Who is asking: the five kinds of visitor every route is tried with.</summary>
public enum Persona
{
    Anonymous,

    /// <summary>mia: member of contoso-web.</summary>
    Member,

    /// <summary>olga: owner of contoso-data, a stranger to contoso-web.</summary>
    OwnerOfAnotherOrganization,

    /// <summary>oscar: owner of contoso-web.</summary>
    OrganizationOwner,

    /// <summary>ada: owner of the Contoso enterprise.</summary>
    EnterpriseOwner,
}

public enum Outcome
{
    /// <summary>200.</summary>
    Ok,

    /// <summary>302 to /signin?returnUrl=….</summary>
    SignIn,

    /// <summary>A page answering 403 with the "No access" content and none of its own.</summary>
    NoAccess,

    /// <summary>401 (APIs and downloads do not redirect).</summary>
    Unauthorized,

    /// <summary>403 without a page.</summary>
    Forbidden,

    /// <summary>404: another organization's objects look like nothing.</summary>
    NotFound,

    /// <summary>302 somewhere else than sign-in (e.g. after signing in or out).</summary>
    Redirect,

    /// <summary>400: refused before any work, e.g. a form post without an antiforgery token.</summary>
    BadRequest,
}

/// <summary>
/// One routable page or endpoint: its route template as the app registers it, a concrete request for the demo data,
/// and the expected outcome for each persona.
/// </summary>
public sealed record RouteCase(string Method, string Template, string Url, IReadOnlyDictionary<Persona, Outcome> Expected, bool NeedsFreshClient = false, Func<HttpClient, Task<HttpContent?>>? Body = null)
{
    public override string ToString() => $"{Method} {Url}";
}

/// <summary>
/// The authorization matrix: every routable page and endpoint of the portal × every persona. Routes use the demo data:
/// enterprise contoso; organization contoso-web (mia is a member, oscar its owner; olga owns contoso-data).
/// A new page or endpoint must be added here: <see cref="AuthorizationMatrixTests.EveryRoute_HasAnEntryInTheMatrix"/> fails otherwise.
/// </summary>
public static class AuthorizationMatrix
{
    public const string Enterprise = "contoso";
    public const string Organization = "contoso-web";

    public static readonly IReadOnlyDictionary<Persona, string?> People = new Dictionary<Persona, string?>
    {
        [Persona.Anonymous] = null,
        [Persona.Member] = DemoSignIn.WebMember,
        [Persona.OwnerOfAnotherOrganization] = DemoSignIn.DataOwner,
        [Persona.OrganizationOwner] = DemoSignIn.WebOwner,
        [Persona.EnterpriseOwner] = DemoSignIn.EnterpriseOwner,
    };

    private static Dictionary<Persona, Outcome> Expect(Outcome anonymous, Outcome member, Outcome otherOwner, Outcome owner, Outcome enterpriseOwner) => new()
    {
        [Persona.Anonymous] = anonymous,
        [Persona.Member] = member,
        [Persona.OwnerOfAnotherOrganization] = otherOwner,
        [Persona.OrganizationOwner] = owner,
        [Persona.EnterpriseOwner] = enterpriseOwner,
    };

    private static readonly Dictionary<Persona, Outcome> Everyone = Expect(Outcome.Ok, Outcome.Ok, Outcome.Ok, Outcome.Ok, Outcome.Ok);
    private static readonly Dictionary<Persona, Outcome> SignedIn = Expect(Outcome.SignIn, Outcome.Ok, Outcome.Ok, Outcome.Ok, Outcome.Ok);
    private static readonly Dictionary<Persona, Outcome> EnterpriseOwnerPage = Expect(Outcome.SignIn, Outcome.NoAccess, Outcome.NoAccess, Outcome.NoAccess, Outcome.Ok);
    private static readonly Dictionary<Persona, Outcome> OrganizationOwnerPage = Expect(Outcome.SignIn, Outcome.NoAccess, Outcome.NoAccess, Outcome.Ok, Outcome.Ok);
    private static readonly Dictionary<Persona, Outcome> OrganizationMemberPage = Expect(Outcome.SignIn, Outcome.Ok, Outcome.NoAccess, Outcome.Ok, Outcome.Ok);
    private static readonly Dictionary<Persona, Outcome> EnterpriseOwnerDownload = Expect(Outcome.Unauthorized, Outcome.Forbidden, Outcome.Forbidden, Outcome.Forbidden, Outcome.Ok);
    private static readonly Dictionary<Persona, Outcome> ScimTokenOnly = Expect(Outcome.Unauthorized, Outcome.Unauthorized, Outcome.Unauthorized, Outcome.Unauthorized, Outcome.Unauthorized);

    /// <summary>The runtime's routes take organization API keys only: every person's cookie is refused like no credential at all.</summary>
    private static readonly Dictionary<Persona, Outcome> ApplicationsOnly = Expect(Outcome.Unauthorized, Outcome.Unauthorized, Outcome.Unauthorized, Outcome.Unauthorized, Outcome.Unauthorized);

    private static RouteCase Application(string method, string template) =>
        new(method, template, template, ApplicationsOnly,
            Body: method == "POST" ? _ => Task.FromResult<HttpContent?>(new StringContent("{\"model\":\"gpt-4o\"}", System.Text.Encoding.UTF8, "application/json")) : null);

    private static RouteCase Page(string template, Dictionary<Persona, Outcome> expected) =>
        new("GET", template, template.Replace("{enterprise}", Enterprise, StringComparison.Ordinal).Replace("{org}", Organization, StringComparison.Ordinal), expected);

    public static readonly IReadOnlyList<RouteCase> Cases =
    [
        // Everyone
        Page("/signin", Everyone),
        Page("/healthz", Everyone),
        Page("/error", Everyone),
        new("GET", "/no-access", "/no-access", Expect(Outcome.NoAccess, Outcome.NoAccess, Outcome.NoAccess, Outcome.NoAccess, Outcome.NoAccess)),
        // Demo sign-in is on here: the Entra ID entry answers 404 (shown to anonymous visitors as the sign-in page, like any unknown address).
        new("GET", "/signin/entra", "/signin/entra", Expect(Outcome.SignIn, Outcome.NotFound, Outcome.NotFound, Outcome.NotFound, Outcome.NotFound)),
        new("POST", "/signin/demo", "/signin/demo", Expect(Outcome.Redirect, Outcome.Redirect, Outcome.Redirect, Outcome.Redirect, Outcome.Redirect), NeedsFreshClient: true,
            Body: async client => Form(await TokenAsync(client), ("email", DemoSignIn.WebMember), ("returnUrl", "/"))),

        // Signed-in people
        Page("/", SignedIn),
        Page("/not-found", SignedIn),
        new("POST", "/signout", "/signout", Expect(Outcome.SignIn, Outcome.Redirect, Outcome.Redirect, Outcome.Redirect, Outcome.Redirect), NeedsFreshClient: true,
            Body: async client => Form(await TokenAsync(client))),

        // Enterprise owners
        Page("/enterprises/{enterprise}/audit-log", EnterpriseOwnerPage),
        Page("/enterprises/{enterprise}/ai-controls", EnterpriseOwnerPage),
        Page("/enterprises/{enterprise}/ai-controls/copilot", EnterpriseOwnerPage),
        Page("/enterprises/{enterprise}/ai-controls/copilot/models", EnterpriseOwnerPage),
        Page("/enterprises/{enterprise}/settings/policies", EnterpriseOwnerPage),
        Page("/enterprises/{enterprise}/organizations", EnterpriseOwnerPage),
        Page("/enterprises/{enterprise}/people", EnterpriseOwnerPage),
        Page("/enterprises/{enterprise}/settings/identity", EnterpriseOwnerPage),
        Page("/enterprises/{enterprise}/usage", EnterpriseOwnerPage),

        // Organization owners (and enterprise owners)
        Page("/organizations/{org}/settings/copilot/models", OrganizationOwnerPage),
        Page("/organizations/{org}/settings/models/custom", OrganizationOwnerPage),
        Page("/organizations/{org}/settings/models/development", OrganizationOwnerPage),
        Page("/organizations/{org}/settings/api-keys", OrganizationOwnerPage),
        Page("/organizations/{org}/settings/people", OrganizationOwnerPage),

        // Everyone in the organization
        Page("/organizations/{org}/models", OrganizationMemberPage),
        new("GET", "/enterprises/{enterprise}/audit-log/export.csv", "/enterprises/contoso/audit-log/export.csv", EnterpriseOwnerDownload),

        // SCIM provisioning: only a SCIM token opens it; people's sign-in cookies are refused like no token at all.
        Scim("GET", "/scim/v2/Users"),
        Scim("POST", "/scim/v2/Users"),
        Scim("GET", "/scim/v2/Users/{id}"),
        Scim("PUT", "/scim/v2/Users/{id}"),
        Scim("PATCH", "/scim/v2/Users/{id}"),
        Scim("DELETE", "/scim/v2/Users/{id}"),
        Scim("GET", "/scim/v2/Groups"),
        Scim("POST", "/scim/v2/Groups"),
        Scim("GET", "/scim/v2/Groups/{id}"),
        Scim("PUT", "/scim/v2/Groups/{id}"),
        Scim("PATCH", "/scim/v2/Groups/{id}"),
        Scim("DELETE", "/scim/v2/Groups/{id}"),
        Scim("GET", "/scim/v2/ServiceProviderConfig"),
        Scim("GET", "/scim/v2/ResourceTypes"),
        Scim("GET", "/scim/v2/ResourceTypes/{id}"),
        Scim("GET", "/scim/v2/Schemas"),
        Scim("GET", "/scim/v2/Schemas/{id}"),

        // Applications, with an organization API key (people's cookies are refused)
        Application("GET", "/api/v1/models"),
        Application("POST", "/api/v1/resolve"),
        Application("GET", "/v1/models"),
        Application("POST", "/v1/chat/completions"),
        Application("POST", "/v1/responses"),
        Application("POST", "/v1/embeddings"),
        Application("POST", "/v1/messages"),

        // The runtime's OpenAPI document and its reference: public, like any API documentation
        Page("/openapi/v1.json", Everyone),
        new("GET", "/api/reference/{documentName?}", "/api/reference/v1", Everyone),
        Page("/api/reference/scalar.js", Everyone),
        Page("/api/reference/scalar.aspnetcore.js", Everyone),
        Page("/api/reference/favicon.svg", Everyone),
    ];

    private static RouteCase Scim(string method, string template) =>
        new(method, template, template.Replace("{id}", "00000000-0000-0000-0000-000000000001", StringComparison.Ordinal), ScimTokenOnly,
            Body: method is "POST" or "PUT" or "PATCH" ? _ => Task.FromResult<HttpContent?>(new StringContent("{}", System.Text.Encoding.UTF8, "application/scim+json")) : null);

    private static HttpContent Form(string token, params (string Name, string Value)[] fields)
    {
        var values = fields.ToDictionary(f => f.Name, f => f.Value);
        values["__RequestVerificationToken"] = token;
        return new FormUrlEncodedContent(values);
    }

    /// <summary>A valid antiforgery token for this client's cookies, from a page that renders a form.</summary>
    private static async Task<string> TokenAsync(HttpClient client)
    {
        var page = await client.GetStringAsync(new Uri("/signin", UriKind.Relative));
        return DemoSignIn.AntiforgeryToken(page);
    }
}
