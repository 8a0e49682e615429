using ByokPortal.Core.Access;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using ByokPortal.Core.ProviderKeys;
using ByokPortal.Testing;
using Microsoft.EntityFrameworkCore;

namespace ByokPortal.Runtime.Tests.Gateway;

/// <summary>
/// What the gateway does around the provider's answer, over real HTTP: which key served it, streams passed through as they come,
/// cancellation passed on, provider errors passed back with the key scrubbed, a refused key marked invalid (no fallback), bounds.
/// </summary>
public sealed class GatewayForwardingTests(RuntimeFixture fixture) : IClassFixture<RuntimeFixture>
{
    private readonly RuntimeSteps _steps = new(fixture);

    private static StringContent Chat(string model, string message = "Hi", bool stream = false) =>
        new($"{{\"model\":\"{model}\",\"stream\":{(stream ? "true" : "false")},\"messages\":[{{\"role\":\"user\",\"content\":\"{message}\"}}]}}", Encoding.UTF8, "application/json");

    [Fact]
    public async Task ChatCompletion_Answer_SaysWhichKeyServedItByIdAndSourceNeverByValue()
    {
        var model = RuntimeSteps.UniqueModel("gpt");
        var app = await _steps.IssueApiKeyAsync("contoso-web");
        var key = await _steps.AddEnterpriseKeyForAllAsync("Headers " + model, [model]);
        await fixture.RefreshAsync();

        using var response = await fixture.Client(app.Token).PostAsync(new Uri("/v1/chat/completions", UriKind.Relative), Chat(model), RuntimeFixture.Ct);
        var body = await response.Content.ReadAsStringAsync(RuntimeFixture.Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(key.KeyId.ToString(), response.Headers.GetValues("x-byok-key-id").Single());
        Assert.Equal("enterprise", response.Headers.GetValues("x-byok-key-source").Single());
        var everything = string.Join('\n', response.Headers.Concat(response.Content.Headers).SelectMany(h => h.Value)) + body;
        Assert.DoesNotContain(fixture.StandIn.AcceptedKey, everything, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApplicationHeaders_ReachTheProvider_ExceptItsCredentialsCookiesHopByHopAndByokHeaders()
    {
        var model = RuntimeSteps.UniqueModel("gpt");
        var app = await _steps.IssueApiKeyAsync("contoso-web");
        await _steps.AddEnterpriseKeyForAllAsync("Header hygiene " + model, [model]);
        await fixture.RefreshAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = Chat(model) };
        request.Headers.Add("OpenAI-Organization", "org-kept");
        request.Headers.Add("x-byok-key-id", "forged");
        request.Headers.Add("Cookie", "portal-session=secret");
        request.Headers.Add("Keep-Alive", "timeout=5");
        request.Headers.Connection.Add("x-hop-named");
        request.Headers.Add("x-hop-named", "dropped");
        request.Headers.Add("X-Forwarded-For", "10.0.0.1");
        request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("gzip"));

        using var response = await fixture.Client(app.Token).SendAsync(request, RuntimeFixture.Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var received = fixture.StandIn.Requests.Single(r => r.Body.Contains(model, StringComparison.Ordinal)).Headers;
        Assert.Equal("org-kept", received["OpenAI-Organization"]);
        Assert.Equal("Bearer " + fixture.StandIn.AcceptedKey, received["Authorization"]);
        Assert.StartsWith("application/json", received["Content-Type"], StringComparison.Ordinal);
        foreach (var dropped in new[] { "x-byok-key-id", "Cookie", "Keep-Alive", "x-hop-named", "X-Forwarded-For", "Accept-Encoding" })
        {
            Assert.False(received.ContainsKey(dropped), $"The provider received {dropped}.");
        }

        Assert.DoesNotContain(app.Token, string.Join('\n', received.Values), StringComparison.Ordinal);
    }

    [Fact]
    public async Task StreamedChatCompletion_FirstEventArrivesBeforeTheProviderFinishes_AndCancellingStopsTheProvidersStream()
    {
        var model = RuntimeSteps.UniqueModel("gpt");
        var app = await _steps.IssueApiKeyAsync("contoso-web");
        await _steps.AddEnterpriseKeyForAllAsync("Slow " + model, [model]);
        await fixture.RefreshAsync();
        var client = fixture.Client(app.Token);

        // The stand-in sends one event, then waits until released: the gateway must pass that event on without waiting for the rest.
        using (var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = Chat(model, "slow please", stream: true) })
        using (var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, RuntimeFixture.Ct))
        {
            Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
            await using var stream = await response.Content.ReadAsStreamAsync(RuntimeFixture.Ct);
            using var reader = new StreamReader(stream);
            var first = await reader.ReadLineAsync(RuntimeFixture.Ct);
            Assert.StartsWith("data: {", first, StringComparison.Ordinal);
            fixture.StandIn.ReleaseSlowStream();
            var rest = await reader.ReadToEndAsync(RuntimeFixture.Ct);
            Assert.EndsWith("data: [DONE]", rest.TrimEnd(), StringComparison.Ordinal);
        }

        // The application goes away in the middle of a stream: the provider's stream is cancelled too.
        var cancelledBefore = fixture.StandIn.CancelledStreams;
        using (var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = Chat(model, "slow again", stream: true) })
        using (var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, RuntimeFixture.Ct))
        {
            await using var stream = await response.Content.ReadAsStreamAsync(RuntimeFixture.Ct);
            using var reader = new StreamReader(stream);
            Assert.StartsWith("data: {", await reader.ReadLineAsync(RuntimeFixture.Ct), StringComparison.Ordinal);
        }

        client.Dispose();
        await Eventually(() => fixture.StandIn.CancelledStreams > cancelledBefore);
    }

    [Fact]
    public async Task ProviderRefusesTheKey_ErrorComesBackScrubbed_KeyIsMarkedInvalid_LaterRequestsFailWithoutCallingAnyProvider()
    {
        var model = RuntimeSteps.UniqueModel("gpt");
        var app = await _steps.IssueApiKeyAsync("contoso-web");
        var enterprise = await _steps.AddEnterpriseKeyForAllAsync("Fallback that must not be used " + model, [model]);
        var oscar = await _steps.OscarAsync();
        var team = await _steps.AddKeyAsync(oscar, KeyScope.Organization("contoso-web"), "Team key " + model, [model]);
        await fixture.RefreshAsync();
        var client = fixture.Client(app.Token);

        fixture.StandIn.RejectEveryKey = true;
        HttpResponseMessage refused;
        string refusedBody;
        try
        {
            refused = await client.PostAsync(new Uri("/v1/chat/completions", UriKind.Relative), Chat(model), RuntimeFixture.Ct);
            refusedBody = await refused.Content.ReadAsStringAsync(RuntimeFixture.Ct);
        }
        finally
        {
            fixture.StandIn.RejectEveryKey = false;
        }

        // The provider's 401 and its body come back, with the provider key (which the stand-in echoed) scrubbed.
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Contains("Incorrect API key provided: [redacted]", refusedBody, StringComparison.Ordinal);
        Assert.DoesNotContain(fixture.StandIn.AcceptedKey, refusedBody, StringComparison.Ordinal);
        Assert.Equal(team.KeyId.ToString(), refused.Headers.GetValues("x-byok-key-id").Single());

        // This instance fails the key's models at once, calling nothing, and never tries the enterprise key.
        var calls = fixture.StandIn.Requests.Count;
        var (status, problem, _) = await client.PostJsonAsync("/v1/chat/completions", $"{{\"model\":\"{model}\",\"messages\":[]}}");
        Assert.Equal(HttpStatusCode.FailedDependency, status);
        Assert.Equal(team.KeyId, problem.GetProperty("keyId").GetGuid());
        Assert.Equal(calls, fixture.StandIn.Requests.Count);

        // The mark reaches the database (the key's row says so, with the time), so every instance sees it, and the audit log records it.
        await Eventually(async () =>
        {
            await using var db = await fixture.DbAsync();
            return await db.ProviderKeys.AnyAsync(k => k.Id == team.KeyId && k.LastTestStatus == CredentialTestStatus.Invalid && k.LastTestedAt != null, RuntimeFixture.Ct);
        });
        await using (var db = await fixture.DbAsync())
        {
            var audit = await db.AuditEvents.AsNoTracking().SingleAsync(e => e.TargetId == team.KeyId.ToString() && e.Action == Core.Audit.AuditActions.ProviderKeyRefused, RuntimeFixture.Ct);
            Assert.Equal(("api_key", app.Id), (audit.ActorType, audit.ActorId));
        }

        await fixture.RefreshAsync();
        Assert.Equal(HttpStatusCode.FailedDependency, (await client.ResolveAsync(model)).Status);

        // A successful Test credentials clears the mark: the key serves again.
        var tested = await _steps.TestKeyAsync(oscar, KeyScope.Organization("contoso-web"), team.KeyId);
        Assert.Equal(CredentialTestStatus.Succeeded, tested.Status);
        await fixture.RefreshAsync();
        using var again = await client.PostAsync(new Uri("/v1/chat/completions", UriKind.Relative), Chat(model), RuntimeFixture.Ct);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(team.KeyId.ToString(), again.Headers.GetValues("x-byok-key-id").Single());
        Assert.NotEqual(enterprise.KeyId.ToString(), again.Headers.GetValues("x-byok-key-id").Single());
    }

    [Fact]
    public async Task UnknownModelOrNoModel_IsRefusedWithoutCallingTheProvider()
    {
        var app = await _steps.IssueApiKeyAsync("contoso-web");
        await fixture.RefreshAsync();
        var client = fixture.Client(app.Token);
        var calls = fixture.StandIn.Requests.Count;

        var unknown = await client.PostJsonAsync("/v1/chat/completions", "{\"model\":\"no-such-model\",\"messages\":[]}");
        var noModel = await client.PostJsonAsync("/v1/chat/completions", "{\"messages\":[]}");
        var notJson = await client.PostJsonAsync("/v1/embeddings", "model=gpt");

        Assert.Equal(
            [HttpStatusCode.NotFound, HttpStatusCode.BadRequest, HttpStatusCode.BadRequest],
            new[] { unknown.Status, noModel.Status, notJson.Status });
        Assert.Equal(calls, fixture.StandIn.Requests.Count);
    }

    [Fact]
    public async Task AnthropicMessages_ForAModelAnOpenAIKeyServes_IsRefusedAsAnApiTheProviderDoesNotOffer()
    {
        var model = RuntimeSteps.UniqueModel("gpt");
        var app = await _steps.IssueApiKeyAsync("contoso-web");
        await _steps.AddEnterpriseKeyForAllAsync("OpenAI only " + model, [model]);
        await fixture.RefreshAsync();

        var (status, problem, _) = await fixture.Client(app.Token).PostJsonAsync("/v1/messages", $"{{\"model\":\"{model}\",\"max_tokens\":5,\"messages\":[]}}");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(RuntimeProblems.TypeBase + "api-not-supported", problem.ProblemType());
    }

    [Fact]
    public async Task RequestBodyOverTheLimit_IsRefusedWith413()
    {
        var app = await _steps.IssueApiKeyAsync("contoso-web");
        await fixture.RefreshAsync();
        var huge = new ByteArrayContent(new byte[(16 * 1024 * 1024) + 10]);
        huge.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        using var response = await fixture.Client(app.Token).PostAsync(new Uri("/v1/chat/completions", UriKind.Relative), huge, RuntimeFixture.Ct);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    private static async Task Eventually(Func<bool> condition) => await Eventually(() => Task.FromResult(condition()));

    private static async Task Eventually(Func<Task<bool>> condition)
    {
        for (var attempt = 0; attempt < 300; attempt++)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(100, RuntimeFixture.Ct);
        }

        Assert.Fail("The condition did not become true within 30 seconds.");
    }
}
