using System.Collections.Frozen;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace ByokPortal.Runtime.Gateway;

/// <summary>
/// The gateway's header hygiene: which of the application's request headers go upstream and which of the provider's response headers come
/// back (hop-by-hop ones, those a <c>Connection</c> header names, credentials, cookies and <c>x-byok-*</c> never do).
/// </summary>
internal static class GatewayHeaders
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

    internal static void CopyRequestHeaders(IHeaderDictionary headers, HttpRequestMessage request)
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

    internal static void CopyResponseHeaders(HttpHeadersNonValidated headers, IHeaderDictionary target, List<string>? connectionNamed)
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

    internal static List<string>? ConnectionTokens(HttpResponseHeaders headers) =>
        headers.NonValidated.TryGetValues(HeaderNames.Connection, out var values) ? ConnectionTokens(values) : null;
}

internal static class PresentedApiKeyHeaders
{
    public const string Anthropic = Authentication.PresentedApiKey.AnthropicHeader;
    public const string Azure = Authentication.PresentedApiKey.AzureHeader;
}
