using System.Buffers;
using System.Text.Json;
using ByokPortal.Core.Usage;
using ByokPortal.Providers.Adapters;
using ByokPortal.Runtime.Snapshots;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace ByokPortal.Runtime.Resolution;

/// <summary><c>GET /api/v1/models</c>, <c>POST /api/v1/resolve</c> and OpenAI's <c>GET /v1/models</c> (PRODUCT.md, "Runtime").</summary>
public static class ResolveEndpoints
{
    private const int MaxResolveBodyBytes = 16 * 1024;

    public static void MapResolveEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/v1/models", ListModels)
            .WithName("ListModels")
            .WithSummary("The models this API key may use, in resolution order, each with the key that serves it.")
            .Produces<ModelList>(StatusCodes.Status200OK, "application/json");

        routes.MapPost("/api/v1/resolve", ResolveAsync)
            .WithName("ResolveModel")
            .WithSummary("Resolves a model to a ready provider configuration (the GitHub Copilot SDK's createSession provider).")
            .Accepts<ResolveRequest>("application/json")
            .Produces<ResolveResponse>(StatusCodes.Status200OK, "application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status424FailedDependency)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        routes.MapGet("/v1/models", ListOpenAIModels)
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

    private static async Task<IResult> ResolveAsync(HttpContext context, RuntimeCalls calls)
    {
        var startedAt = calls.Time.GetTimestamp();
        if (calls.Admit(context, out var refusal) is not { } apiKey)
        {
            return refusal!;
        }

        var (result, route, model) = await ResolveBodyAsync(context, apiKey);
        calls.Record(apiKey, route, model, UsageOperation.Resolve, RuntimeCalls.StatusOf(result), startedAt);
        return result;
    }

    private static async Task<(IResult Result, RuntimeRoute? Route, string? Model)> ResolveBodyAsync(HttpContext context, RuntimeApiKey apiKey)
    {
        if (context.Request.HasJsonContentType() is false)
        {
            return (RuntimeProblems.BadRequest("Send the body as application/json: {\"model\":\"…\"}."), null, null);
        }

        var buffer = ArrayPool<byte>.Shared.Rent(MaxResolveBodyBytes);
        try
        {
            var length = await ReadBoundedAsync(context.Request.Body, buffer, context.RequestAborted);
            if (length < 0)
            {
                return (RuntimeProblems.BadRequest($"The body must be at most {MaxResolveBodyBytes / 1024} KB."), null, null);
            }

            var model = new char[ModelField.MaxLength];
            if (ModelField.TryRead(buffer.AsSpan(0, length), strict: true, model, out var modelLength) is { } error)
            {
                return (RuntimeProblems.BadRequest(error), null, null);
            }

            var resolution = ModelResolver.Resolve(apiKey, model.AsSpan(0, modelLength));
            if (resolution.Route is { } found)
            {
                RuntimeCalls.IdentifyKey(context.Response, found);
            }

            if (!resolution.CanServe)
            {
                return (resolution.Problem!, resolution.Route, resolution.Route is null ? new string(model, 0, modelLength) : null);
            }

            var route = resolution.Route!;
            context.Response.Headers.CacheControl = "no-store";
            var key = route.Key;
            CopilotProviderConfig provider;
            try
            {
                provider = await key.Adapter!.CopilotConfigurationAsync(key.Connection!, key.PreparedCredential, Caller(context), context.RequestAborted);
            }
            catch (ProviderCallException e)
            {
                return (RuntimeProblems.CredentialRefused(route, e.Error.Message), route, null);
            }

            return (TypedResults.Json(
                new ResolveResponse(route.ModelId, new ResolvedKey(key.Id, key.Name, route.SourceName), ProviderShape.From(provider), provider.Note),
                RuntimeJson.Options), route, null);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The portal's own gateway as this caller reached it, and the API key it presented (for providers served through the gateway).</summary>
    private static ResolveCaller Caller(HttpContext context)
    {
        var request = context.Request;
        var presented = Authentication.PresentedApiKey.Read(request.Headers);
        return new ResolveCaller($"{request.Scheme}://{request.Host}{request.PathBase}/v1", presented.IsEmpty ? null : presented.ToString());
    }

    /// <summary>Reads the whole body into <paramref name="buffer"/>; -1 when it is larger.</summary>
    private static async Task<int> ReadBoundedAsync(Stream body, byte[] buffer, CancellationToken cancellationToken)
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
