using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ByokPortal.Core.Scim;

namespace ByokPortal.Web.Scim;

public static partial class ScimJson
{
    /// <summary>The request body as a JSON object; anything else is invalidSyntax.</summary>
    public static async Task<JsonObject> ReadBodyAsync(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        try
        {
            return await JsonNode.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted) as JsonObject
                   ?? throw new ScimProtocolException(StatusCodes.Status400BadRequest, "invalidSyntax", "The request body must be a JSON object.");
        }
        catch (JsonException)
        {
            throw new ScimProtocolException(StatusCodes.Status400BadRequest, "invalidSyntax", "The request body is not valid JSON.");
        }
    }

    public static (int StartIndex, int Count) Paging(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var startIndex = int.TryParse(request.Query["startIndex"], NumberStyles.Integer, CultureInfo.InvariantCulture, out var s) ? s : 1;
        var count = int.TryParse(request.Query["count"], NumberStyles.Integer, CultureInfo.InvariantCulture, out var c) ? c : 100;
        return (Math.Max(startIndex, 1), Math.Max(count, 0));
    }

    /// <summary>A user of POST or PUT: userName, externalId, displayName (or name.formatted, or given and family names), active.</summary>
    public static ScimUserInput ParseUser(JsonObject body)
    {
        ArgumentNullException.ThrowIfNull(body);
        RequireSchema(body, UserSchema);
        var userName = String(Get(body, "userName"), "userName");
        if (string.IsNullOrWhiteSpace(userName))
        {
            throw new ScimProtocolException(StatusCodes.Status400BadRequest, "invalidValue", "userName is required.");
        }

        var name = Get(body, "name") as JsonObject;
        var displayName = String(Get(body, "displayName"), "displayName")
                          ?? String(name is null ? null : Get(name, "formatted"), "name.formatted")
                          ?? JoinNames(String(name is null ? null : Get(name, "givenName"), "name.givenName"), String(name is null ? null : Get(name, "familyName"), "name.familyName"));
        var active = Get(body, "active") is { } activeNode ? Boolean(activeNode, "active") : true;
        return new ScimUserInput(userName, String(Get(body, "externalId"), "externalId"), displayName, active);
    }

    public static ScimGroupInput ParseGroup(JsonObject body)
    {
        ArgumentNullException.ThrowIfNull(body);
        RequireSchema(body, GroupSchema);
        var displayName = String(Get(body, "displayName"), "displayName");
        if (string.IsNullOrWhiteSpace(displayName))
        {
            throw new ScimProtocolException(StatusCodes.Status400BadRequest, "invalidValue", "displayName is required.");
        }

        return new ScimGroupInput(displayName, String(Get(body, "externalId"), "externalId"), MemberIds(Get(body, "members")));
    }

    private static void RequireSchema(JsonObject body, string schema)
    {
        if (Get(body, "schemas") is JsonArray schemas && !schemas.Any(s => s is JsonValue v && v.TryGetValue<string>(out var text) && string.Equals(text, schema, StringComparison.OrdinalIgnoreCase)))
        {
            throw new ScimProtocolException(StatusCodes.Status400BadRequest, "invalidSyntax", $"schemas must include {schema}.");
        }
    }

    /// <summary>Attribute names are case-insensitive (RFC 7643 §2.1).</summary>
    private static JsonNode? Get(JsonObject body, string name) =>
        body.FirstOrDefault(p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

    private static string? String(JsonNode? node, string attribute) => node switch
    {
        null => null,
        JsonValue value when value.TryGetValue<string>(out var text) => text,
        JsonValue value when value.GetValueKind() is JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.ToJsonString(),
        _ => throw new ScimProtocolException(StatusCodes.Status400BadRequest, "invalidValue", $"{attribute} must be a string."),
    };

    /// <summary>A boolean, or Entra ID's string form ("True", "False").</summary>
    private static bool Boolean(JsonNode? node, string attribute) => node switch
    {
        JsonValue value when value.GetValueKind() == JsonValueKind.True => true,
        JsonValue value when value.GetValueKind() == JsonValueKind.False => false,
        JsonValue value when value.TryGetValue<string>(out var text) && bool.TryParse(text.Trim(), out var parsed) => parsed,
        _ => throw new ScimProtocolException(StatusCodes.Status400BadRequest, "invalidValue", $"{attribute} must be true or false."),
    };

    private static List<Guid> MemberIds(JsonNode? node, bool ignoreInvalid = false)
    {
        var items = node switch
        {
            null => [],
            JsonArray array => array.ToList(),
            JsonObject single => [single],
            _ => throw new ScimProtocolException(StatusCodes.Status400BadRequest, "invalidValue", "members must be a list of { \"value\": id }."),
        };
        var ids = new List<Guid>();
        foreach (var item in items)
        {
            var text = item is JsonObject member ? String(Get(member, "value"), "members.value") : null;
            if (Guid.TryParse(text, out var id))
            {
                ids.Add(id);
            }
            else if (!ignoreInvalid)
            {
                throw new ScimProtocolException(StatusCodes.Status400BadRequest, "invalidValue", $"Member \"{text}\" is not a user of this service provider.");
            }
        }

        return ids;
    }

    private static string? JoinNames(string? given, string? family) =>
        string.IsNullOrWhiteSpace(given) && string.IsNullOrWhiteSpace(family) ? null : $"{given} {family}".Trim();
}
