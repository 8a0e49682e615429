using ByokPortal.Core.Usage;
using ByokPortal.Providers.Adapters;
using ByokPortal.Runtime.Resolution;
using ByokPortal.Runtime.Snapshots;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ByokPortal.Runtime.Gateway;

/// <summary>
/// The gateway: reads the model from the request (the body is read once and forwarded unchanged), resolves it with the same rule as
/// <c>/api/v1/resolve</c>, and forwards the request to the provider of the resolved key with that key (<see cref="GatewayExchange"/>:
/// <see cref="HttpMessageInvoker"/> with the answer streamed back chunk by chunk; the application's cancellation cancels the upstream call).
/// Every call is recorded as usage, off the request path, a call that failed in the gateway itself too (<see cref="RuntimeFaults"/>).
/// </summary>
public sealed class GatewayForwarder(GatewayClient client, RuntimeCalls calls, ProviderKeyHealth health, IOptions<RuntimeOptions> options, ILogger<GatewayForwarder> logger)
{
    private readonly RuntimeOptions _settings = options.Value;

    public async Task ForwardAsync(HttpContext context, GatewayApi api, UsageOperation operation)
    {
        ArgumentNullException.ThrowIfNull(context);
        var startedAt = calls.Time.GetTimestamp();
        RuntimeApiKey? apiKey = null;
        RuntimeRoute? route = null;
        string? unknownModel = null;
        try
        {
            apiKey = calls.Admit(context, out var refusal);
            if (apiKey is null)
            {
                await refusal!.ExecuteAsync(context);
                return;
            }

            using var body = await RequestBody.ReadAsync(context.Request, _settings.MaxRequestBytes, context.RequestAborted);
            ProblemHttpResult? problem;
            if (body is null)
            {
                problem = RuntimeProblems.TooLarge(_settings.MaxRequestBytes);
            }
            else
            {
                (route, problem, unknownModel) = Route(context, body.Span, apiKey, api);
            }

            if (problem is not null)
            {
                await problem.ExecuteAsync(context);
                calls.Record(apiKey, route, unknownModel, operation, problem.StatusCode, startedAt);
                return;
            }

            var upstreamBody = route!.Key.Adapter!.UpstreamBody(body!.Memory, route.ModelId);
            var usage = await GatewayExchange.RunAsync(context, route, GatewayAddresses.Of(route, api)!, upstreamBody, apiKey, client, health, _settings);
            calls.Record(apiKey, route, null, operation, context.Response.StatusCode, startedAt, usage?.Prompt, usage?.Completion);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The gateway's routes answer their own faults (RuntimeFaults), here in the method the call already runs in: a wrapping
            // middleware would cost every call an await of its own. Each call is recorded once it is answered, so a call whose answer
            // failed is recorded here, with the status it ended with; a call refused before it was admitted is not usage.
            var status = await RuntimeFaults.AnswerAsync(context, e, logger);
            if (apiKey is not null)
            {
                calls.Record(apiKey, route, unknownModel, operation, status, startedAt);
            }
        }
    }

    /// <summary>The route of the body's model, or the problem to answer (with the model's ID when no route names it).</summary>
    private static (RuntimeRoute? Route, ProblemHttpResult? Problem, string? UnknownModel) Route(HttpContext context, ReadOnlySpan<byte> body, RuntimeApiKey apiKey, GatewayApi api)
    {
        Span<char> model = stackalloc char[ModelField.MaxLength];
        if (ModelField.TryRead(body, strict: false, model, out var modelLength) is { } error)
        {
            return (null, RuntimeProblems.BadRequest(error), null);
        }

        var resolution = ModelResolver.Resolve(apiKey, model[..modelLength]);
        if (resolution.Route is not { } route)
        {
            return (null, resolution.Problem, model[..modelLength].ToString());
        }

        RuntimeCalls.IdentifyKey(context.Response, route);
        if (!resolution.CanServe)
        {
            return (route, resolution.Problem, null);
        }

        return GatewayAddresses.Of(route, api) is null
            ? (route, RuntimeProblems.ApiNotSupported(route, context.Request.Path), null)
            : (route, null, null);
    }
}
