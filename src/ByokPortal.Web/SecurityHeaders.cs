using ByokPortal.Runtime;
using Microsoft.AspNetCore.StaticAssets;

namespace ByokPortal.Web;

/// <summary>
/// Response headers that keep the portal's pages from being framed, sniffed or fed foreign scripts. Blazor Server needs no eval;
/// MudBlazor writes inline styles, hence 'unsafe-inline' for styles only. Form posts (sign-out) may redirect to the Entra ID instance.
/// The runtime's API reference (Scalar, under <see cref="RuntimeOpenApi.ReferencePath"/>) starts with an inline script: that page alone
/// also allows the scripts carrying the nonce it generated for that very answer; every other page keeps <c>script-src 'self'</c>.
/// Every answer except static assets carries <c>Cache-Control: no-store</c>: pages show keys, tokens and the audit log, and no
/// browser or proxy cache may keep them. (The <c>Server</c> header is switched off in Kestrel's options.)
/// </summary>
public static class SecurityHeaders
{
    public static IApplicationBuilder UsePortalSecurityHeaders(this IApplicationBuilder app, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var formTargets = "'self'";
        if (!string.IsNullOrWhiteSpace(configuration["AzureAd:ClientId"]) && Uri.TryCreate(configuration["AzureAd:Instance"], UriKind.Absolute, out var instance))
        {
            formTargets += " " + instance.GetLeftPart(UriPartial.Authority);
        }

        string Policy(string scripts) => string.Join("; ",
            "default-src 'self'",
            $"script-src {scripts}",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data:",
            "font-src 'self' data:",
            "connect-src 'self'",
            "frame-ancestors 'none'",
            "base-uri 'self'",
            "object-src 'none'",
            $"form-action {formTargets}");
        var policy = Policy("'self'");

        return app.Use(async (context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers.ContentSecurityPolicy = ReferenceNonce(context) is { } nonce ? Policy($"'self' 'nonce-{nonce}'") : policy;
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                headers["Referrer-Policy"] = "same-origin";
                headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
                if (context.GetEndpoint()?.Metadata.GetMetadata<StaticAssetDescriptor>() is null)
                {
                    headers.CacheControl = "no-store";
                    headers.Pragma = "no-cache";
                }

                return Task.CompletedTask;
            });
            await next(context);
        });
    }

    /// <summary>The nonce the API reference put on its script tags in this answer; null on every other page.</summary>
    private static string? ReferenceNonce(HttpContext context) =>
        context.Request.Path.StartsWithSegments(RuntimeOpenApi.ReferencePath, StringComparison.OrdinalIgnoreCase)
        && context.Items.TryGetValue(RuntimeOpenApi.ScriptNonceItem, out var value) && value is string { Length: > 0 } nonce
        && nonce.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '+' or '/' or '=')
            ? nonce
            : null;
}
