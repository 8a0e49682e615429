using System.Text.Json.Nodes;

namespace ByokPortal.Web.Scim;

public static partial class ScimJson
{
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
}
