using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ByokPortal.Core.Scim;

namespace ByokPortal.Web.Scim;

public static partial class ScimJson
{
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

    [GeneratedRegex("^\\s*members\\s*\\[\\s*value\\s+eq\\s+\"(?<value>(?:[^\"\\\\]|\\\\.)*)\"\\s*\\]\\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex MemberPathPattern();
}
