using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ByokPortal.Providers.Aws;

/// <summary>One AWS access key: the ID (not secret) and the secret access key.</summary>
public sealed record AwsAccessKey(string AccessKeyId, string SecretAccessKey)
{
    /// <summary>Never prints the secret (records print every property by default).</summary>
    public override string ToString() => $"AwsAccessKey {{ AccessKeyId = …{AccessKeyId[Math.Max(0, AccessKeyId.Length - 4)..]} }}";
}

/// <summary>A signature's parts, as AWS's Signature Version 4 test suite publishes them for each case.</summary>
public sealed record SigV4Signature(string CanonicalRequest, string StringToSign, string SignedHeaders, string Signature, string Authorization);

/// <summary>
/// AWS Signature Version 4 (<c>AWS4-HMAC-SHA256</c>) for requests to AWS services: the canonical request (method, path with each segment
/// URI-encoded, query sorted by name then value, lower-cased trimmed headers sorted by name, signed header list, payload hash), the string
/// to sign over the credential scope <c>{date}/{region}/{service}/aws4_request</c>, and the HMAC chain from the secret access key. Proven
/// against AWS's published test vectors (SigV4Tests).
/// </summary>
public static class SigV4
{
    public const string Algorithm = "AWS4-HMAC-SHA256";
    public const string EmptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    /// <summary>Signs <paramref name="headers"/> (name → value; <c>host</c> and <c>x-amz-date</c> must be among them).</summary>
    public static SigV4Signature Sign(
        string method, Uri uri, IEnumerable<KeyValuePair<string, string>> headers, string payloadHash, string region, string service, AwsAccessKey key, DateTimeOffset signedAt)
    {
        ArgumentNullException.ThrowIfNull(uri);
        ArgumentNullException.ThrowIfNull(headers);
        ArgumentNullException.ThrowIfNull(key);
        var canonicalHeaders = headers
            .GroupBy(h => h.Key.ToLowerInvariant(), StringComparer.Ordinal)
            .Select(g => (Name: g.Key, Value: string.Join(",", g.Select(h => Trim(h.Value)))))
            .OrderBy(h => h.Name, StringComparer.Ordinal)
            .ToList();
        var signedHeaders = string.Join(";", canonicalHeaders.Select(h => h.Name));
        var canonicalRequest = string.Join("\n",
            method.ToUpperInvariant(),
            CanonicalPath(uri),
            CanonicalQuery(uri),
            string.Concat(canonicalHeaders.Select(h => $"{h.Name}:{h.Value}\n")),
            signedHeaders,
            payloadHash);

        var utc = signedAt.ToUniversalTime();
        var amzDate = AmzDate(utc);
        var day = utc.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        var scope = $"{day}/{region}/{service}/aws4_request";
        var stringToSign = string.Join("\n", Algorithm, amzDate, scope, Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest))));

        var signingKey = Hmac(Encoding.UTF8.GetBytes("AWS4" + key.SecretAccessKey), day);
        signingKey = Hmac(signingKey, region);
        signingKey = Hmac(signingKey, service);
        signingKey = Hmac(signingKey, "aws4_request");
        var signature = Hex(Hmac(signingKey, stringToSign));
        var authorization = $"{Algorithm} Credential={key.AccessKeyId}/{scope}, SignedHeaders={signedHeaders}, Signature={signature}";
        return new SigV4Signature(canonicalRequest, stringToSign, signedHeaders, signature, authorization);
    }

    /// <summary>
    /// Signs an outgoing request in place: sets <c>x-amz-date</c> and <c>x-amz-content-sha256</c>, signs them with the host, and sets
    /// <c>Authorization</c>. The body is hashed as given (what will be sent).
    /// </summary>
    public static void SignRequest(HttpRequestMessage request, ReadOnlySpan<byte> body, string region, string service, AwsAccessKey key, DateTimeOffset signedAt)
    {
        ArgumentNullException.ThrowIfNull(request);
        var uri = request.RequestUri ?? throw new InvalidOperationException("The request has no address.");
        var payloadHash = body.IsEmpty ? EmptyPayloadHash : Hex(SHA256.HashData(body));
        var amzDate = AmzDate(signedAt.ToUniversalTime());
        foreach (var name in (string[])["Authorization", "x-amz-date", "x-amz-content-sha256", "x-amz-security-token"])
        {
            request.Headers.Remove(name);
        }

        request.Headers.TryAddWithoutValidation("x-amz-date", amzDate);
        request.Headers.TryAddWithoutValidation("x-amz-content-sha256", payloadHash);
        var signature = Sign(request.Method.Method, uri,
            [new("host", uri.IsDefaultPort ? uri.Host : uri.Authority), new("x-amz-content-sha256", payloadHash), new("x-amz-date", amzDate)],
            payloadHash, region, service, key, signedAt);
        request.Headers.TryAddWithoutValidation("Authorization", signature.Authorization);
    }

    public static string AmzDate(DateTimeOffset utc) => utc.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Each path segment decoded, then URI-encoded the way SigV4 wants (unreserved characters kept, everything else %XX).</summary>
    private static string CanonicalPath(Uri uri)
    {
        var path = uri.AbsolutePath;
        if (path.Length == 0)
        {
            return "/";
        }

        return string.Join("/", path.Split('/').Select(segment => Encode(Uri.UnescapeDataString(segment))));
    }

    private static string CanonicalQuery(Uri uri)
    {
        var query = uri.Query.TrimStart('?');
        if (query.Length == 0)
        {
            return "";
        }

        return string.Join("&", query.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair =>
            {
                var equals = pair.IndexOf('=', StringComparison.Ordinal);
                var name = Uri.UnescapeDataString(equals < 0 ? pair : pair[..equals]);
                var value = equals < 0 ? "" : Uri.UnescapeDataString(pair[(equals + 1)..]);
                return (Name: Encode(name), Value: Encode(value));
            })
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .ThenBy(p => p.Value, StringComparer.Ordinal)
            .Select(p => $"{p.Name}={p.Value}"));
    }

    private static string Encode(string value)
    {
        var builder = new StringBuilder(value.Length);
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var ch = (char)b;
            if (ch is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_' or '.' or '~')
            {
                builder.Append(ch);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }

    /// <summary>Leading and trailing spaces removed, runs of spaces inside made one.</summary>
    private static string Trim(string value) => string.Join(' ', value.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries));

    private static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
