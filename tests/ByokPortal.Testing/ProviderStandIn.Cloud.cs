using System.Collections.Concurrent;
using System.IdentityModel.Tokens.Jwt;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using ByokPortal.Providers.Aws;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ByokPortal.Testing;

/// <summary>
/// The stand-in's cloud providers. <b>Google Vertex AI</b>: a token endpoint (<see cref="GoogleTokenUri"/>) that accepts only a JWT
/// assertion signed with the service account's key (<see cref="ServiceAccountJson"/>, generated per run), issued by its e-mail, for
/// this audience and the cloud-platform scope, and answers short-lived access tokens; the model list and the OpenAI-compatible endpoint
/// under <see cref="VertexBaseUrl"/> accept only a token it issued. <b>AWS Bedrock</b>: <c>ListFoundationModels</c> and the
/// OpenAI-compatible chat endpoint under <see cref="BedrockBaseUrl"/> accept only a SigV4 signature that verifies with one of
/// <see cref="BedrockKeys"/> (service <c>bedrock</c>, the body's hash included), recording the region each was signed for.
/// </summary>
public sealed partial class ProviderStandIn
{
    public const string VertexProject = "standin-project";
    public const string VertexRegion = "us-central1";
    public const string ServiceAccountEmail = "portal-reader@standin-project.iam.gserviceaccount.com";
    public const string ServiceAccountKeyId = "3f9c2a7b1d4e5f60718293a4b5c6d7e8f9012345";

    private readonly RSA _serviceAccountKey = RSA.Create(2048);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _issuedTokens = new(StringComparer.Ordinal);
    private int _tokenRequests;

    /// <summary>Why the token endpoint last refused an assertion (for a failing test's message).</summary>
    public string? LastAssertionProblem { get; private set; }

    /// <summary>The audience Google's token endpoint expects in a service account's assertion (Google.Apis.Auth always names it).</summary>
    public const string GoogleTokenAudience = "https://oauth2.googleapis.com/token";

    public string GoogleTokenUri => $"{Root}/google-oauth/token";

    public string VertexBaseUrl => $"{Root}/vertex";

    public string BedrockBaseUrl => $"{Root}/bedrock";

    /// <summary>How long issued access tokens live (seconds), as the token endpoint answers <c>expires_in</c>.</summary>
    public int TokenLifetimeSeconds { get; set; } = 3600;

    public int TokenRequests => Volatile.Read(ref _tokenRequests);

    public IReadOnlyCollection<string> IssuedTokens => (IReadOnlyCollection<string>)_issuedTokens.Keys;

    /// <summary>The Bedrock access keys the stand-in accepts, by access key ID (the value is the secret access key).</summary>
    public ConcurrentDictionary<string, string> BedrockKeys { get; } = new(StringComparer.Ordinal);

    /// <summary>Every verified Bedrock request as "access key ID → region" (what it was signed for).</summary>
    public ConcurrentQueue<(string AccessKeyId, string Region, string Path)> BedrockSignatures { get; } = new();

    public IReadOnlyList<string> BedrockModels { get; set; } = ["anthropic.claude-3-haiku-20240307-v1:0", "meta.llama3-8b-instruct-v1:0"];

    private TaskCompletionSource? _listingGate;
    private int _listingsWaited;
    private int _listingsExpected;

