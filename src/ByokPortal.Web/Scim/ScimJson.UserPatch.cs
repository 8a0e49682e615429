using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ByokPortal.Core.Scim;

namespace ByokPortal.Web.Scim;

public static partial class ScimJson
{
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

    /// <summary>
    /// Attributes of the core and enterprise user schemas the portal accepts without keeping: simple names, sub-attributes and
    /// value filters such as <c>emails[type eq "work"].value</c> or <c>phoneNumbers[type eq "mobile"].value</c>.
    /// </summary>
    [GeneratedRegex("^(name\\.(givenname|familyname|middlename|honorificprefix|honorificsuffix)|nickname|profileurl|title|usertype|preferredlanguage|locale|timezone|password|emails|phonenumbers|ims|photos|addresses|groups|entitlements|roles|x509certificates)(\\[[a-z]+ eq \"[^\"]*\"\\])?(\\.[a-z]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex KnownUserPath();
}
