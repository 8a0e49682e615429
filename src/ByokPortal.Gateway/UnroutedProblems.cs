namespace ByokPortal.Gateway;

/// <summary>
/// The gateway's answer to a request no route takes: a problem saying which addresses it serves (404), or, for a served address called
/// with another method, which methods it takes (405, with routing's <c>Allow</c> header). A check after routing, not a catch-all route:
/// a catch-all route is a candidate of every request, its path captured into route values each time (about 150 bytes per gateway call).
/// </summary>
internal static class UnroutedProblems
{
    /// <summary>The display name ASP.NET Core's routing gives the endpoint it picks when the path matched but the method did not.</summary>
    internal const string MethodRejectionName = "405 HTTP Method Not Supported";

    private const string Served =
        "The gateway serves /v1/chat/completions, /v1/responses, /v1/embeddings, /v1/messages, /v1/models, /api/v1/models and /api/v1/resolve.";

    public static IApplicationBuilder UseUnroutedProblems(this IApplicationBuilder app) =>
        app.Use(static (context, next) => context.GetEndpoint() switch
        {
            null => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: Served).ExecuteAsync(context),
            { DisplayName: MethodRejectionName, RequestDelegate: { } rejection } => MethodNotAllowedAsync(context, rejection),
            _ => next(context),
        });

    private static async Task MethodNotAllowedAsync(HttpContext context, RequestDelegate rejection)
    {
        await rejection(context); // 405 and the Allow header naming the methods the address takes
        var allowed = context.Response.Headers.Allow.ToString();
        await TypedResults.Problem(statusCode: StatusCodes.Status405MethodNotAllowed, title: "Method not allowed",
            detail: allowed.Length > 0 ? $"This address takes {allowed}." : "This address takes other methods.").ExecuteAsync(context);
    }
}
