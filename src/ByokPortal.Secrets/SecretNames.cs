using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace ByokPortal.Secrets;

/// <summary>Opaque secret names: random, never derived from a customer's, organization's or key's name.</summary>
internal static partial class SecretNames
{
    /// <summary>Every credential's name starts with this; the sweeper never touches a secret without it.</summary>
    public const string Prefix = "byok-";

    public static string NewName() => Prefix + Guid.NewGuid().ToString("N");

    public static string NewLocalVersion(TimeProvider time) =>
        time.GetUtcNow().UtcTicks.ToString("x16", System.Globalization.CultureInfo.InvariantCulture) + RandomNumberGenerator.GetHexString(8, lowercase: true);

    /// <summary>When a local version was written: its first 16 characters are the UTC ticks in hex; null for anything else.</summary>
    public static DateTimeOffset? LocalVersionWrittenAt(string version) =>
        version.Length > 16
        && long.TryParse(version.AsSpan(0, 16), System.Globalization.NumberStyles.AllowHexSpecifier, System.Globalization.CultureInfo.InvariantCulture, out var ticks)
        && ticks >= DateTimeOffset.MinValue.UtcTicks && ticks <= DateTimeOffset.MaxValue.UtcTicks
            ? new DateTimeOffset(ticks, TimeSpan.Zero)
            : null;

    /// <summary>Names and versions are also file names in the local store: anything else is refused (no path traversal).</summary>
    public static bool IsSafe(string value) => SafePattern().IsMatch(value);

    [GeneratedRegex("^[A-Za-z0-9-]{1,127}$", RegexOptions.CultureInvariant)]
    private static partial Regex SafePattern();
}
