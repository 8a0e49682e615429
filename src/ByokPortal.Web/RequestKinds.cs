namespace ByokPortal.Web;

/// <summary>
/// Requests answered with status codes and problem details rather than pages: the runtime (resolve API, gateway, OpenAPI document), SCIM
/// provisioning, the health probe and file downloads.
/// They never redirect to sign-in and never get an HTML error page.
/// </summary>
public static class RequestKinds
{
    public static bool IsApiOrDownload(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Path.StartsWithSegments("/api")
               || request.Path.StartsWithSegments(Scim.ScimEndpoints.Prefix)
               || request.Path.StartsWithSegments("/v1")
               || request.Path.StartsWithSegments("/openapi")
               || request.Path.StartsWithSegments(Health.HealthSetup.Path)
               || request.Path.Value?.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) == true;
    }
}
