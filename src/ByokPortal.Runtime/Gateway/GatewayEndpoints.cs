using ByokPortal.Core.Usage;
using ByokPortal.Providers.Adapters;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace ByokPortal.Runtime.Gateway;

/// <summary>The gateway's routes: OpenAI-compatible chat completions, responses and embeddings, and Anthropic's messages.</summary>
public static class GatewayEndpoints
{
    public static void MapGatewayEndpoints(this IEndpointRouteBuilder routes)
    {
        Map(routes, "/v1/chat/completions", GatewayApi.ChatCompletions, UsageOperation.ChatCompletions, "ChatCompletions",
            "OpenAI-compatible chat completions, forwarded unchanged to the provider of the model's key (streamed answers pass through as server-sent events).");
        Map(routes, "/v1/responses", GatewayApi.Responses, UsageOperation.Responses, "Responses",
            "OpenAI's Responses API, forwarded unchanged to the provider of the model's key.");
        Map(routes, "/v1/embeddings", GatewayApi.Embeddings, UsageOperation.Embeddings, "Embeddings",
            "OpenAI-compatible embeddings, forwarded unchanged to the provider of the model's key.");
        Map(routes, "/v1/messages", GatewayApi.AnthropicMessages, UsageOperation.Messages, "AnthropicMessages",
            "Anthropic's Messages API, for models served by an Anthropic key.");
    }

    private static void Map(IEndpointRouteBuilder routes, string pattern, GatewayApi api, UsageOperation operation, string name, string summary)
    {
        // One forwarder for the process, found once: a request resolves nothing from the container for it.
        var forwarder = routes.ServiceProvider.GetRequiredService<GatewayForwarder>();
        routes.MapPost(pattern, Handler((HttpContext context) => forwarder.ForwardAsync(context, api, operation)))
            .WithName(name)
            .AnswerOwnFaults()
            .WithSummary(summary)
            .WithDescription("The body passes through unchanged; its top-level 'model' chooses the key. The answer carries x-byok-key-id and x-byok-key-source.")
            .DescribesJsonBody<System.Text.Json.JsonElement>()
            .Produces(StatusCodes.Status200OK, contentType: "application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status424FailedDependency)
            .ProducesProblem(StatusCodes.Status500InternalServerError)
            .ProducesProblem(StatusCodes.Status502BadGateway);
    }

    /// <summary>As a <see cref="Delegate"/>, so the route is described in the OpenAPI document (a bare RequestDelegate is not).</summary>
    internal static Delegate Handler(Func<HttpContext, Task> handler) => handler;
}
