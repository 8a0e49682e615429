using System.Buffers;
using System.Collections.Frozen;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using ByokPortal.Providers.Adapters;
using ByokPortal.Providers.Outbound;
using ByokPortal.Runtime.Resolution;
using ByokPortal.Runtime.Snapshots;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

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
    /// <summary>Request headers never sent upstream: hop-by-hop ones, the application's credentials and addresses, and what the content sets.</summary>
    private static readonly FrozenSet<string> RequestHeadersDropped = FrozenSet.ToFrozenSet(
    [
        HeaderNames.Connection, HeaderNames.KeepAlive, HeaderNames.ProxyConnection, HeaderNames.TE, HeaderNames.Trailer,
        HeaderNames.TransferEncoding, HeaderNames.Upgrade, HeaderNames.ProxyAuthorization, HeaderNames.ProxyAuthenticate, HeaderNames.Expect,
        HeaderNames.Host, HeaderNames.Authorization, PresentedApiKeyHeaders.Anthropic, PresentedApiKeyHeaders.Azure, HeaderNames.Cookie,
        "Forwarded", "X-Forwarded-For", "X-Forwarded-Host", "X-Forwarded-Proto", HeaderNames.ContentLength,
        // The answer is read as it passes (token counts, the key scrubbed from errors): it must come back uncompressed.
        HeaderNames.AcceptEncoding,
        "HTTP2-Settings", HeaderNames.AltSvc,
    ], StringComparer.OrdinalIgnoreCase);

    /// <summary>Response headers never passed back: hop-by-hop ones, the provider's cookies and server name.</summary>
    private static readonly FrozenSet<string> ResponseHeadersDropped = FrozenSet.ToFrozenSet(
    [
        HeaderNames.Connection, HeaderNames.KeepAlive, HeaderNames.ProxyConnection, HeaderNames.TE, HeaderNames.Trailer,
        HeaderNames.TransferEncoding, HeaderNames.Upgrade, HeaderNames.ProxyAuthenticate, HeaderNames.SetCookie, HeaderNames.Server,
        HeaderNames.AltSvc,
    ], StringComparer.OrdinalIgnoreCase);

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
        CopyRequestHeaders(context.Request.Headers, request);

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
            var connectionNamed = ConnectionTokens(response.Headers);
            CopyResponseHeaders(response.Headers.NonValidated, answer.Headers, connectionNamed);
            CopyResponseHeaders(response.Content.Headers.NonValidated, answer.Headers, connectionNamed);
            if (status >= 400)
            {
                if (status is StatusCodes.Status401Unauthorized or StatusCodes.Status403Forbidden)
                {
                    health.Refused(key, status, apiKey.Actor(context.Connection.RemoteIpAddress?.ToString()));
                }

                await WriteScrubbedErrorAsync(answer, response, key.Credential, settings.MaxErrorBodyBytes, activity, settings.UpstreamActivityTimeout, aborted);
                return null;
            }

            var mediaType = response.Content.Headers.ContentType?.MediaType;
            var usage = IsJson(mediaType) || IsEventStream(mediaType) ? new TokenUsageScanner() : null;
            if (IsEventStream(mediaType))
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
            await using var source = await response.Content.ReadAsStreamAsync(activity.Token);
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

    /// <summary>The provider's error body, bounded, with every occurrence of the provider key replaced.</summary>
    private static async Task WriteScrubbedErrorAsync(
        HttpResponse answer, HttpResponseMessage response, string? credential, int maxErrorBodyBytes, CancellationTokenSource activity, TimeSpan timeout, CancellationToken aborted)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(maxErrorBodyBytes);
        try
        {
            var length = 0;
            try
            {
                await using var body = await response.Content.ReadAsStreamAsync(activity.Token);
                int read;
                while (length < maxErrorBodyBytes && (read = await body.ReadAsync(buffer.AsMemory(length, maxErrorBodyBytes - length), activity.Token)) > 0)
                {
                    length += read;
                    activity.CancelAfter(timeout);
                }
            }
            catch (Exception e) when (e is OperationCanceledException or HttpRequestException or IOException)
            {
                if (aborted.IsCancellationRequested)
                {
                    return;
                }

                // What arrived before the provider failed is still passed back (scrubbed).
            }

            // A compressed body cannot be scrubbed: it is not passed back.
            var encoded = response.Content.Headers.ContentEncoding.Any(e => !e.Equals("identity", StringComparison.OrdinalIgnoreCase));
            var scrubbed = encoded ? [] : Scrub(buffer.AsSpan(0, length), credential);
            answer.Headers.ContentEncoding = StringValues.Empty;
            answer.Headers.ContentLength = scrubbed.Length;
            await answer.Body.WriteAsync(scrubbed, aborted);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    internal static byte[] Scrub(ReadOnlySpan<byte> body, string? credential)
    {
        if (string.IsNullOrEmpty(credential))
        {
            return body.ToArray();
        }

        var secret = Encoding.UTF8.GetBytes(credential);
        var redacted = "[redacted]"u8;
        using var output = new MemoryStream(body.Length);
        while (true)
        {
            var at = body.IndexOf(secret);
            if (at < 0)
            {
                output.Write(body);
                return output.ToArray();
            }

            output.Write(body[..at]);
            output.Write(redacted);
            body = body[(at + secret.Length)..];
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

    private static void CopyRequestHeaders(IHeaderDictionary headers, HttpRequestMessage request)
    {
        var connectionNamed = headers.Connection.Count > 0 ? ConnectionTokens((IEnumerable<string?>)headers.Connection) : null;
        foreach (var (name, values) in headers)
        {
            if (RequestHeadersDropped.Contains(name)
                || name.StartsWith(':')
                || name.StartsWith("x-byok-", StringComparison.OrdinalIgnoreCase)
                || (connectionNamed is not null && connectionNamed.Contains(name, StringComparer.OrdinalIgnoreCase)))
            {
                continue;
            }

            HttpHeaders target = name.StartsWith("Content-", StringComparison.OrdinalIgnoreCase) ? request.Content!.Headers : request.Headers;
            if (values.Count == 1)
            {
                target.TryAddWithoutValidation(name, values.ToString());
            }
            else
            {
                target.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
            }
        }
    }

    private static void CopyResponseHeaders(HttpHeadersNonValidated headers, IHeaderDictionary target, List<string>? connectionNamed)
    {
        foreach (var (name, values) in headers)
        {
            if (ResponseHeadersDropped.Contains(name)
                || name.StartsWith("x-byok-", StringComparison.OrdinalIgnoreCase)
                || (connectionNamed is not null && connectionNamed.Contains(name, StringComparer.OrdinalIgnoreCase)))
            {
                continue;
            }

            if (values.Count == 1)
            {
                target[name] = values.ToString();
            }
            else
            {
                var all = new string[values.Count];
                var i = 0;
                foreach (var value in values)
                {
                    all[i++] = value;
                }

                target[name] = all;
            }
        }
    }

    /// <summary>The headers a <c>Connection</c> header names: hop-by-hop too (RFC 9110, 7.6.1). Null when it names none (keep-alive, close).</summary>
    private static List<string>? ConnectionTokens(IEnumerable<string?> connection)
    {
        List<string>? tokens = null;
        foreach (var value in connection)
        {
            if (value is null || IsConnectionOption(value))
            {
                continue;
            }

            foreach (var token in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (!IsConnectionOption(token))
                {
                    (tokens ??= []).Add(token);
                }
            }
        }

        return tokens;
    }

    private static bool IsConnectionOption(string value) =>
        value.Equals("keep-alive", StringComparison.OrdinalIgnoreCase) || value.Equals("close", StringComparison.OrdinalIgnoreCase);

    private static List<string>? ConnectionTokens(HttpResponseHeaders headers) =>
        headers.NonValidated.TryGetValues(HeaderNames.Connection, out var values) ? ConnectionTokens(values) : null;

    private static bool IsJson(string? mediaType) => mediaType is not null && mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase);

    private static bool IsEventStream(string? mediaType) => mediaType is not null && mediaType.Equals("text/event-stream", StringComparison.OrdinalIgnoreCase);
}

internal static class PresentedApiKeyHeaders
{
    public const string Anthropic = Authentication.PresentedApiKey.AnthropicHeader;
    public const string Azure = Authentication.PresentedApiKey.AzureHeader;
}
