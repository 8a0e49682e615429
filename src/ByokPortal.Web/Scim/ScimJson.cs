using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ByokPortal.Core.Common;
using ByokPortal.Core.Scim;

namespace ByokPortal.Web.Scim;

/// <summary>A request the SCIM protocol refuses before any work (RFC 7644 §3.12): its status and scimType.</summary>
public sealed class ScimProtocolException(int status, string? scimType, string detail) : Exception(detail)
{
    public int Status { get; } = status;

    public string? ScimType { get; } = scimType;
}

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

    private static JsonObject Meta(HttpContext context, string resourceType, string endpoint, Guid id, DateTimeOffset created, DateTimeOffset lastModified) => new()
    {
        ["resourceType"] = resourceType,
        ["created"] = created.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        ["lastModified"] = lastModified.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        ["location"] = $"{BaseUrl(context)}/{endpoint}/{id}",
    };

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

    /// <summary><c>attribute eq "value"</c>; other filters are refused with invalidFilter.</summary>
    public static ScimFilter? ParseFilter(string? filter)
    {
        if (string.IsNullOrWhiteSpace(filter))
        {
            return null;
        }

        var match = FilterPattern().Match(filter);
        if (!match.Success)
        {
            throw new ScimProtocolException(StatusCodes.Status400BadRequest, "invalidFilter",
                "Only filters of the form attribute eq \"value\" are supported (userName, externalId, id; displayName for groups).");
        }

        return new ScimFilter(match.Groups["attribute"].Value, UnescapeJsonString(match.Groups["value"].Value));
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

    /// <summary>
    /// A user PATCH (RFC 7644 §3.5.2) with Entra ID's habits: op names in any case ("Replace"), <c>active</c> as the string "False",
    /// attribute paths in a path-less value ("name.givenName"), and <c>emails[type eq "work"].value</c>. Attributes the portal does not
    /// keep (title, addresses, phone numbers, the enterprise extension) are accepted and not stored.
    /// </summary>
    public static ScimUserPatch ParseUserPatch(JsonObject body)
    {
        var patch = new ScimUserPatch();
        foreach (var (op, path, value) in Operations(body))
        {
            if (op == "remove")
            {
                if (path is null)
                {
                    throw new ScimProtocolException(StatusCodes.Status400BadRequest, "noTarget", "A remove operation needs a path.");
                }

                patch = Normalize(path) switch
                {
                    "externalid" => patch with { SetExternalId = true, ExternalId = null },
                    "username" or "active" => throw new ScimProtocolException(StatusCodes.Status400BadRequest, "mutability", $"{path} cannot be removed."),
                    _ => patch,
                };
                continue;
            }

            if (path is null)
            {
                if (value is not JsonObject values)
                {
                    throw new ScimProtocolException(StatusCodes.Status400BadRequest, "invalidValue", "An operation without a path needs an object value.");
                }

                foreach (var (attribute, attributeValue) in values)
                {
                    patch = ApplyUserAttribute(patch, attribute, attributeValue);
                }

                continue;
            }

            patch = ApplyUserAttribute(patch, path, value);
        }

        return patch;
    }

    /// <summary>A group PATCH: members added, removed (by <c>members[value eq "…"]</c>, by a value list, or all) or replaced; renames.</summary>
    public static ScimGroupPatch ParseGroupPatch(JsonObject body)
    {
        string? displayName = null;
        bool setExternalId = false;
        string? externalId = null;
        List<Guid>? replace = null;
        var add = new List<Guid>();
        var remove = new List<Guid>();

        void Add(IEnumerable<Guid> ids)
        {
            foreach (var id in ids)
            {
                remove.Remove(id);
                add.Add(id);
            }
        }

        void Remove(IEnumerable<Guid> ids)
        {
            foreach (var id in ids)
            {
                add.Remove(id);
                remove.Add(id);
            }
        }

        void Replace(IEnumerable<Guid> ids)
        {
            replace = ids.ToList();
            add.Clear();
            remove.Clear();
        }

        void ApplyValue(string op, string attribute, JsonNode? value)
        {
            switch (Normalize(attribute))
            {
                case "displayname":
                    displayName = String(value, "displayName") ?? throw new ScimProtocolException(StatusCodes.Status400BadRequest, "invalidValue", "displayName is required.");
                    break;
                case "externalid":
                    (setExternalId, externalId) = (true, String(value, "externalId"));
                    break;
                case "members":
                    if (op == "replace")
                    {
                        Replace(MemberIds(value));
                    }
                    else
                    {
                        Add(MemberIds(value));
                    }

                    break;
                case "id" or "schemas" or "meta":
                    break;
                default:
                    throw new ScimProtocolException(StatusCodes.Status400BadRequest, "invalidPath", $"{attribute} is not an attribute of a group.");
            }
        }

        foreach (var (op, path, value) in Operations(body))
        {
            if (op == "remove")
            {
                if (path is null)
                {
                    throw new ScimProtocolException(StatusCodes.Status400BadRequest, "noTarget", "A remove operation needs a path.");
                }

                var memberFilter = MemberPathPattern().Match(path);
                if (memberFilter.Success)
                {
                    Remove(Guid.TryParse(UnescapeJsonString(memberFilter.Groups["value"].Value), out var id) ? [id] : []);
                }
                else if (Normalize(path) == "members")
                {
                    if (value is null)
                    {
                        Replace([]);
                    }
                    else
                    {
                        Remove(MemberIds(value, ignoreInvalid: true));
                    }
                }
                else if (Normalize(path) == "externalid")
                {
                    (setExternalId, externalId) = (true, null);
                }
                else
                {
                    throw new ScimProtocolException(StatusCodes.Status400BadRequest, "invalidPath", $"{path} cannot be removed from a group.");
                }

                continue;
            }

            if (path is null)
            {
                if (value is not JsonObject values)
                {
                    throw new ScimProtocolException(StatusCodes.Status400BadRequest, "invalidValue", "An operation without a path needs an object value.");
                }

                foreach (var (attribute, attributeValue) in values)
                {
                    ApplyValue(op, attribute, attributeValue);
                }
            }
            else
            {
                ApplyValue(op, path, value);
            }
        }

        return new ScimGroupPatch(displayName, setExternalId, externalId, add, remove, replace);
    }

    private static ScimUserPatch ApplyUserAttribute(ScimUserPatch patch, string attribute, JsonNode? value)
    {
        var normalized = Normalize(attribute);
        if (normalized.StartsWith("urn:ietf:params:scim:schemas:extension:", StringComparison.Ordinal))
        {
            return patch;
        }

        return normalized switch
        {
            "username" => patch with { UserName = String(value, "userName") ?? throw new ScimProtocolException(StatusCodes.Status400BadRequest, "invalidValue", "userName is required.") },
            "displayname" => patch with { DisplayName = String(value, "displayName") },
            "name.formatted" when patch.DisplayName is null => patch with { DisplayName = String(value, "name.formatted") },
            "externalid" => patch with { SetExternalId = true, ExternalId = String(value, "externalId") },
            "active" => patch with { Active = Boolean(value, "active") },
            "name" when value is JsonObject name && patch.DisplayName is null => patch with { DisplayName = String(Get(name, "formatted"), "name.formatted") },
            "id" or "schemas" or "meta" => patch,
            _ when KnownUserPath().IsMatch(normalized) => patch,
            _ => throw new ScimProtocolException(StatusCodes.Status400BadRequest, "invalidPath", $"{attribute} is not a valid attribute path."),
        };
    }

    private static List<(string Op, string? Path, JsonNode? Value)> Operations(JsonObject body)
    {
        ArgumentNullException.ThrowIfNull(body);
        RequireSchema(body, PatchSchema);
        if (Get(body, "Operations") is not JsonArray operations || operations.Count == 0)
        {
            throw new ScimProtocolException(StatusCodes.Status400BadRequest, "invalidValue", "A PATCH request needs Operations.");
        }

        var parsed = new List<(string Op, string? Path, JsonNode? Value)>();
        foreach (var node in operations)
        {
            if (node is not JsonObject operation)
            {
                throw new ScimProtocolException(StatusCodes.Status400BadRequest, "invalidSyntax", "Each operation must be an object.");
            }

            var op = String(Get(operation, "op"), "op")?.ToLowerInvariant();
            if (op is not ("add" or "replace" or "remove"))
            {
                throw new ScimProtocolException(StatusCodes.Status400BadRequest, "invalidSyntax", "op must be add, remove or replace.");
            }

            var path = String(Get(operation, "path"), "path");
            parsed.Add((op, string.IsNullOrWhiteSpace(path) ? null : path.Trim(), Get(operation, "value")));
        }

        return parsed;
    }

    private static string Normalize(string path) => path.Trim().ToLowerInvariant() switch
    {
        var p when p.StartsWith(UserSchema.ToLowerInvariant() + ":", StringComparison.Ordinal) => p[(UserSchema.Length + 1)..],
        var p when p.StartsWith(GroupSchema.ToLowerInvariant() + ":", StringComparison.Ordinal) => p[(GroupSchema.Length + 1)..],
        var p => p,
    };

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

    private static string UnescapeJsonString(string value) => value.Replace("\\\"", "\"", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal);

    [GeneratedRegex("^\\s*(?<attribute>[A-Za-z][A-Za-z0-9._:$-]*)\\s+eq\\s+\"(?<value>(?:[^\"\\\\]|\\\\.)*)\"\\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex FilterPattern();

    [GeneratedRegex("^\\s*members\\s*\\[\\s*value\\s+eq\\s+\"(?<value>(?:[^\"\\\\]|\\\\.)*)\"\\s*\\]\\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex MemberPathPattern();

    /// <summary>
    /// Attributes of the core and enterprise user schemas the portal accepts without keeping: simple names, sub-attributes and
    /// value filters such as <c>emails[type eq "work"].value</c> or <c>phoneNumbers[type eq "mobile"].value</c>.
    /// </summary>
    [GeneratedRegex("^(name\\.(givenname|familyname|middlename|honorificprefix|honorificsuffix)|nickname|profileurl|title|usertype|preferredlanguage|locale|timezone|password|emails|phonenumbers|ims|photos|addresses|groups|entitlements|roles|x509certificates)(\\[[a-z]+ eq \"[^\"]*\"\\])?(\\.[a-z]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex KnownUserPath();
}
