using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace ByokPortal.Runtime.Tests;

/// <summary>
/// The lean runtime host (src/ByokPortal.Gateway), as deployed beside the portal: it shares the portal's database, secret store and key
/// ring, serves the runtime's routes and nothing of the portal's pages.
/// </summary>
public sealed class GatewayHostTests(RuntimeFixture fixture) : IClassFixture<RuntimeFixture>
{
    private readonly RuntimeSteps _steps = new(fixture);

    [Fact]
    public async Task GatewayHost_WithItsShippedSettings_WritesNoLogLinePerForwardedCall()
    {
        var model = RuntimeSteps.UniqueModel("gpt");
        var app = await _steps.IssueApiKeyAsync("contoso-web");
        await _steps.AddEnterpriseKeyForAllAsync("Quiet gateway " + model, [model]);
        var logs = new Testing.LogCapture();
        await using var gateway = new GatewayFactory(fixture.Factory.DataDirectory, logs);
        var client = gateway.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", app.Token);
        var (first, _, _) = await client.PostJsonAsync("/v1/chat/completions", $"{{\"model\":\"{model}\",\"messages\":[]}}");
        Assert.Equal(HttpStatusCode.OK, first);
        var before = logs.Lines.Count;

        for (var i = 0; i < 5; i++)
        {
            var (status, _, _) = await client.PostJsonAsync("/v1/chat/completions", $"{{\"model\":\"{model}\",\"messages\":[]}}");
            Assert.Equal(HttpStatusCode.OK, status);
        }

        // A line per call (YARP's "Proxying to …" and "Received HTTP/1.1 response" at Information) costs more CPU than the forwarding.
        var perCall = logs.Lines.Skip(before).Where(line => !line.StartsWith("[scope]", StringComparison.Ordinal)).ToList();
        Assert.True(perCall.Count == 0, "Log lines written while serving 5 calls: " + string.Join('\n', perCall));
    }

