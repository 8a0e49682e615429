using System.Globalization;
using System.Text.Json.Nodes;
using ByokPortal.Core.Common;
using ByokPortal.Core.Scim;

namespace ByokPortal.Web.Scim;

/// <summary>SCIM 2.0's JSON (RFC 7643/7644): resources, list responses, error bodies, and the parsing of requests, filters and PATCH operations.</summary>
public static partial class ScimJson
{
    public const string ContentType = "application/scim+json";
    public const string UserSchema = "urn:ietf:params:scim:schemas:core:2.0:User";
    public const string GroupSchema = "urn:ietf:params:scim:schemas:core:2.0:Group";
    public const string ListSchema = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
    public const string ErrorSchema = "urn:ietf:params:scim:api:messages:2.0:Error";
    public const string PatchSchema = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

    public static IResult Resource(HttpContext context, JsonObject resource, int status = StatusCodes.Status200OK)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(resource);
        if (status == StatusCodes.Status201Created && resource["meta"]?["location"]?.GetValue<string>() is { } location)
        {
            context.Response.Headers.Location = location;
        }

        return TypedResults.Text(resource.ToJsonString(), ContentType, System.Text.Encoding.UTF8, status);
    }

    public static IResult Error(int status, string? scimType, string detail)
    {
        var body = new JsonObject
        {
            ["schemas"] = new JsonArray(ErrorSchema),
            ["status"] = status.ToString(CultureInfo.InvariantCulture),
            ["detail"] = detail,
        };
        if (scimType is not null)
        {
            body["scimType"] = scimType;
        }

        return TypedResults.Text(body.ToJsonString(), ContentType, System.Text.Encoding.UTF8, status);
    }

    public static Task WriteErrorAsync(HttpContext context, int status, string? scimType, string detail)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Error(status, scimType, detail).ExecuteAsync(context);
    }

    /// <summary>A use case's expected failure as a SCIM error.</summary>
    public static IResult Failure(Error error) => error switch
    {
        NotFoundError e => Error(StatusCodes.Status404NotFound, null, e.Message),
        ScimUniquenessError e => Error(StatusCodes.Status409Conflict, "uniqueness", e.Message),
        ConflictError e => Error(StatusCodes.Status409Conflict, null, e.Message),
        LastOwnerError e => Error(StatusCodes.Status400BadRequest, "mutability", e.Message),
        ValidationError e when e.Failures.ContainsKey("filter") => Error(StatusCodes.Status400BadRequest, "invalidFilter", e.Message),
        ValidationError e => Error(StatusCodes.Status400BadRequest, "invalidValue", e.Message),
        UnauthenticatedError e => Error(StatusCodes.Status401Unauthorized, null, e.Message),
        ForbiddenError e => Error(StatusCodes.Status403Forbidden, null, e.Message),
        _ => Error(StatusCodes.Status400BadRequest, null, error.Message),
    };

    public static JsonObject List(ScimPage<JsonObject> page)
    {
        ArgumentNullException.ThrowIfNull(page);
        return new JsonObject
        {
            ["schemas"] = new JsonArray(ListSchema),
            ["totalResults"] = page.TotalResults,
            ["startIndex"] = page.StartIndex,
            ["itemsPerPage"] = page.Resources.Count,
            ["Resources"] = new JsonArray(page.Resources.Select(r => (JsonNode)r).ToArray()),
        };
    }

    public static string BaseUrl(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return $"{context.Request.Scheme}://{context.Request.Host}{context.Request.PathBase}/scim/v2";
    }
}
