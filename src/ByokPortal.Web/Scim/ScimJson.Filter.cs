using System.Text.RegularExpressions;
using ByokPortal.Core.Scim;

namespace ByokPortal.Web.Scim;

public static partial class ScimJson
{
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

    private static string UnescapeJsonString(string value) => value.Replace("\\\"", "\"", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal);

    [GeneratedRegex("^\\s*(?<attribute>[A-Za-z][A-Za-z0-9._:$-]*)\\s+eq\\s+\"(?<value>(?:[^\"\\\\]|\\\\.)*)\"\\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex FilterPattern();
}
