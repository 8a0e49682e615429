using System.Text.Json.Nodes;

namespace ByokPortal.Web.Scim;

/// <summary>The discovery resources of RFC 7644 §4: what this service provider supports, its resource types and their schemas.</summary>
public static class ScimDiscovery
{
    public static JsonObject ServiceProviderConfig(HttpContext context) => new()
    {
        ["schemas"] = new JsonArray("urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"),
        ["documentationUri"] = "https://datatracker.ietf.org/doc/html/rfc7644",
        ["patch"] = new JsonObject { ["supported"] = true },
        ["bulk"] = new JsonObject { ["supported"] = false, ["maxOperations"] = 0, ["maxPayloadSize"] = 0 },
        ["filter"] = new JsonObject { ["supported"] = true, ["maxResults"] = Core.Scim.ListScimUsersQuery.MaxCount },
        ["changePassword"] = new JsonObject { ["supported"] = false },
        ["sort"] = new JsonObject { ["supported"] = false },
        ["etag"] = new JsonObject { ["supported"] = false },
        ["authenticationSchemes"] = new JsonArray(new JsonObject
        {
            ["type"] = "oauthbearertoken",
            ["name"] = "SCIM token",
            ["description"] = "A SCIM token created by an enterprise owner under Settings → Identity, sent as Authorization: Bearer <token>.",
            ["primary"] = true,
        }),
        ["meta"] = new JsonObject { ["resourceType"] = "ServiceProviderConfig", ["location"] = ScimJson.BaseUrl(context) + "/ServiceProviderConfig" },
    };

    public static IReadOnlyList<JsonObject> ResourceTypes(HttpContext context) =>
    [
        ResourceType(context, "User", "/Users", ScimJson.UserSchema),
        ResourceType(context, "Group", "/Groups", ScimJson.GroupSchema),
    ];

    public static IReadOnlyList<JsonObject> Schemas(HttpContext context) =>
    [
        Schema(context, ScimJson.UserSchema, "User", "User Account",
            Attribute("userName", "string", required: true, uniqueness: "server", caseExact: false),
            Attribute("displayName", "string"),
            Attribute("externalId", "string", caseExact: true),
            Attribute("active", "boolean"),
            Complex("name", Attribute("formatted", "string"), Attribute("givenName", "string"), Attribute("familyName", "string")),
            Complex("emails", multiValued: true, Attribute("value", "string"), Attribute("type", "string"), Attribute("primary", "boolean"))),
        Schema(context, ScimJson.GroupSchema, "Group", "Group",
            Attribute("displayName", "string", required: true, uniqueness: "server"),
            Attribute("externalId", "string", caseExact: true),
            Complex("members", multiValued: true, Attribute("value", "string"), Attribute("display", "string"), Attribute("$ref", "reference"))),
    ];

    public static JsonObject List(IReadOnlyList<JsonObject> resources) =>
        ScimJson.List(new Core.Scim.ScimPage<JsonObject>(resources.Count, 1, resources.Select(r => (JsonObject)r.DeepClone()).ToList()));

    private static JsonObject ResourceType(HttpContext context, string name, string endpoint, string schema) => new()
    {
        ["schemas"] = new JsonArray("urn:ietf:params:scim:schemas:core:2.0:ResourceType"),
        ["id"] = name,
        ["name"] = name,
        ["endpoint"] = endpoint,
        ["schema"] = schema,
        ["meta"] = new JsonObject { ["resourceType"] = "ResourceType", ["location"] = $"{ScimJson.BaseUrl(context)}/ResourceTypes/{name}" },
    };

    private static JsonObject Schema(HttpContext context, string id, string name, string description, params JsonObject[] attributes) => new()
    {
        ["schemas"] = new JsonArray("urn:ietf:params:scim:schemas:core:2.0:Schema"),
        ["id"] = id,
        ["name"] = name,
        ["description"] = description,
        ["attributes"] = new JsonArray(attributes.Select(a => (JsonNode)a).ToArray()),
        ["meta"] = new JsonObject { ["resourceType"] = "Schema", ["location"] = $"{ScimJson.BaseUrl(context)}/Schemas/{id}" },
    };

    private static JsonObject Attribute(string name, string type, bool required = false, string uniqueness = "none", bool caseExact = false) => new()
    {
        ["name"] = name,
        ["type"] = type,
        ["multiValued"] = false,
        ["required"] = required,
        ["caseExact"] = caseExact,
        ["mutability"] = "readWrite",
        ["returned"] = "default",
        ["uniqueness"] = uniqueness,
    };

    private static JsonObject Complex(string name, params JsonObject[] subAttributes) => Complex(name, false, subAttributes);

    private static JsonObject Complex(string name, bool multiValued, params JsonObject[] subAttributes) => new()
    {
        ["name"] = name,
        ["type"] = "complex",
        ["multiValued"] = multiValued,
        ["required"] = false,
        ["mutability"] = "readWrite",
        ["returned"] = "default",
        ["subAttributes"] = new JsonArray(subAttributes.Select(a => (JsonNode)a).ToArray()),
    };
}
