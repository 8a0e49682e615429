using System.Buffers;
using System.Text;
using ByokPortal.Runtime.Resolution;
using ByokPortal.Runtime.Snapshots;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using Yarp.ReverseProxy.Forwarder;

namespace ByokPortal.Runtime.Gateway;

/// <summary>
/// One gateway call's transforms. Request: the application's headers go through except its credentials (its API key, cookies), the address
/// becomes the provider's, and the provider key goes in the provider's own header. Response: the provider's status, headers and body come
/// back, plus which key served it; an error body is passed back with the provider key scrubbed out (some providers echo it), and a 401 or
/// 403 marks the key invalid; a successful body streams through while its token counts are read.
/// </summary>
internal sealed class GatewayExchange(RuntimeRoute route, Uri address, ReadOnlyMemory<byte> body, RuntimeApiKey apiKey, ProviderKeyHealth health, int maxErrorBodyBytes) : HttpTransformer
{
    private static readonly string[] CallerCredentialHeaders =
    [
        HeaderNames.Authorization, PresentedApiKeyHeaders.Anthropic, PresentedApiKeyHeaders.Azure, HeaderNames.Cookie, HeaderNames.Host,
        HeaderNames.ProxyAuthorization, "Forwarded", "X-Forwarded-For", "X-Forwarded-Host", "X-Forwarded-Proto",
    ];

    private static readonly string[] ProviderResponseHeadersDropped = [HeaderNames.SetCookie, HeaderNames.Server];

    public TokenUsageScanner Usage { get; } = new();

    public RuntimeRoute Route => route;

    public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
    {
        await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken);
        foreach (var header in CallerCredentialHeaders)
        {
            proxyRequest.Headers.Remove(header);
        }

        RemoveByokHeaders(proxyRequest.Headers);
        proxyRequest.Headers.Host = null;
        proxyRequest.RequestUri = address;
        await route.Key.Adapter!.AuthenticateAsync(proxyRequest, route.Key.Connection!, route.Key.PreparedCredential, route.ModelId, body, cancellationToken);
    }

    public override async ValueTask<bool> TransformResponseAsync(HttpContext httpContext, HttpResponseMessage? proxyResponse, CancellationToken cancellationToken)
    {
        var copyBody = await base.TransformResponseAsync(httpContext, proxyResponse, cancellationToken);
        if (proxyResponse is null)
        {
            return copyBody;
        }

        var headers = httpContext.Response.Headers;
        foreach (var header in ProviderResponseHeadersDropped)
        {
            headers.Remove(header);
        }

        RuntimeCalls.IdentifyKey(httpContext.Response, route);
        var status = (int)proxyResponse.StatusCode;
        if (status >= 400)
        {
            if (status is StatusCodes.Status401Unauthorized or StatusCodes.Status403Forbidden)
            {
                health.Refused(route.Key, status, apiKey.Actor(httpContext.Connection.RemoteIpAddress?.ToString()));
            }

            await WriteScrubbedErrorAsync(httpContext, proxyResponse, cancellationToken);
            return false;
        }

        if (IsScannable(proxyResponse.Content.Headers.ContentType?.MediaType))
        {
            proxyResponse.Content = new UsageScanningContent(proxyResponse.Content, Usage);
        }

        return copyBody;
    }

    /// <summary>The provider's error body, bounded, with every occurrence of the provider key replaced.</summary>
    private async Task WriteScrubbedErrorAsync(HttpContext httpContext, HttpResponseMessage proxyResponse, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(maxErrorBodyBytes);
        try
        {
            await using var body = await proxyResponse.Content.ReadAsStreamAsync(cancellationToken);
            var length = 0;
            int read;
            while (length < maxErrorBodyBytes && (read = await body.ReadAsync(buffer.AsMemory(length, maxErrorBodyBytes - length), cancellationToken)) > 0)
            {
                length += read;
            }

            var scrubbed = Scrub(buffer.AsSpan(0, length), route.Key.Credential);
            httpContext.Response.Headers.ContentLength = scrubbed.Length;
            httpContext.Response.Headers.Remove(HeaderNames.ContentEncoding);
            await httpContext.Response.Body.WriteAsync(scrubbed, cancellationToken);
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

    private static bool IsScannable(string? mediaType) =>
        mediaType is not null && (mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
                                  || mediaType.Equals("text/event-stream", StringComparison.OrdinalIgnoreCase));

    private static void RemoveByokHeaders(System.Net.Http.Headers.HttpRequestHeaders headers)
    {
        List<string>? byok = null;
        foreach (var header in headers)
        {
            if (header.Key.StartsWith("x-byok-", StringComparison.OrdinalIgnoreCase))
            {
                (byok ??= []).Add(header.Key);
            }
        }

        if (byok is not null)
        {
            foreach (var name in byok)
            {
                headers.Remove(name);
            }
        }
    }
}

internal static class PresentedApiKeyHeaders
{
    public const string Anthropic = Authentication.PresentedApiKey.AnthropicHeader;
    public const string Azure = Authentication.PresentedApiKey.AzureHeader;
}
