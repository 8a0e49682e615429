using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using ByokPortal.Core.ProviderKeys;
using ByokPortal.Core.Usage;
using ByokPortal.Providers.Adapters;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ByokPortal.Runtime.Tests;

/// <summary>
/// A call that fails in ByokPortal itself, not at the provider: answered with a 500 problem that carries a traceId and not the fault's text,
/// logged with the exception, and recorded as usage, on the lean host where no exception handler stands around these routes.
/// </summary>
public sealed class RuntimeFaultsTests(RuntimeFixture fixture) : IClassFixture<RuntimeFixture>
{
    private readonly RuntimeSteps _steps = new(fixture);

    [Fact]
    public async Task Gateway_AnswersAFaultOfItsOwn_WithA500Problem_AndLogsAndRecordsIt()
    {
        var model = RuntimeSteps.UniqueModel("gpt");
        var app = await _steps.IssueApiKeyAsync("contoso-web");
        var key = await _steps.AddEnterpriseKeyForAllAsync("Gateway fault " + model, [model]);
        var logs = new Testing.LogCapture();
        // Nothing that runs here fails this way: a handler throwing what the gateway does not expect stands in for a bug of its own.
        await using var gateway = new GatewayFactory(fixture.Factory.DataDirectory, logs,
            services => services.AddSingleton(new Runtime.Gateway.GatewayClient(new FaultingHandler())));
        var client = gateway.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", app.Token);

        var answer = await client.PostJsonAsync("/v1/chat/completions", $"{{\"model\":\"{model}\",\"messages\":[]}}");

        var row = await AnsweredLoggedAndRecordedAsync(answer, FaultingHandler.Message, typeof(Runtime.Gateway.GatewayForwarder), logs, gateway, app.Id);
        Assert.Equal((500, (Guid?)key.KeyId, model), (row.StatusCode, row.ProviderKeyId, row.ModelId));
    }

    [Fact]
    public async Task Resolve_AnswersAFaultOfItsOwn_WithA500Problem_AndLogsAndRecordsIt()
    {
        var model = RuntimeSteps.UniqueModel("gpt");
        var app = await _steps.IssueApiKeyAsync("contoso-web");
        await _steps.AddEnterpriseKeyForAllAsync("Resolve fault " + model, [model]);
        var logs = new Testing.LogCapture();
        // No adapter fails this way: one throwing what resolve does not expect stands in for a bug of ByokPortal's own.
        await using var gateway = new GatewayFactory(fixture.Factory.DataDirectory, logs, services => services.AddSingleton(sp =>
            new ProviderAdapters(sp.GetServices<IProviderAdapter>().Where(a => a.Kind != ProviderKind.OpenAI).Append(new FaultingAdapter()))));
        var client = gateway.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", app.Token);

        var answer = await client.ResolveAsync(model);

        var row = await AnsweredLoggedAndRecordedAsync(answer, FaultingAdapter.Message, typeof(Runtime.Resolution.ResolveEndpoints), logs, gateway, app.Id);
        Assert.Equal((500, UsageOperation.Resolve), (row.StatusCode, row.Operation));
    }

    /// <summary>
    /// The call got a 500 'runtime-error' problem with a traceId and without the fault's text, the fault was logged as an error by
    /// <paramref name="loggedBy"/> with its text, and the call's usage row was written (returned).
    /// </summary>
    private async Task<Core.Usage.UsageRecord> AnsweredLoggedAndRecordedAsync(
        (HttpStatusCode Status, JsonElement Problem, HttpResponseMessage Response) answer, string faultMessage, Type loggedBy,
        Testing.LogCapture logs, GatewayFactory gateway, Guid apiKeyId)
    {
        var (status, problem, response) = answer;
        Assert.Equal(HttpStatusCode.InternalServerError, status);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(RuntimeProblems.TypeBase + "runtime-error", problem.GetProperty("type").GetString());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("traceId").GetString()));
        Assert.DoesNotContain(faultMessage, problem.GetRawText(), StringComparison.Ordinal);
        Assert.Contains(logs.Lines, line => line.StartsWith("Error " + loggedBy.FullName, StringComparison.Ordinal)
            && line.Contains(faultMessage, StringComparison.Ordinal));
        await gateway.Services.GetRequiredService<Runtime.Usage.UsageWriter>().FlushAsync(RuntimeFixture.Ct);
        await using var db = await fixture.DbAsync();
        return await db.UsageRecords.AsNoTracking().SingleAsync(u => u.ApiKeyId == apiKeyId, RuntimeFixture.Ct);
    }

    private sealed class FaultingHandler : HttpMessageHandler
    {
        public const string Message = "A fault the gateway does not expect (4711).";

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            throw new NotSupportedException(Message);
    }

    private sealed class FaultingAdapter() : ApiKeyAdapter(ProviderKind.OpenAI, "https://api.openai.com/v1")
    {
        public const string Message = "A fault resolve does not expect (4712).";

        public override ValueTask<CopilotProviderConfig> CopilotConfigurationAsync(ProviderConnection connection, object? credential, ResolveCaller caller, CancellationToken cancellationToken) =>
            throw new NotSupportedException(Message);
    }
}
