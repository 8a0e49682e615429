using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ByokPortal.Testing;

/// <summary>
/// The stand-in's inference endpoints, for the gateway: each accepts exactly its provider's path and credential header and refuses
/// anything else (401 echoing the presented key, as careless providers do), answers in its provider's shape with token usage, and streams
/// server-sent events when asked (<c>"stream": true</c>). A request whose last message says "slow" streams one chunk, then waits for
/// <see cref="ReleaseSlowStream"/> (or the caller's cancellation, recorded in <see cref="CancelledStreams"/>).
/// </summary>
public sealed partial class ProviderStandIn
{
    public const int PromptTokens = 11;
    public const int CompletionTokens = 7;
    public const string Reply = "Hello from the stand-in.";

    private TaskCompletionSource _slowRelease = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _cancelledStreams;

    /// <summary>Slow streams whose caller went away before they finished (the gateway passed the cancellation on).</summary>
    public int CancelledStreams => Volatile.Read(ref _cancelledStreams);

    public string GoogleOpenAIBaseUrl => $"{Root}/google/v1beta/openai";

    /// <summary>While set, the inference endpoints refuse every key (a key revoked at the provider); model lists still accept the good one.</summary>
    public bool RejectEveryKey { get; set; }

    public void ReleaseSlowStream()
    {
        var release = Interlocked.Exchange(ref _slowRelease, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        release.TrySetResult();
    }

    private void MapGateway(WebApplication app)
    {
        // OpenAI and the OpenAI-compatible providers: Bearer key at {base}/chat/completions, /embeddings, /responses.
        app.MapPost("/v1/chat/completions", (HttpContext c) => Chat(c, Bearer(c)));
        app.MapPost("/v1/embeddings", (HttpContext c) => Embeddings(c, Bearer(c)));
        app.MapPost("/v1/responses", (HttpContext c) => Responses(c, Bearer(c)));

        // Google AI Studio's OpenAI-compatible endpoint.
        app.MapPost("/google/v1beta/openai/chat/completions", (HttpContext c) => Chat(c, Bearer(c)));

        // Anthropic: its Messages API with x-api-key and anthropic-version, and its OpenAI-compatible chat completions with a Bearer key.
        app.MapPost("/anthropic/v1/messages", (HttpContext c) =>
            c.Request.Headers["anthropic-version"].ToString().Length == 0 ? BadRequestAsync(c, "anthropic-version is required") : Messages(c, c.Request.Headers["x-api-key"].ToString()));
        app.MapPost("/anthropic/v1/chat/completions", (HttpContext c) => Chat(c, Bearer(c)));

        // Azure OpenAI: the deployment in the path, api-version in the query, api-key header.
        app.MapPost("/azure/openai/deployments/{deployment}/chat/completions", (HttpContext c, string deployment) =>
            !c.Request.Query.ContainsKey("api-version") ? BadRequestAsync(c, "api-version is required") : Chat(c, c.Request.Headers["api-key"].ToString(), deployment));
        app.MapPost("/azure/openai/deployments/{deployment}/embeddings", (HttpContext c, string deployment) =>
            !c.Request.Query.ContainsKey("api-version") ? BadRequestAsync(c, "api-version is required") : Embeddings(c, c.Request.Headers["api-key"].ToString(), deployment));

        // Microsoft Foundry: OpenAI's API at the deployment URL with the api-key header.
        app.MapPost("/foundry/deployments/main/chat/completions", (HttpContext c) => Chat(c, c.Request.Headers["api-key"].ToString()));
    }

    private static string Bearer(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.Ordinal) ? header["Bearer ".Length..] : "";
    }

    private async Task Chat(HttpContext context, string presentedKey, string? deployment = null)
    {
        if (await RefusedAsync(context, presentedKey) is not { } body)
        {
            return;
        }

        var model = deployment ?? body["model"]?.GetValue<string>() ?? "";
        if (body["stream"]?.GetValue<bool>() == true)
        {
            var includeUsage = body["stream_options"]?["include_usage"]?.GetValue<bool>() == true;
            await StreamAsync(context, IsSlow(body), Chunks(model, includeUsage));
            return;
        }

        await context.Response.WriteAsJsonAsync(new
        {
            id = "chatcmpl-standin",
            @object = "chat.completion",
            created = 1_700_000_000,
            model,
            choices = new[] { new { index = 0, message = new { role = "assistant", content = Reply }, finish_reason = "stop" } },
            usage = new { prompt_tokens = PromptTokens, completion_tokens = CompletionTokens, total_tokens = PromptTokens + CompletionTokens },
        });
    }

    private static IEnumerable<string> Chunks(string model, bool includeUsage)
    {
        var words = Reply.Split(' ');
        for (var i = 0; i < words.Length; i++)
        {
            var text = (i == 0 ? "" : " ") + words[i];
            yield return JsonSerializer.Serialize(new
            {
                id = "chatcmpl-standin",
                @object = "chat.completion.chunk",
                created = 1_700_000_000,
                model,
                choices = new[] { new { index = 0, delta = new { content = text }, finish_reason = (string?)null } },
                usage = (object?)null,
            });
        }

        if (includeUsage)
        {
            yield return JsonSerializer.Serialize(new
            {
                id = "chatcmpl-standin",
                @object = "chat.completion.chunk",
                created = 1_700_000_000,
                model,
                choices = Array.Empty<object>(),
                usage = new { prompt_tokens = PromptTokens, completion_tokens = CompletionTokens, total_tokens = PromptTokens + CompletionTokens },
            });
        }

        yield return "[DONE]";
    }

