using Microsoft.AspNetCore.StaticAssets;

namespace ByokPortal.Web;

/// <summary>
/// Response headers that keep the portal's pages from being framed, sniffed or fed foreign scripts. Blazor Server needs no eval;
/// MudBlazor writes inline styles, hence 'unsafe-inline' for styles only. Form posts (sign-out) may redirect to the Entra ID instance.
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

        var policy = string.Join("; ",
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data:",
            "font-src 'self' data:",
            "connect-src 'self'",
            "frame-ancestors 'none'",
            "base-uri 'self'",
            "object-src 'none'",
            $"form-action {formTargets}");

        return app.Use(async (context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers.ContentSecurityPolicy = policy;
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
}
