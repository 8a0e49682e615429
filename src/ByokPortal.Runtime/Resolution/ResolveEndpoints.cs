using System.Buffers;
using System.Text.Json;
using ByokPortal.Core.Usage;
using ByokPortal.Providers.Adapters;
using ByokPortal.Runtime.Snapshots;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;

namespace ByokPortal.Runtime.Resolution;

/// <summary><c>GET /api/v1/models</c>, <c>POST /api/v1/resolve</c> and OpenAI's <c>GET /v1/models</c> (PRODUCT.md, "Runtime").</summary>
public static class ResolveEndpoints
{
    private const int MaxResolveBodyBytes = 16 * 1024;

    public static void MapResolveEndpoints(this IEndpointRouteBuilder routes)
    {
        // Found once: a request resolves nothing from the container.
        var calls = routes.ServiceProvider.GetRequiredService<RuntimeCalls>();
        var logger = routes.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ResolveEndpoints).FullName!);
        routes.MapGet("/api/v1/models", (HttpContext context) => ListModels(context, calls))
            .WithName("ListModels")
            .WithSummary("The models this API key may use, in resolution order, each with the key that serves it.")
            .Produces<ModelList>(StatusCodes.Status200OK, "application/json");

        routes.MapPost("/api/v1/resolve", Gateway.GatewayEndpoints.Handler(context => ResolveAsync(context, calls, logger)))
            .WithName("ResolveModel")
            .AnswerOwnFaults()
            .WithSummary("Resolves a model to a ready provider configuration (the GitHub Copilot SDK's createSession provider).")
            .DescribesJsonBody<ResolveRequest>()
            .Produces<ResolveResponse>(StatusCodes.Status200OK, "application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status424FailedDependency)
            .ProducesProblem(StatusCodes.Status500InternalServerError);

        routes.MapGet("/v1/models", (HttpContext context) => ListOpenAIModels(context, calls))
            .WithName("ListModelsOpenAI")
            .WithSummary("The same models in OpenAI's list shape.")
            .Produces<OpenAIModelList>(StatusCodes.Status200OK, "application/json");
    }

    private static IResult ListModels(HttpContext context, RuntimeCalls calls) =>
        List(context, calls, static table => table.PortalListJson);

    private static IResult ListOpenAIModels(HttpContext context, RuntimeCalls calls) =>
        List(context, calls, static table => table.OpenAIListJson);

    private static IResult List(HttpContext context, RuntimeCalls calls, Func<ModelTable, byte[]> body)
    {
        if (calls.Admit(context, out var refusal) is not { } apiKey)
        {
            return refusal!;
        }

        return TypedResults.Bytes(body(apiKey.Models), "application/json");
    }

    /// <summary>Resolves the call's model; a fault of ByokPortal's own is answered here (<see cref="RuntimeFaults"/>) and recorded.</summary>
    private static async Task ResolveAsync(HttpContext context, RuntimeCalls calls, ILogger logger)
    {
        var startedAt = calls.Time.GetTimestamp();
        RuntimeApiKey? apiKey = null;
        Outcome outcome = default;
        try
        {
            apiKey = calls.Admit(context, out var refusal);
            if (apiKey is null)
            {
                await refusal!.ExecuteAsync(context);
                return;
            }

            outcome = await FindAsync(context, apiKey);
            int status;
            if (outcome.Problem is { } problem)
            {
                status = problem.StatusCode;
                await problem.ExecuteAsync(context);
            }
            else
            {
                status = StatusCodes.Status200OK;
                var response = context.Response;
                response.StatusCode = status;
                response.ContentType = JsonContentType;
                response.Headers.CacheControl = NoStore;
                ResolveAnswer.Write(response.BodyWriter, outcome.Route!, outcome.Provider!);
            }

            // Recorded once answered: a call whose answer failed is recorded below, with the status it ended with.
            calls.Record(apiKey, outcome.Route, outcome.UnknownModel, UsageOperation.Resolve, status, startedAt);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            var status = await RuntimeFaults.AnswerAsync(context, e, logger);
            if (apiKey is not null)
            {
                calls.Record(apiKey, outcome.Route, outcome.UnknownModel, UsageOperation.Resolve, status, startedAt);
            }
        }
    }

    /// <summary>What a resolve call answers: the route and its provider configuration, or the problem (with the model's ID when no route names it).</summary>
    private readonly record struct Outcome(RuntimeRoute? Route, CopilotProviderConfig? Provider, ProblemHttpResult? Problem, string? UnknownModel)
    {
        public static Outcome Refused(ProblemHttpResult problem, RuntimeRoute? route = null, string? unknownModel = null) => new(route, null, problem, unknownModel);
    }

    private static async ValueTask<Outcome> FindAsync(HttpContext context, RuntimeApiKey apiKey)
    {
        if (context.Request.HasJsonContentType() is false)
        {
            return Outcome.Refused(RuntimeProblems.BadRequest("Send the body as application/json: {\"model\":\"…\"}."));
        }

        RuntimeRoute route;
        var buffer = ArrayPool<byte>.Shared.Rent(MaxResolveBodyBytes);
        try
        {
            var length = await ReadBoundedAsync(context.Request.Body, buffer, context.RequestAborted);
            if (length < 0)
            {
                return Outcome.Refused(RuntimeProblems.BadRequest($"The body must be at most {MaxResolveBodyBytes / 1024} KB."));
            }

            var (found, problem, unknownModel) = Route(context, buffer.AsSpan(0, length), apiKey);
            if (problem is not null)
            {
                return Outcome.Refused(problem, found, unknownModel);
            }

            route = found!;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        var key = route.Key;
        var adapter = key.Adapter!;
        try
        {
            var provider = await adapter.CopilotConfigurationAsync(key.Connection!, key.PreparedCredential, adapter.AnswersWithTheGateway ? Caller(context) : NoCaller, context.RequestAborted);
            return new Outcome(route, provider, null, null);
        }
        catch (ProviderCallException e)
        {
            return Outcome.Refused(RuntimeProblems.CredentialRefused(route, e.Error.Message), route);
        }
    }

    private const string JsonContentType = "application/json; charset=utf-8";

    private static readonly StringValues NoStore = "no-store";

    /// <summary>For adapters whose answer does not name the portal's gateway: nothing of the request is needed.</summary>
    private static readonly ResolveCaller NoCaller = new("", null);

    /// <summary>The route of the body's model, or the problem to answer (with the model's ID when no route names it).</summary>
    private static (RuntimeRoute? Route, ProblemHttpResult? Problem, string? UnknownModel) Route(HttpContext context, ReadOnlySpan<byte> body, RuntimeApiKey apiKey)
    {
        Span<char> model = stackalloc char[ModelField.MaxLength];
        if (ModelField.TryRead(body, strict: true, model, out var modelLength) is { } error)
        {
            return (null, RuntimeProblems.BadRequest(error), null);
        }

        var resolution = ModelResolver.Resolve(apiKey, model[..modelLength]);
        if (resolution.Route is not { } route)
        {
            return (null, resolution.Problem, model[..modelLength].ToString());
        }

        RuntimeCalls.IdentifyKey(context.Response, route);
        return (route, resolution.Problem, null);
    }

    /// <summary>The portal's own gateway as this caller reached it, and the API key it presented (for providers served through the gateway).</summary>
    private static ResolveCaller Caller(HttpContext context)
    {
        var request = context.Request;
        var presented = Authentication.PresentedApiKey.Read(request.Headers);
        return new ResolveCaller($"{request.Scheme}://{request.Host}{request.PathBase}/v1", presented.IsEmpty ? null : presented.ToString());
    }

    /// <summary>Reads the whole body into <paramref name="buffer"/>; -1 when it is larger.</summary>
    private static async ValueTask<int> ReadBoundedAsync(Stream body, byte[] buffer, CancellationToken cancellationToken)
    {
        var length = 0;
        while (true)
        {
            var read = await body.ReadAsync(buffer.AsMemory(length, buffer.Length - length), cancellationToken);
            if (read == 0)
            {
                return length;
            }

            length += read;
            if (length == buffer.Length)
            {
                var probe = new byte[1];
                return await body.ReadAsync(probe, cancellationToken) == 0 ? length : -1;
            }
        }
    }
}

public static class RuntimeJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };
}
