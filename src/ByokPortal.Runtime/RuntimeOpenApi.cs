using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.Routing;
using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace ByokPortal.Runtime;

/// <summary>The OpenAPI document of the runtime's routes at <c>/openapi/v1.json</c>, and its browsable reference (Scalar) at <c>/api/reference</c>.</summary>
public static class RuntimeOpenApi
{
    public const string DocumentName = "v1";
    public const string DocumentPath = "/openapi/v1.json";
    public const string ReferencePath = "/api/reference";

    /// <summary>Where the reference page leaves the nonce of its script tags for the host's Content-Security-Policy.</summary>
    public const string ScriptNonceItem = ScalarOptions.NonceHttpContextItemKey;

    public static void Configure(OpenApiOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.ShouldInclude = description =>
            description.RelativePath is { } path && (path.StartsWith("api/v1/", StringComparison.Ordinal) || path.StartsWith("v1/", StringComparison.Ordinal));
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info = new OpenApiInfo
            {
                Title = "ByokPortal runtime",
                Version = "v1",
                Description = "Applications list their models, resolve a model to a ready provider configuration, or send OpenAI-compatible and " +
                              "Anthropic requests through the gateway, with an organization API key (Authorization: Bearer, x-api-key or api-key). " +
                              "Errors are RFC 7807 problem details.",
            };
            DescribeApiKeys(document);
            return Task.CompletedTask;
        });
    }

    /// <summary>
    /// The organization API key, in each of the three headers the runtime reads it from (<see cref="Authentication.PresentedApiKey"/>), as
    /// the security of every operation: any one of them will do. The reference page offers to enter the key.
    /// </summary>
    private static void DescribeApiKeys(OpenApiDocument document)
    {
        const string Issued = "An organization API key, issued on the organization's API keys page.";
        document.Components ??= new OpenApiComponents();
        var schemes = document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        schemes[BearerScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http, Scheme = "bearer", Description = Issued + " Authorization: Bearer <key> (OpenAI's SDKs).",
        };
        schemes[AnthropicScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey, In = ParameterLocation.Header, Name = AnthropicScheme, Description = Issued + " (Anthropic's SDKs).",
        };
        schemes[AzureScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey, In = ParameterLocation.Header, Name = AzureScheme, Description = Issued + " (Azure OpenAI's SDKs).",
        };
        foreach (var operation in (document.Paths ?? []).Values.SelectMany(path => (IEnumerable<OpenApiOperation>?)path.Operations?.Values ?? []))
        {
            operation.Security = [.. new[] { BearerScheme, AnthropicScheme, AzureScheme }.Select(scheme =>
                new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(scheme, document)] = [] })];
        }
    }

    /// <summary>The security schemes' names in the document: each named for the header the key is sent in.</summary>
    public const string BearerScheme = "bearer";
    public const string AnthropicScheme = Authentication.PresentedApiKey.AnthropicHeader;
    public const string AzureScheme = Authentication.PresentedApiKey.AzureHeader;

    /// <summary>
    /// Describes the route's JSON request body in the OpenAPI document, and nowhere else. (<c>Accepts&lt;T&gt;</c> would also make routing
    /// match every request's Content-Type before the route runs, on every call, and answer 415 without the route's problem details.)
    /// </summary>
    public static RouteHandlerBuilder DescribesJsonBody<T>(this RouteHandlerBuilder builder) =>
        builder.AddOpenApiOperationTransformer(async (operation, context, cancellationToken) =>
        {
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["application/json"] = new() { Schema = await context.GetOrCreateSchemaAsync(typeof(T), null, cancellationToken) },
                },
            };
        });

    public static void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapOpenApi(DocumentPath).AllowAnonymous();
        // A fresh nonce on every answer marks Scalar's own script tags (its start-up script is inline), so a host's Content-Security-Policy can
        // allow exactly those; its fonts are the browser's own, so nothing is fetched from elsewhere.
        endpoints.MapScalarApiReference(ReferencePath, options => options
                .WithOpenApiRoutePattern(DocumentPath)
                .WithTitle("ByokPortal runtime API")
                .WithNonce()
                .DisableDefaultFonts())
            .AllowAnonymous();
    }
}
