using System.Security.Cryptography;
using System.Text.Json;

namespace ByokPortal.Providers.Google;

/// <summary>
/// A Google service-account key file (<c>"type": "service_account"</c>) as the key form takes it, read once. <see cref="TryParse"/> says
/// what is wrong with a file that is not one, naming fields, never quoting their values.
/// </summary>
public sealed record ServiceAccountKey(string ProjectId, string PrivateKeyId, string PrivateKey, string ClientEmail, string TokenUri)
{
    public static readonly IReadOnlyList<string> RequiredFields = ["type", "project_id", "private_key_id", "private_key", "client_email", "token_uri"];

    public static ServiceAccountKey? TryParse(string? json, out string? problem)
    {
        problem = null;
        if (string.IsNullOrWhiteSpace(json))
        {
            problem = "is empty.";
            return null;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException)
        {
            problem = "is not valid JSON: paste the whole key file downloaded from Google Cloud Console.";
            return null;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                problem = "is not a service-account key file (it is not a JSON object).";
                return null;
            }

            var missing = RequiredFields.Where(f => !root.TryGetProperty(f, out var v) || v.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(v.GetString())).ToList();
            if (!missing.Contains("type") && root.GetProperty("type").GetString() != "service_account")
            {
                problem = "is not a service-account key: its \"type\" must be \"service_account\" (download a key for a service account, not a user or an API key).";
                return null;
            }

            if (missing.Count > 0)
            {
                problem = $"is not a complete service-account key: it lacks {string.Join(", ", missing)}.";
                return null;
            }

            string Text(string name) => root.GetProperty(name).GetString()!.Trim();
            var email = Text("client_email");
            if (!email.Contains('@', StringComparison.Ordinal) || email.Any(char.IsWhiteSpace) || email.Length > 320)
            {
                problem = "has a client_email that is not an e-mail address.";
                return null;
            }

            // http only on loopback (a local stand-in; the outbound guard refuses loopback unless allowed).
            var tokenUri = Text("token_uri");
            if (!Uri.TryCreate(tokenUri, UriKind.Absolute, out var uri) || !(uri.Scheme == "https" || (uri.Scheme == "http" && uri.IsLoopback)) || uri.UserInfo.Length > 0 || uri.Query.Length > 0)
            {
                problem = "has a token_uri that is not an https:// address.";
                return null;
            }

            var privateKey = root.GetProperty("private_key").GetString()!;
            if (!IsPkcs8Pem(privateKey) || !IsRsaKey(privateKey))
            {
                problem = "has a private_key that is not a PEM-encoded RSA private key.";
                return null;
            }

            var keyId = Text("private_key_id");
            if (keyId.Length > 128 || keyId.Any(c => !char.IsAsciiLetterOrDigit(c)))
            {
                problem = "has a private_key_id that is not a key ID (letters and digits).";
                return null;
            }

            return new ServiceAccountKey(Text("project_id"), keyId, privateKey, email, tokenUri);
        }
    }

    /// <summary>The masked hint: the account's e-mail and the key's ID (both public identifiers), never key material.</summary>
    public string Hint => $"{ClientEmail} · key {PrivateKeyId}";

    /// <summary>Never prints the private key (records print every property by default).</summary>
    public override string ToString() => $"ServiceAccountKey {{ ClientEmail = {ClientEmail}, PrivateKeyId = {PrivateKeyId} }}";

    /// <summary>A PEM block labelled as a PKCS#8 private key, the form Google's key files carry (found by .NET's PEM reader).</summary>
    private static bool IsPkcs8Pem(string pem) =>
        PemEncoding.TryFind(pem, out var fields) && pem.AsSpan()[fields.Label].SequenceEqual(Pkcs8Label);

    private const string Pkcs8Label = "PRIVATE KEY";

    private static bool IsRsaKey(string pem)
    {
        try
        {
            using var rsa = RSA.Create();
            rsa.ImportFromPem(pem);
            return true;
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            return false;
        }
    }
}