    [Fact]
    public async Task GatewayHost_WithItsShippedSettings_LogsAFloodOfWrongApiKeysOnce_NotPerRequest()
    {
        var app = await _steps.IssueApiKeyAsync("contoso-web");
        var logs = new Testing.LogCapture();
        await using var gateway = new GatewayFactory(fixture.Factory.DataDirectory, logs);
        var client = gateway.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", app.Token[..^4] + "zzzz");

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostJsonAsync("/v1/chat/completions", "{\"model\":\"gpt-4o\"}")).Status);
        }

        Assert.Single(logs.Lines, line => line.Contains("API key was refused", StringComparison.Ordinal));
    }

    [Fact]
    public async Task GatewayHost_WithItsShippedSettings_WritesConsoleLogLinesAsJson()
    {
        await using var gateway = new GatewayFactory(fixture.Factory.DataDirectory);
        var services = gateway.Services;
        var options = services.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>().CurrentValue;

        // The console logger writes with the formatter its options name; a name no formatter has falls back to plain text.
        var formatter = services.GetServices<ConsoleFormatter>().SingleOrDefault(f => f.Name == options.FormatterName);
        Assert.NotNull(formatter);
        using var line = new StringWriter();
        formatter.Write(new LogEntry<string>(LogLevel.Warning, "ByokPortal.Test", new EventId(7), "A line \"quoted\".", null, (state, _) => state), null, line);
        using var json = JsonDocument.Parse(line.ToString());
        Assert.Equal("A line \"quoted\".", json.RootElement.GetProperty("Message").GetString());
        Assert.Equal("Warning", json.RootElement.GetProperty("LogLevel").GetString());
    }

    [Fact]
    public async Task GatewayHost_RefusesAMissingOrUnknownApiKey_With401AndWhy_AndServesAKnownOne()
    {
        var model = RuntimeSteps.UniqueModel("gpt");
        var app = await _steps.IssueApiKeyAsync("contoso-web");
        await _steps.AddEnterpriseKeyForAllAsync("Gateway host auth " + model, [model]);
        await using var gateway = new GatewayFactory(fixture.Factory.DataDirectory);
        var anonymous = gateway.CreateClient();
        var unknown = gateway.CreateClient();
        unknown.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", app.Token[..^4] + "zzzz");
        var known = gateway.CreateClient();
        known.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", app.Token);

        foreach (var route in new[] { "/api/v1/resolve", "/v1/chat/completions" })
        {
            var (missingStatus, missing, missingResponse) = await anonymous.PostJsonAsync(route, $"{{\"model\":\"{model}\"}}");
            var (unknownStatus, refused, _) = await unknown.PostJsonAsync(route, $"{{\"model\":\"{model}\"}}");
            Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized), (missingStatus, unknownStatus));
            Assert.Equal(ByokPortal.Runtime.Authentication.ApiKeyAuthenticationHandler.MissingMessage, missing.GetProperty("detail").GetString());
            Assert.Equal("Bearer", missingResponse.Headers.WwwAuthenticate.Single().Scheme);
            Assert.Equal(ByokPortal.Runtime.Authentication.ApiKeyAuthenticationHandler.UnknownMessage, refused.GetProperty("detail").GetString());
        }

        Assert.Equal(HttpStatusCode.OK, (await known.PostJsonAsync("/api/v1/resolve", $"{{\"model\":\"{model}\"}}")).Status);
    }

    [Fact]
    public async Task GatewayHost_RunsNoPortalMaintenance_WhichThePortalRuns()
    {
        await using var gateway = new GatewayFactory(fixture.Factory.DataDirectory);

        var gatewayServices = gateway.Services.GetServices<IHostedService>().Select(s => s.GetType()).ToList();
        var portalServices = fixture.Factory.Services.GetServices<IHostedService>().Select(s => s.GetType()).ToList();

        // Autoscaled gateway instances would each test every due key with its provider at the same minute, and sweep the same store.
        Assert.DoesNotContain(typeof(Core.ProviderKeys.ProviderKeyMaintenance), gatewayServices);
        Assert.DoesNotContain(typeof(Core.Secrets.OrphanSecretSweeper), gatewayServices);
        Assert.Contains(typeof(Runtime.Usage.UsageWriter), gatewayServices);
        Assert.Contains(typeof(Core.ProviderKeys.ProviderKeyMaintenance), portalServices);
        Assert.Contains(typeof(Core.Secrets.OrphanSecretSweeper), portalServices);
    }

    [Fact]
    public async Task GatewayHost_AnswersAnAddressItDoesNotServe_AndAMethodAnAddressDoesNotTake_WithProblemDetails()
    {
        await using var gateway = new GatewayFactory(fixture.Factory.DataDirectory);
        var client = gateway.CreateClient();

        using var unknown = await client.PostAsync(new Uri("/v1/completions", UriKind.Relative), new StringContent("{}", Encoding.UTF8, "application/json"), RuntimeFixture.Ct);
        using var wrongMethod = await client.GetAsync(new Uri("/v1/chat/completions", UriKind.Relative), RuntimeFixture.Ct);

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
        using var notFound = JsonDocument.Parse(await unknown.Content.ReadAsStringAsync(RuntimeFixture.Ct));
        Assert.Contains("/v1/chat/completions", notFound.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, wrongMethod.StatusCode);
        Assert.Equal("POST", wrongMethod.Content.Headers.Allow.Single());
        Assert.Equal("application/problem+json", wrongMethod.Content.Headers.ContentType?.MediaType);
        using var notAllowed = JsonDocument.Parse(await wrongMethod.Content.ReadAsStringAsync(RuntimeFixture.Ct));
        Assert.Equal("This address takes POST.", notAllowed.RootElement.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task GatewayHost_ServesAModelAddedInThePortal_WithTheSharedSecretStore_AndNoPortalPages()
    {
        var model = RuntimeSteps.UniqueModel("gpt");
        var app = await _steps.IssueApiKeyAsync("contoso-web");
        var key = await _steps.AddEnterpriseKeyForAllAsync("Served by the gateway host " + model, [model]);
        await using var gateway = new GatewayFactory(fixture.Factory.DataDirectory);
        var client = gateway.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", app.Token);

        var (status, body, response) = await client.PostJsonAsync("/v1/chat/completions", $"{{\"model\":\"{model}\",\"messages\":[]}}");
        using var page = await client.GetAsync(new Uri("/enterprises/contoso/ai-controls", UriKind.Relative), RuntimeFixture.Ct);
        var health = await client.GetStringAsync(new Uri("/healthz", UriKind.Relative), RuntimeFixture.Ct);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(Testing.ProviderStandIn.Reply, body.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
        Assert.Equal(key.KeyId.ToString(), response.Headers.GetValues("x-byok-key-id").Single());
        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.Equal("application/problem+json", page.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Healthy", health);
    }
}
