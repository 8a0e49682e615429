using System.Globalization;
using System.Text.Json.Nodes;
using ByokPortal.Core.Common;
using ByokPortal.Core.Scim;

namespace ByokPortal.Web.Scim;

public static partial class ScimJson
{
    public static JsonObject User(HttpContext context, ScimUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var resource = new JsonObject
        {
            ["schemas"] = new JsonArray(UserSchema),
            ["id"] = user.Id.ToString(),
            ["userName"] = user.UserName,
            ["displayName"] = user.DisplayName,
            ["name"] = new JsonObject { ["formatted"] = user.DisplayName },
            ["active"] = user.Active,
        };
        if (user.ExternalId is not null)
        {
            resource["externalId"] = user.ExternalId;
        }

        if (TextRules.IsEmail(user.UserName))
        {
            resource["emails"] = new JsonArray(new JsonObject { ["value"] = user.UserName, ["type"] = "work", ["primary"] = true });
        }

        resource["meta"] = Meta(context, "User", "Users", user.Id, user.Created, user.LastModified);
        return resource;
    }

    public static JsonObject Group(HttpContext context, ScimGroup group, bool includeMembers = true)
    {
        ArgumentNullException.ThrowIfNull(group);
        var resource = new JsonObject
        {
            ["schemas"] = new JsonArray(GroupSchema),
            ["id"] = group.Id.ToString(),
            ["displayName"] = group.DisplayName,
        };
        if (group.ExternalId is not null)
        {
            resource["externalId"] = group.ExternalId;
        }

        if (includeMembers)
        {
            resource["members"] = new JsonArray(group.Members.Select(m => (JsonNode)new JsonObject
            {
                ["value"] = m.Id.ToString(),
                ["display"] = m.UserName,
                ["$ref"] = BaseUrl(context) + "/Users/" + m.Id,
            }).ToArray());
        }

        resource["meta"] = Meta(context, "Group", "Groups", group.Id, group.Created, group.LastModified);
        return resource;
    }

    private static JsonObject Meta(HttpContext context, string resourceType, string endpoint, Guid id, DateTimeOffset created, DateTimeOffset lastModified) => new()
    {
        ["resourceType"] = resourceType,
        ["created"] = created.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        ["lastModified"] = lastModified.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        ["location"] = $"{BaseUrl(context)}/{endpoint}/{id}",
    };
}
