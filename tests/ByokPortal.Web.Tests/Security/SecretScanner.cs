using System.Text;

namespace ByokPortal.Web.Tests.Security;

/// <summary>Looks for a secret's bytes (UTF-8, UTF-16 and Base64 of the UTF-8) anywhere: files, logs, responses.</summary>
internal static class SecretScanner
{
    public static IEnumerable<byte[]> Encodings(string secret)
    {
        yield return Encoding.UTF8.GetBytes(secret);
        yield return Encoding.Unicode.GetBytes(secret);
        yield return Encoding.UTF8.GetBytes(Convert.ToBase64String(Encoding.UTF8.GetBytes(secret)));
    }

    public static bool Contains(byte[] haystack, string secret) =>
        Encodings(secret).Any(needle => haystack.AsSpan().IndexOf(needle) >= 0);

    public static bool Contains(string haystack, string secret) =>
        haystack.Contains(secret, StringComparison.Ordinal) ||
        haystack.Contains(Convert.ToBase64String(Encoding.UTF8.GetBytes(secret)), StringComparison.Ordinal);

    /// <summary>Every file under the folder whose bytes contain the secret (SQLite file, its WAL, the secret store, the key ring…).</summary>
    public static IReadOnlyList<string> FilesContaining(string folder, string secret)
    {
        var found = new List<string>();
        foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
        {
            byte[] bytes;
            using (var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
            using (var memory = new MemoryStream())
            {
                stream.CopyTo(memory);
                bytes = memory.ToArray();
            }

            if (Contains(bytes, secret))
            {
                found.Add(Path.GetRelativePath(folder, file));
            }
        }

        return found;
    }
}
