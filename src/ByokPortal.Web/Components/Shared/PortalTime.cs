using System.Globalization;

namespace ByokPortal.Web.Components.Shared;

/// <summary>How pages write times: always UTC, said so, the same everywhere.</summary>
public static class PortalTime
{
    public static string Day(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>"2026-11-29 19:32 UTC".</summary>
    public static string Minute(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " UTC";

    public static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
