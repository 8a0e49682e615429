using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace ByokPortal.Secrets;

/// <summary>Opaque secret names: random, never derived from a customer's, organization's or key's name.</summary>
internal static partial class SecretNames
{
    public static string NewName() => "byok-" + Guid.NewGuid().ToString("N");

    public static string NewLocalVersion(TimeProvider time) =>
        time.GetUtcNow().UtcTicks.ToString("x16", System.Globalization.CultureInfo.InvariantCulture) + RandomNumberGenerator.GetHexString(8, lowercase: true);

    /// <summary>Names and versions are also file names in the local store: anything else is refused (no path traversal).</summary>
    public static bool IsSafe(string value) => SafePattern().IsMatch(value);

    [GeneratedRegex("^[A-Za-z0-9-]{1,127}$", RegexOptions.CultureInvariant)]
    private static partial Regex SafePattern();
}