    /// <summary>
    /// From now on, each <c>ListFoundationModels</c> request is held until <paramref name="count"/> of them have arrived together (a
    /// caller that asks region after region never gets the first answer, and times out): proves the regions are asked concurrently.
    /// </summary>
    public void HoldBedrockListingsUntil(int count)
    {
        _listingsExpected = count;
        _listingsWaited = 0;
        _listingGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public IReadOnlyList<string> VertexModels { get; set; } = ["gemini-2.0-flash-001", "gemini-1.5-pro-002"];

    /// <summary>A complete service-account key file whose key the token endpoint accepts; <paramref name="otherKey"/> signs with a key it does not know.</summary>
    public string ServiceAccountJson(bool otherKey = false, string? tokenUri = null)
    {
        using var other = otherKey ? RSA.Create(2048) : null;
        var pem = (other ?? _serviceAccountKey).ExportPkcs8PrivateKeyPem();
        return JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["type"] = "service_account",
            ["project_id"] = VertexProject,
            ["private_key_id"] = ServiceAccountKeyId,
            ["private_key"] = pem + "\n",
            ["client_email"] = ServiceAccountEmail,
            ["client_id"] = "123456789012345678901",
            ["auth_uri"] = "https://accounts.google.com/o/oauth2/auth",
            ["token_uri"] = tokenUri ?? GoogleTokenUri,
        });
    }

    private void MapCloud(WebApplication app)
    {
        app.MapPost("/google-oauth/token", async (HttpContext c) =>
        {
            Interlocked.Increment(ref _tokenRequests);
            var form = await c.Request.ReadFormAsync(c.RequestAborted);
            if (form["grant_type"] != "urn:ietf:params:oauth:grant-type:jwt-bearer" || !ValidAssertion(form["assertion"].ToString()))
            {
                return Results.Json(new { error = "invalid_grant", error_description = "Invalid JWT Signature." }, statusCode: 400);
            }

            var token = "ya29.standin-" + Guid.NewGuid().ToString("N");
            _issuedTokens[token] = DateTimeOffset.UtcNow;
            return Results.Json(new { access_token = token, expires_in = TokenLifetimeSeconds, token_type = "Bearer" });
        });

        app.MapGet("/vertex/v1beta1/publishers/google/models", (HttpContext c) =>
            Authorized(VertexToken(c), () => Results.Json(new { publisherModels = VertexModels.Select(m => new { name = "publishers/google/models/" + m }) })));

        app.MapPost("/vertex/v1/projects/{project}/locations/{region}/endpoints/openapi/chat/completions", (HttpContext c, string project, string region) =>
            project != VertexProject ? BadRequestAsync(c, "Unknown project.") : Chat(c, VertexToken(c)));

        app.MapGet("/bedrock/foundation-models", async (HttpContext c) =>
        {
            if (await VerifiedSignatureAsync(c) is null)
            {
                return Results.Json(new { message = "The request signature we calculated does not match the signature you provided." }, statusCode: 403);
            }

            if (_listingGate is { } gate)
            {
                if (Interlocked.Increment(ref _listingsWaited) >= _listingsExpected)
                {
                    gate.TrySetResult();
                }

                await gate.Task.WaitAsync(c.RequestAborted);
            }

            return Results.Json(new { modelSummaries = BedrockModels.Select(m => new { modelId = m, providerName = "stand-in" }) });
        });

        app.MapPost("/bedrock/openai/v1/chat/completions", async (HttpContext c) =>
        {
            if (await VerifiedSignatureAsync(c) is null)
            {
                c.Response.StatusCode = StatusCodes.Status403Forbidden;
                await c.Response.WriteAsJsonAsync(new { message = "The request signature we calculated does not match the signature you provided." });
                return;
            }

            await Chat(c, AcceptedKey);
        });
    }

    /// <summary>The presented Bearer token when the token endpoint issued it; otherwise what was presented (refused as a wrong key).</summary>
    private string VertexToken(HttpContext context)
    {
        var token = Bearer(context);
        return _issuedTokens.ContainsKey(token) ? AcceptedKey : token;
    }

    private bool ValidAssertion(string assertion)
    {
        var handler = new JwtSecurityTokenHandler();
        try
        {
            handler.ValidateToken(assertion, new Microsoft.IdentityModel.Tokens.TokenValidationParameters
            {
                ValidIssuer = ServiceAccountEmail,
                ValidAudiences = [GoogleTokenUri, GoogleTokenAudience],
                IssuerSigningKey = new Microsoft.IdentityModel.Tokens.RsaSecurityKey(_serviceAccountKey.ExportParameters(false)),
                ValidAlgorithms = ["RS256"],
                ClockSkew = TimeSpan.FromDays(3650), // the portal's clock may be a test's fake one
                ValidateLifetime = false,
            }, out var validated);
            var jwt = (JwtSecurityToken)validated;
            LastAssertionProblem = $"kid={jwt.Header.Kid} claims={string.Join(",", jwt.Claims.Select(c => c.Type + "=" + c.Value))}";
            return jwt.Header.Kid == ServiceAccountKeyId
                   && jwt.Claims.Any(c => c.Type == "scope" && c.Value.Split(' ').Contains("https://www.googleapis.com/auth/cloud-platform"));
        }
        catch (Exception e) when (e is Microsoft.IdentityModel.Tokens.SecurityTokenException or ArgumentException)
        {
            LastAssertionProblem = e.GetType().Name + ": " + e.Message;
            return false;
        }
    }

    /// <summary>Recomputes the request's SigV4 signature from what arrived (method, path, query, signed headers, the body's hash).</summary>
    private async Task<string?> VerifiedSignatureAsync(HttpContext context)
    {
        var match = AuthorizationPattern().Match(context.Request.Headers.Authorization.ToString());
        if (!match.Success || !BedrockKeys.TryGetValue(match.Groups["id"].Value, out var secret) || match.Groups["service"].Value != "bedrock")
        {
            return null;
        }

        context.Request.EnableBuffering();
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        context.Request.Body.Position = 0;
        var bodyHash = buffer.Length == 0 ? SigV4.EmptyPayloadHash : Convert.ToHexStringLower(SHA256.HashData(buffer.ToArray()));
        if (context.Request.Headers["x-amz-content-sha256"] != bodyHash)
        {
            return null;
        }

        var signed = match.Groups["headers"].Value.Split(';');
        var headers = signed.Select(name => KeyValuePair.Create(name, name == "host" ? context.Request.Host.Value ?? "" : context.Request.Headers[name].ToString()));
        if (!DateTimeOffset.TryParseExact(context.Request.Headers["x-amz-date"].ToString(), "yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.AssumeUniversal, out var signedAt))
        {
            return null;
        }

        var uri = new Uri($"http://{context.Request.Host}{context.Request.Path}{context.Request.QueryString}");
        var region = match.Groups["region"].Value;
        var expected = SigV4.Sign(context.Request.Method, uri, headers, bodyHash, region, "bedrock", new AwsAccessKey(match.Groups["id"].Value, secret), signedAt);
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected.Signature), Encoding.ASCII.GetBytes(match.Groups["signature"].Value)))
        {
            return null;
        }

        BedrockSignatures.Enqueue((match.Groups["id"].Value, region, context.Request.Path.Value ?? ""));
        return region;
    }

    [GeneratedRegex(@"^AWS4-HMAC-SHA256 Credential=(?<id>[A-Z0-9]+)/\d{8}/(?<region>[a-z0-9-]+)/(?<service>[a-z0-9-]+)/aws4_request, SignedHeaders=(?<headers>[a-z0-9;-]+), Signature=(?<signature>[0-9a-f]{64})$")]
    private static partial Regex AuthorizationPattern();
}
