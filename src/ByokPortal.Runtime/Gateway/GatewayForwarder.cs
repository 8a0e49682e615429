using ByokPortal.Core.Usage;
using ByokPortal.Providers.Adapters;
using ByokPortal.Runtime.Resolution;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Forwarder;

namespace ByokPortal.Runtime.Gateway;

/// <summary>
/// The gateway: reads the model from the request (the body is read once and forwarded unchanged), resolves it with the same rule as
/// <c>/api/v1/resolve</c>, and forwards the request to the provider of the resolved key with that key, through YARP's
/// <see cref="IHttpForwarder"/> (streamed answers go through chunk by chunk; the application's cancellation cancels the upstream call).
/// Every call is recorded as usage, off the request path.
/// </summary>
public sealed class GatewayForwarder(
    IHttpForwarder forwarder,
    GatewayClient client,
    RuntimeCalls calls,
    ProviderKeyHealth health,
    IOptions<RuntimeOptions> options)
{
    public async Task ForwardAsync(HttpContext context, GatewayApi api, UsageOperation operation)
    {
        ArgumentNullException.ThrowIfNull(context);
        var startedAt = calls.Time.GetTimestamp();
        if (calls.Admit(context, out var refusal) is not { } apiKey)
        {
            await refusal!.ExecuteAsync(context);
            return;
        }

        var settings = options.Value;
        using var body = await RequestBody.ReadAsync(context.Request, settings.MaxRequestBytes, context.RequestAborted);
        if (body is null)
        {
            await Refuse(context, RuntimeProblems.TooLarge(settings.MaxRequestBytes), apiKey, null, null, operation, startedAt);
            return;
        }

        Span<char> model = stackalloc char[ModelField.MaxLength];
        if (ModelField.TryRead(body.Span, strict: false, model, out var modelLength) is { } error)
        {
            await Refuse(context, RuntimeProblems.BadRequest(error), apiKey, null, null, operation, startedAt);
            return;
        }

        var resolution = ModelResolver.Resolve(apiKey, model[..modelLength]);
        if (resolution.Route is { } found)
        {
            RuntimeCalls.IdentifyKey(context.Response, found);
        }

        if (!resolution.CanServe)
        {
            await Refuse(context, resolution.Problem!, apiKey, resolution.Route, resolution.Route is null ? model[..modelLength].ToString() : null, operation, startedAt);
            return;
        }

        var route = resolution.Route!;
        var address = route.Key.Adapter!.GatewayAddress(route.Key.Connection!, api, route.ModelId);
        if (address is null)
        {
            await Refuse(context, RuntimeProblems.ApiNotSupported(route, context.Request.Path), apiKey, route, null, operation, startedAt);
            return;
        }

        var upstreamBody = route.Key.Adapter.UpstreamBody(body.Memory, route.ModelId);
        var exchange = new GatewayExchange(route, address, upstreamBody, apiKey, health, settings.MaxErrorBodyBytes);
        context.Request.Body = upstreamBody.Length == body.Length ? body.AsStream() : new MemoryStream(upstreamBody.ToArray(), writable: false);
        context.Request.ContentLength = upstreamBody.Length;
        var config = new ForwarderRequestConfig { ActivityTimeout = settings.UpstreamActivityTimeout };
        var forwarded = await forwarder.SendAsync(context, address.GetLeftPart(UriPartial.Authority), client.Invoker, config, exchange);
        if (forwarded != ForwarderError.None && !context.Response.HasStarted)
        {
            RuntimeCalls.IdentifyKey(context.Response, route);
            await UpstreamProblem(context, route, forwarded).ExecuteAsync(context);
        }

        calls.Record(apiKey, route, null, operation, context.Response.StatusCode, startedAt, exchange.Usage.Prompt, exchange.Usage.Completion);
    }

    private Task Refuse(HttpContext context, Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult problem, Snapshots.RuntimeApiKey apiKey, Snapshots.RuntimeRoute? route, string? modelId, UsageOperation operation, long startedAt)
    {
        calls.Record(apiKey, route, modelId, operation, RuntimeCalls.StatusOf(problem), startedAt);
        return problem.ExecuteAsync(context);
    }

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult UpstreamProblem(HttpContext context, Snapshots.RuntimeRoute route, ForwarderError error)
    {
        var exception = context.GetForwarderErrorFeature()?.Exception;
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is Providers.Outbound.OutboundAddressRefusedException)
            {
                return RuntimeProblems.UpstreamRefusedAddress(route);
            }
        }

        return error == ForwarderError.RequestTimedOut ? RuntimeProblems.UpstreamTimedOut(route) : RuntimeProblems.UpstreamUnreachable(route);
    }
}
