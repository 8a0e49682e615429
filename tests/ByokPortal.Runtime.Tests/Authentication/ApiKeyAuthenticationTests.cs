using System.Net;
using System.Net.Http.Headers;
using ByokPortal.Testing;

namespace ByokPortal.Runtime.Tests.Authentication;

/// <summary>
/// Who may call the runtime: an active organization API key, in any of the headers the SDKs send; nothing else (no key, a wrong, revoked or
/// expired key, a person's sign-in cookie) — each a 401 problem that says why, on every runtime route.
/// </summary>
public sealed class ApiKeyAuthenticationTests(MovableClockRuntimeFixture fixture) : IClassFixture<MovableClockRuntimeFixture>
{
    private readonly RuntimeSteps _steps = new(fixture);

    public static TheoryData<string, string> Routes() => new()
    {
        { "GET", "/api/v1/models" },
        { "POST", "/api/v1/resolve" },
        { "GET", "/v1/models" },
        { "POST", "/v1/chat/completions" },
        { "POST", "/v1/responses" },
        { "POST", "/v1/embeddings" },
        { "POST", "/v1/messages" },
    };

    private async Task<(HttpStatusCode Status, string Detail, HttpResponseMessage Response)> CallAsync(HttpClient client, string method, string route)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), route);
        if (method == "POST")
        {
            request.Content = new StringContent("{\"model\":\"gpt-4o\"}", System.Text.Encoding.UTF8, "application/json");
        }

        var response = await client.SendAsync(request, RuntimeFixture.Ct);
        var body = await response.Content.ReadAsStringAsync(RuntimeFixture.Ct);
        var detail = body.Length > 0 && response.Content.Headers.ContentType?.MediaType == "application/problem+json"
            ? System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("detail").GetString() ?? ""
            : "";
        return (response.StatusCode, detail, response);
    }

    private static (HttpStatusCode, string) Short((HttpStatusCode Status, string Detail, HttpResponseMessage Response) answer) => (answer.Status, answer.Detail);

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Route_WithoutAKeyOrWithAWrongOne_Is401SayingWhy(string method, string route)
    {
        var noKey = await CallAsync(fixture.Client(null), method, route);
        var wrong = await CallAsync(fixture.Client("byok_" + new string('x', 40)), method, route);
        var malformed = await CallAsync(fixture.Client("not-a-key"), method, route);

        Assert.Equal((HttpStatusCode.Unauthorized, true), (noKey.Status, noKey.Detail.Contains("organization API key is required", StringComparison.Ordinal)));
        Assert.Equal("Bearer", noKey.Response.Headers.WwwAuthenticate.ToString());
        Assert.Equal((HttpStatusCode.Unauthorized, "This API key is not known."), (wrong.Status, wrong.Detail));
        Assert.Equal((HttpStatusCode.Unauthorized, "This API key is not known."), (malformed.Status, malformed.Detail));
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Route_WithAPersonsSignInCookie_Is401(string method, string route)
    {
        var ada = await fixture.SignedInClientAsync(DemoSignIn.EnterpriseOwner);

        var (status, _, _) = await CallAsync(ada, method, route);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
    }

    [Fact]
    public async Task ApiKey_InAuthorizationXApiKeyOrApiKeyHeader_IsAccepted_TwoAtOnceAreRefused()
    {
        var app = await _steps.IssueApiKeyAsync("contoso-web");
        await fixture.RefreshAsync();

        var bearer = fixture.Client(app.Token);
        var anthropicStyle = fixture.Client(null);
        anthropicStyle.DefaultRequestHeaders.Add("x-api-key", app.Token);
        var azureStyle = fixture.Client(null);
        azureStyle.DefaultRequestHeaders.Add("api-key", app.Token);
        var both = fixture.Client(app.Token);
        both.DefaultRequestHeaders.Add("x-api-key", app.Token);

        Assert.Equal(HttpStatusCode.OK, (await CallAsync(bearer, "GET", "/v1/models")).Status);
        Assert.Equal(HttpStatusCode.OK, (await CallAsync(anthropicStyle, "GET", "/v1/models")).Status);
        Assert.Equal(HttpStatusCode.OK, (await CallAsync(azureStyle, "GET", "/v1/models")).Status);
        Assert.Equal((HttpStatusCode.Unauthorized, "Send one API key, in one header."), Short(await CallAsync(both, "GET", "/v1/models")));
    }

    [Fact]
    public async Task RevokedKey_Is401AsSoonAsTheRuntimeSeesTheRevocation()
    {
        var app = await _steps.IssueApiKeyAsync("contoso-web");
        await fixture.RefreshAsync();
        var client = fixture.Client(app.Token);
        Assert.Equal(HttpStatusCode.OK, (await CallAsync(client, "GET", "/api/v1/models")).Status);

        await _steps.RevokeApiKeyAsync("contoso-web", app.Id);
        await fixture.RefreshAsync();

        Assert.Equal((HttpStatusCode.Unauthorized, "This API key was revoked."), Short(await CallAsync(client, "GET", "/api/v1/models")));
    }

    [Fact]
    public async Task ExpiredKey_Is401FromItsLastDayOn()
    {
        var lastDay = DateOnly.FromDateTime(fixture.Clock.GetUtcNow().UtcDateTime).AddDays(1);
        var app = await _steps.IssueApiKeyAsync("contoso-web", expiresOn: lastDay);
        await fixture.RefreshAsync();
        var client = fixture.Client(app.Token);
        Assert.Equal(HttpStatusCode.OK, (await CallAsync(client, "GET", "/api/v1/models")).Status);

        fixture.Clock.Advance(TimeSpan.FromDays(2));

        Assert.Equal((HttpStatusCode.Unauthorized, "This API key has expired."), Short(await CallAsync(client, "GET", "/api/v1/models")));
    }

    [Fact]
    public async Task KeyOfAnArchivedOrganization_Is401UntilTheOrganizationIsRestored()
    {
        var organization = await _steps.CreateOrganizationAsync();
        var app = await _steps.IssueApiKeyAsync(organization.Slug);
        await fixture.RefreshAsync();
        var client = fixture.Client(app.Token);
        Assert.Equal(HttpStatusCode.OK, (await CallAsync(client, "GET", "/v1/models")).Status);

        await _steps.ArchiveOrganizationAsync(organization.Id);
        await fixture.RefreshAsync();
        var archived = Short(await CallAsync(client, "POST", "/v1/chat/completions"));

        await _steps.ArchiveOrganizationAsync(organization.Id, archive: false);
        await fixture.RefreshAsync();

        Assert.Equal((HttpStatusCode.Unauthorized, "This API key's organization is archived; an enterprise owner can restore it."), archived);
        Assert.Equal(HttpStatusCode.OK, (await CallAsync(client, "GET", "/v1/models")).Status);
    }
}