    private async Task Embeddings(HttpContext context, string presentedKey, string? deployment = null)
    {
        if (await RefusedAsync(context, presentedKey) is not { } body)
        {
            return;
        }

        await context.Response.WriteAsJsonAsync(new
        {
            @object = "list",
            data = new[] { new { @object = "embedding", index = 0, embedding = new[] { 0.25f, -0.5f, 0.75f } } },
            model = deployment ?? body["model"]?.GetValue<string>(),
            usage = new { prompt_tokens = PromptTokens, total_tokens = PromptTokens },
        });
    }

    private async Task Responses(HttpContext context, string presentedKey)
    {
        if (await RefusedAsync(context, presentedKey) is not { } body)
        {
            return;
        }

        await context.Response.WriteAsJsonAsync(new
        {
            id = "resp_standin",
            @object = "response",
            created_at = 1_700_000_000,
            status = "completed",
            model = body["model"]?.GetValue<string>(),
            output = new[]
            {
                new { type = "message", id = "msg_standin", status = "completed", role = "assistant", content = new[] { new { type = "output_text", text = Reply, annotations = Array.Empty<object>() } } },
            },
            usage = new { input_tokens = PromptTokens, output_tokens = CompletionTokens, total_tokens = PromptTokens + CompletionTokens },
        });
    }

    private async Task Messages(HttpContext context, string presentedKey)
    {
        if (await RefusedAsync(context, presentedKey) is not { } body)
        {
            return;
        }

        var model = body["model"]?.GetValue<string>() ?? "";
        if (body["stream"]?.GetValue<bool>() == true)
        {
            await StreamAsync(context, IsSlow(body), AnthropicEvents(model), anthropic: true);
            return;
        }

        await context.Response.WriteAsJsonAsync(new
        {
            id = "msg_standin",
            type = "message",
            role = "assistant",
            model,
            content = new[] { new { type = "text", text = Reply } },
            stop_reason = "end_turn",
            stop_sequence = (string?)null,
            usage = new { input_tokens = PromptTokens, output_tokens = CompletionTokens },
        });
    }

    private static IEnumerable<string> AnthropicEvents(string model)
    {
        yield return "message_start\n" + JsonSerializer.Serialize(new
        {
            type = "message_start",
            message = new { id = "msg_standin", type = "message", role = "assistant", model, content = Array.Empty<object>(), stop_reason = (string?)null, stop_sequence = (string?)null, usage = new { input_tokens = PromptTokens, output_tokens = 1 } },
        });
        yield return "content_block_start\n" + JsonSerializer.Serialize(new { type = "content_block_start", index = 0, content_block = new { type = "text", text = "" } });
        yield return "content_block_delta\n" + JsonSerializer.Serialize(new { type = "content_block_delta", index = 0, delta = new { type = "text_delta", text = Reply } });
        yield return "content_block_stop\n" + JsonSerializer.Serialize(new { type = "content_block_stop", index = 0 });
        yield return "message_delta\n" + JsonSerializer.Serialize(new { type = "message_delta", delta = new { stop_reason = "end_turn", stop_sequence = (string?)null }, usage = new { output_tokens = CompletionTokens } });
        yield return "message_stop\n" + JsonSerializer.Serialize(new { type = "message_stop" });
    }

    /// <summary>Writes server-sent events one by one, flushing each; a slow stream waits after its first event.</summary>
    private async Task StreamAsync(HttpContext context, bool slow, IEnumerable<string> events, bool anthropic = false)
    {
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        var first = true;
        try
        {
            foreach (var item in events)
            {
                var text = anthropic
                    ? $"event: {item[..item.IndexOf('\n', StringComparison.Ordinal)]}\ndata: {item[(item.IndexOf('\n', StringComparison.Ordinal) + 1)..]}\n\n"
                    : $"data: {item}\n\n";
                await context.Response.WriteAsync(text, context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
                if (first && slow)
                {
                    await _slowRelease.Task.WaitAsync(context.RequestAborted);
                }

                first = false;
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            Interlocked.Increment(ref _cancelledStreams);
        }
    }

    private static bool IsSlow(JsonNode body) =>
        body["messages"] is JsonArray messages && messages.LastOrDefault()?["content"]?.ToString().Contains("slow", StringComparison.Ordinal) == true;

    /// <summary>The request's JSON, or null after answering 401 (wrong key, echoed back) or 400 (not JSON, or an unknown model).</summary>
    private async Task<JsonNode?> RefusedAsync(HttpContext context, string presentedKey)
    {
        if (RejectEveryKey || !string.Equals(presentedKey, AcceptedKey, StringComparison.Ordinal))
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            await context.Response.WriteAsJsonAsync(new { error = new { message = $"Incorrect API key provided: {presentedKey}", type = "invalid_request_error" } });
            return null;
        }

        JsonNode? body;
        try
        {
            body = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
        }
        catch (JsonException)
        {
            await BadRequestAsync(context, "The body is not JSON.");
            return null;
        }

        return body;
    }

    private static async Task BadRequestAsync(HttpContext context, string message)
    {
        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        await context.Response.WriteAsync(message, Encoding.UTF8);
    }
}
