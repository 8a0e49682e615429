using System.Globalization;
using ByokPortal.Core.People;

namespace ByokPortal.Web.Components.Enterprises.People;

/// <summary>How people's roles and dates read on the people pages.</summary>
public static class PeopleFormat
{
    public static string Role(OrganizationRole role) => role == OrganizationRole.Owner ? "Owner" : "Member";

    public static string Day(DateTimeOffset? value) => value is { } day ? day.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) : "Never";

    /// <summary>"" for a role given by hand; " · from groups" otherwise, so directory-managed roles are recognisable.</summary>
    public static string Source(bool byHand, bool fromGroups) => (byHand, fromGroups) switch
    {
        (true, true) => " · by hand and from groups",
        (false, true) => " · from groups",
        _ => "",
    };
}
