using System.Net;
using System.Net.Http.Headers;
using ByokPortal.Providers.Adapters;
using ByokPortal.Providers.Outbound;
using ByokPortal.Runtime.Resolution;
using ByokPortal.Runtime.Snapshots;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ByokPortal.Runtime.Gateway;

/// <summary>
/// One gateway call upstream and back, with <see cref="HttpMessageInvoker"/> on the gateway's guarded client. Request: the body that was
/// already read (one content of known length, so its headers and body leave in one write), the application's headers except its
/// credentials, hop-by-hop headers and <c>x-byok-*</c>, and the provider key put on by the adapter. Response: the provider's status, headers
/// (hop-by-hop, cookies and its Server header left out) and body as it arrives, chunk by chunk, while its token counts are read; an error
/// body comes back bounded and with the provider key scrubbed out (some providers echo it), and a 401 or 403 marks the key invalid. The
/// application's cancellation cancels the upstream call; so does a provider silent for longer than the activity timeout.
/// </summary>
internal static class GatewayExchange
{
    private const int CopyBufferHint = 4096;

    /// <summary>Sends the call and writes the answer; the answer is a problem when the provider could not be reached.</summary>
    /// <returns>The token counts the provider reported (none when it was not reached or reported none).</returns>
    public static async Task<TokenUsageScanner?> RunAsync(
        HttpContext context, RuntimeRoute route, Uri address, ReadOnlyMemory<byte> body, RuntimeApiKey apiKey, GatewayClient client,
        ProviderKeyHealth health, RuntimeOptions settings)
    {
        var key = route.Key;
        using var request = new HttpRequestMessage(HttpMethod.Post, address)
        {
            // HTTP/2 where the provider offers it over TLS, else HTTP/1.1 (never HTTP/3: it would bypass the guard's connect step).
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
            Content = new ReadOnlyMemoryContent(body),
        };
        GatewayHeaders.CopyRequestHeaders(context.Request.Headers, request);

        var aborted = context.RequestAborted;
        using var activity = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        activity.CancelAfter(settings.UpstreamActivityTimeout);
        HttpResponseMessage response;
        try
        {
            await key.Adapter!.AuthenticateAsync(request, key.Connection!, key.PreparedCredential, route.ModelId, body, activity.Token);
            response = await client.Invoker.SendAsync(request, activity.Token);
        }
        catch (ProviderCallException e)
        {
            await RuntimeProblems.CredentialRefused(route, e.Error.Message).ExecuteAsync(context);
            return null;
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            context.Response.StatusCode = StatusClientClosedRequest;
            return null;
        }
        catch (Exception e) when (e is OperationCanceledException or HttpRequestException or IOException or InvalidOperationException)
        {
            await UpstreamProblem(route, e, activity.IsCancellationRequested).ExecuteAsync(context);
            return null;
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            var answer = context.Response;
            answer.StatusCode = status;
            var connectionNamed = GatewayHeaders.ConnectionTokens(response.Headers);
            GatewayHeaders.CopyResponseHeaders(response.Headers.NonValidated, answer.Headers, connectionNamed);
            GatewayHeaders.CopyResponseHeaders(response.Content.Headers.NonValidated, answer.Headers, connectionNamed);
            if (status >= 400)
            {
                if (status is StatusCodes.Status401Unauthorized or StatusCodes.Status403Forbidden)
                {
                    health.Refused(key, status, apiKey.Actor(context.Connection.RemoteIpAddress?.ToString()));
                }

                await UpstreamErrorBody.WriteScrubbedErrorAsync(answer, response, key.Credential, settings.MaxErrorBodyBytes, activity, settings.UpstreamActivityTimeout, aborted);
                return null;
            }

            var mediaType = MediaType(response.Content.Headers);
            var eventStream = mediaType.Equals("text/event-stream", StringComparison.OrdinalIgnoreCase);
            var usage = eventStream || mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) ? new TokenUsageScanner() : null;
            if (eventStream)
            {
                // The application sees the answer begin at once, even when the first event is slow to come.
                await answer.StartAsync(aborted);
            }

            await CopyBodyAsync(context, response, usage, activity, settings.UpstreamActivityTimeout);
            return usage;
        }
    }

    /// <summary>Not an HTTP status anyone receives: what usage records when the application went away before the provider answered.</summary>
    public const int StatusClientClosedRequest = 499;

    /// <summary>The provider's body as it arrives, read straight into the response's buffers and sent on after every read.</summary>
    private static async Task CopyBodyAsync(HttpContext context, HttpResponseMessage response, TokenUsageScanner? usage, CancellationTokenSource activity, TimeSpan timeout)
    {
        var writer = context.Response.BodyWriter;
        var aborted = context.RequestAborted;
        try
        {
            // The answer's body is already a stream on the connection (the handler's own content): taking it reads nothing, so the
            // synchronous call spares each call a Task and an await.
            await using var source = response.Content.ReadAsStream(activity.Token);
            while (true)
            {
                var memory = writer.GetMemory(CopyBufferHint);
                var read = await source.ReadAsync(memory, activity.Token);
                if (read == 0)
                {
                    return;
                }

                usage?.Scan(memory.Span[..read]);
                writer.Advance(read);
                var flushed = await writer.FlushAsync(aborted);
                if (flushed.IsCanceled || flushed.IsCompleted)
                {
                    return;
                }

                activity.CancelAfter(timeout);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or HttpRequestException or IOException)
        {
            // The application went away (nothing more to do), or the provider failed or went silent in the middle of the answer: the
            // application must not take a cut answer for a whole one, so its connection is broken rather than the answer ended.
            if (!aborted.IsCancellationRequested)
            {
                context.Abort();
            }
        }
    }


    private static ProblemHttpResult UpstreamProblem(RuntimeRoute route, Exception exception, bool timedOut)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is OutboundAddressRefusedException)
            {
                return RuntimeProblems.UpstreamRefusedAddress(route);
            }
        }

        return timedOut ? RuntimeProblems.UpstreamTimedOut(route) : RuntimeProblems.UpstreamUnreachable(route);
    }

    /// <summary>
    /// The media type of the provider's Content-Type, read from the header as it came (the typed <c>ContentType</c> would parse it into
    /// objects on every call, for a comparison); empty when there is none.
    /// </summary>
    internal static ReadOnlySpan<char> MediaType(HttpContentHeaders headers)
    {
        if (!headers.NonValidated.TryGetValues("Content-Type", out var values) || values.Count == 0)
        {
            return [];
        }

        var value = values.ToString().AsSpan();
        var parameters = value.IndexOf(';');
        return (parameters < 0 ? value : value[..parameters]).Trim();
    }
}
