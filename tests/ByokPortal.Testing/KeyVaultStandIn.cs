using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Serialization;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Security.KeyVault.Secrets;
using ByokPortal.Secrets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ByokPortal.Testing;

/// <summary>The Key Vault secrets operations the stand-in answers.</summary>
public enum KeyVaultOperation
{
    /// <summary>PUT /secrets/{name}: a new version.</summary>
    SetSecret,

    /// <summary>GET /secrets/{name}: the latest version.</summary>
    GetLatestSecret,

    /// <summary>GET /secrets/{name}/{version}.</summary>
    GetSecretVersion,

    /// <summary>DELETE /secrets/{name}.</summary>
    DeleteSecret,

    /// <summary>GET /secrets/{name}/versions: the properties of every version (a Key Vault certificate's versions too).</summary>
    ListSecretVersions,

    /// <summary>GET /secrets: the properties of every secret (current version), page by page.</summary>
    ListSecrets,

    /// <summary>PATCH /secrets/{name}/{version}: a version's attributes (e.g. disabled).</summary>
    UpdateSecretProperties,

    /// <summary>Anything else (answered 404).</summary>
    Other,
}

/// <summary>How the stand-in answered a request.</summary>
public enum KeyVaultOutcome
{
    /// <summary>401 with the Bearer challenge: the request carried no (valid) access token.</summary>
    Challenged,

    /// <summary>429 with <c>Retry-After: 0</c> (see <see cref="KeyVaultStandIn.ThrottleNext"/>).</summary>
    Throttled,

    /// <summary>503: the vault is down (see <see cref="KeyVaultStandIn.Down"/>).</summary>
    Unavailable,

    /// <summary>Authorized and handled: 200, or Key Vault's error for a missing secret, a bad request or a conflict.</summary>
    Served,
}

/// <summary>One request the stand-in saw. Never holds a secret's value.</summary>
public sealed record KeyVaultRequest(KeyVaultOperation Operation, string Method, string Path, string? SecretName, KeyVaultOutcome Outcome, int Status);

/// <summary>
/// A local stand-in for the Azure Key Vault secrets REST API, in process on <see cref="TestServer"/>, for the real
/// <see cref="SecretClient"/>: the Bearer challenge (401 + WWW-Authenticate) for requests without the access token, set
/// (a new version each time), get latest, get by version, list (paged with nextLink), list a secret's versions, update a version's
/// attributes (a disabled version answers 403 like Key Vault) and delete (soft delete: the name stays taken), with Key Vault's JSON
/// shapes and error bodies. It counts requests per operation, can throttle (429) the next requests, can be down (503), and can hold
/// GET responses to make reads overlap deterministically. Times come from <see cref="Clock"/>.
/// </summary>
public sealed class KeyVaultStandIn : IAsyncDisposable
{
    /// <summary>The fixed access token <see cref="FixedTokenCredential"/> hands out and the stand-in accepts.</summary>
    public const string AccessToken = "stand-in-access-token";

    /// <summary>What Key Vault answers a request without a token: the tenant's authority and the resource to ask a token for.</summary>
    public const string BearerChallenge =
        "Bearer authorization=\"https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000\", resource=\"https://vault.azure.net\"";

    private static readonly JsonSerializerOptions Json = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    private readonly WebApplication _app;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, List<StoredVersion>> _secrets = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _deleted = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<KeyVaultRequest> _requests = [];
    private int _throttleNext;
    private TaskCompletionSource? _readHold;
    private TaskCompletionSource _readHeld = NewSignal();

    private KeyVaultStandIn(WebApplication app)
    {
        _app = app;
        // SecretClient caches each vault host's challenge for the whole process: a host of its own per stand-in means every
        // stand-in sees its client's first, unauthenticated request.
        VaultUri = new Uri($"https://kv-{Guid.NewGuid():N}.vault.test/");
    }

    /// <summary>A vault URI on a host no other stand-in uses (https: SecretClient refuses http).</summary>
    public Uri VaultUri { get; }

    public TestServer Server => _app.GetTestServer();

    public FixedTokenCredential Credential { get; } = new();

    /// <summary>The clock of the secrets' created and updated times (a test's fake clock, to age secrets).</summary>
    public TimeProvider Clock { get; set; } = TimeProvider.System;

    /// <summary>While true, every authorized request is answered 503 Service Unavailable (the vault is down).</summary>
    public bool Down { get; set; }

    /// <summary>How many secrets one page of the list holds (Key Vault's default is 25).</summary>
    public int PageSize { get; set; } = 25;

    /// <summary>Every request seen, in order.</summary>
    public IReadOnlyList<KeyVaultRequest> Requests
    {
        get
        {
            lock (_lock)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>The names of the secrets that exist now (not deleted).</summary>
    public IReadOnlyCollection<string> SecretNames
    {
        get
        {
            lock (_lock)
            {
                return [.. _secrets.Keys];
            }
        }
    }

    public static async Task<KeyVaultStandIn> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            EnvironmentName = Environments.Production,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Logging.ClearProviders();
        builder.WebHost.UseTestServer();
        var app = builder.Build();
        var standIn = new KeyVaultStandIn(app);
        app.Run(standIn.HandleAsync);
        await app.StartAsync();
        return standIn;
    }

    /// <summary>
    /// The real <see cref="SecretClient"/> against this stand-in, with the portal's own client options
    /// (<see cref="DependencyInjection.CreateSecretClientOptions"/>: retries and logging), the stand-in as transport and
    /// <see cref="FixedTokenCredential"/> instead of a real Entra ID sign-in.
    /// </summary>
    /// <param name="vaultUri">Defaults to <see cref="VaultUri"/>.</param>
    public SecretClient CreateClient(Uri? vaultUri = null, SecretsOptions? options = null)
    {
        var clientOptions = DependencyInjection.CreateSecretClientOptions(options ?? new SecretsOptions());
        clientOptions.Transport = new HttpClientTransport(Server.CreateHandler());
        // The challenge names https://vault.azure.net while the vault's host is *.vault.test.
        clientOptions.DisableChallengeResourceVerification = true;
        return new SecretClient(vaultUri ?? VaultUri, Credential, clientOptions);
    }

    /// <summary>How many authorized requests of this operation were handled (challenged and throttled ones are not counted).</summary>
    public int Count(KeyVaultOperation operation) => Count(operation, KeyVaultOutcome.Served);

    public int Count(KeyVaultOperation operation, KeyVaultOutcome outcome)
    {
        lock (_lock)
        {
            return _requests.Count(r => r.Operation == operation && r.Outcome == outcome);
        }
    }

    public int Count(KeyVaultOutcome outcome)
    {
        lock (_lock)
        {
            return _requests.Count(r => r.Outcome == outcome);
        }
    }

    /// <summary>Answers the next <paramref name="requests"/> authorized requests with 429 and <c>Retry-After: 0</c>.</summary>
    public void ThrottleNext(int requests)
    {
        lock (_lock)
        {
            _throttleNext = requests;
        }
    }

    /// <summary>
    /// From now on GET responses wait, after the secret has been looked up, until <see cref="ReleaseReads"/>
    /// (as if the answer were slow to come back over the network).
    /// </summary>
    public void HoldReads()
    {
        lock (_lock)
        {
            _readHold = NewSignal();
            _readHeld = NewSignal();
        }
    }

    /// <summary>Completes when a GET is being held by <see cref="HoldReads"/>.</summary>
    public Task WhenReadHeldAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return _readHeld.Task.WaitAsync(cancellationToken);
        }
    }

    public void ReleaseReads()
    {
        TaskCompletionSource? hold;
        lock (_lock)
        {
            hold = _readHold;
            _readHold = null;
        }

        hold?.TrySetResult();
    }

    public async ValueTask DisposeAsync()
    {
        ReleaseReads();
        await _app.DisposeAsync();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var (operation, name, version) = Classify(request.Method, request.Path.Value ?? "");
        var path = request.Path.Value ?? "";

        if (!string.Equals(request.Headers.Authorization.ToString(), "Bearer " + AccessToken, StringComparison.Ordinal))
        {
            Record(operation, request.Method, path, name, KeyVaultOutcome.Challenged, StatusCodes.Status401Unauthorized);
            context.Response.Headers.WWWAuthenticate = BearerChallenge;
            await WriteErrorAsync(context, StatusCodes.Status401Unauthorized, "Unauthorized", "AKV10000: Request is missing a Bearer or PoP token.");
            return;
        }

        if (Down)
        {
            Record(operation, request.Method, path, name, KeyVaultOutcome.Unavailable, StatusCodes.Status503ServiceUnavailable);
            context.Response.Headers.RetryAfter = "0";
            await WriteErrorAsync(context, StatusCodes.Status503ServiceUnavailable, "ServiceUnavailable", "The service is unavailable.");
            return;
        }

        if (TakeThrottle())
        {
            Record(operation, request.Method, path, name, KeyVaultOutcome.Throttled, StatusCodes.Status429TooManyRequests);
            context.Response.Headers.RetryAfter = "0";
            await WriteErrorAsync(context, StatusCodes.Status429TooManyRequests, "Throttled", "Request was not processed because too many requests were received.");
            return;
        }

        var (status, body) = string.IsNullOrEmpty(request.Query["api-version"])
            ? Error(StatusCodes.Status400BadRequest, "BadParameter", "The api-version query parameter is missing.")
            : operation switch
            {
                KeyVaultOperation.SetSecret => await SetAsync(context, name!),
                KeyVaultOperation.GetLatestSecret or KeyVaultOperation.GetSecretVersion => Get(context, name!, version),
                KeyVaultOperation.DeleteSecret => Delete(context, name!),
                KeyVaultOperation.ListSecretVersions => ListVersions(context, name!),
                KeyVaultOperation.ListSecrets => List(context),
                KeyVaultOperation.UpdateSecretProperties => await UpdatePropertiesAsync(context, name!, version!),
                _ => Error(StatusCodes.Status404NotFound, "NotFound", "The requested resource does not exist."),
            };
        Record(operation, request.Method, path, name, KeyVaultOutcome.Served, status);

        if (operation is KeyVaultOperation.GetLatestSecret or KeyVaultOperation.GetSecretVersion)
        {
            Task? hold = null;
            lock (_lock)
            {
                if (_readHold is not null)
                {
                    hold = _readHold.Task;
                    _readHeld.TrySetResult();
                }
            }

            if (hold is not null)
            {
                await hold;
            }
        }

        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(JsonSerializer.Serialize(body, Json));
    }

    private static (KeyVaultOperation Operation, string? Name, string? Version) Classify(string method, string path)
    {
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments is ["secrets"] && method == "GET")
        {
            return (KeyVaultOperation.ListSecrets, null, null);
        }

        if (segments.Length is < 2 or > 3 || !string.Equals(segments[0], "secrets", StringComparison.Ordinal) || !IsKeyVaultName(segments[1]))
        {
            return (KeyVaultOperation.Other, null, null);
        }

        var name = segments[1];
        var version = segments.Length == 3 ? segments[2] : null;
        return (method, version) switch
        {
            ("PUT", null) => (KeyVaultOperation.SetSecret, name, null),
            ("GET", null) => (KeyVaultOperation.GetLatestSecret, name, null),
            ("GET", "versions") => (KeyVaultOperation.ListSecretVersions, name, null),
            ("GET", _) => (KeyVaultOperation.GetSecretVersion, name, version),
            ("DELETE", null) => (KeyVaultOperation.DeleteSecret, name, null),
            ("PATCH", not null) => (KeyVaultOperation.UpdateSecretProperties, name, version),
            _ => (KeyVaultOperation.Other, name, version),
        };
    }

    // Key Vault's secret-name rule: ^[0-9a-zA-Z-]+$, at most 127 characters.
    private static bool IsKeyVaultName(string name) => name.Length is > 0 and <= 127 && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');

    private async Task<(int, object)> SetAsync(HttpContext context, string name)
    {
        string? value;
        string? contentType;
        try
        {
            using var document = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            var root = document.RootElement;
            value = root.TryGetProperty("value", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            contentType = root.TryGetProperty("contentType", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
        }
        catch (JsonException)
        {
            value = null;
            contentType = null;
        }

        if (value is null)
        {
            return Error(StatusCodes.Status400BadRequest, "BadParameter", "The request body must be JSON with a string 'value'.");
        }

        lock (_lock)
        {
            if (_deleted.Contains(name))
            {
                return Error(StatusCodes.Status409Conflict, "Conflict",
                    $"Secret {name} is currently in a deleted but recoverable state, and its name cannot be reused; in this state, the secret can only be recovered or purged.");
            }

            if (!_secrets.TryGetValue(name, out var versions))
            {
                versions = [];
                _secrets[name] = versions;
            }

            var stored = new StoredVersion(Guid.NewGuid().ToString("N"), value, contentType, Clock.GetUtcNow().ToUnixTimeSeconds());
            versions.Add(stored);
            return (StatusCodes.Status200OK, Bundle(context, name, stored));
        }
    }

    private (int, object) Get(HttpContext context, string name, string? version)
    {
        lock (_lock)
        {
            var stored = _secrets.TryGetValue(name, out var versions)
                ? version is null ? versions[^1] : versions.Find(v => string.Equals(v.Version, version, StringComparison.OrdinalIgnoreCase))
                : null;
            return stored is null
                ? Error(StatusCodes.Status404NotFound, "SecretNotFound",
                    $"A secret with (name/id) {name}{(version is null ? "" : "/" + version)} was not found in this key vault.")
                : !stored.Enabled
                    ? Error(StatusCodes.Status403Forbidden, "Forbidden", "Operation get is not allowed on a disabled secret.")
                    : (StatusCodes.Status200OK, Bundle(context, name, stored));
        }
    }

    private (int, object) ListVersions(HttpContext context, string name)
    {
        lock (_lock)
        {
            var versions = _secrets.TryGetValue(name, out var stored) ? stored : [];
            var vault = VaultBase(context);
            return (StatusCodes.Status200OK, new SecretListBody(
                [.. versions.Select(v => new SecretItemBody($"{vault}/secrets/{name}/{v.Version}", v.ContentType, Attributes(v)))], null));
        }
    }

    private (int, object) Delete(HttpContext context, string name)
    {
        lock (_lock)
        {
            if (!_secrets.Remove(name, out var versions))
            {
                return Error(StatusCodes.Status404NotFound, "SecretNotFound", $"A secret with (name/id) {name} was not found in this key vault.");
            }

            _deleted.Add(name);
            var now = Clock.GetUtcNow();
            var latest = versions[^1];
            var vault = VaultBase(context);
            return (StatusCodes.Status200OK, new DeletedSecretBody(
                RecoveryId: $"{vault}/deletedsecrets/{name}",
                DeletedDate: now.ToUnixTimeSeconds(),
                ScheduledPurgeDate: now.AddDays(90).ToUnixTimeSeconds(),
                Id: $"{vault}/secrets/{name}/{latest.Version}",
                ContentType: latest.ContentType,
                Attributes: Attributes(latest)));
        }
    }

    /// <summary>One page of the list: each secret's current version, without values; nextLink carries the offset of the next page.</summary>
    private (int, object) List(HttpContext context)
    {
        var skip = int.TryParse(context.Request.Query["$skiptoken"], out var offset) ? offset : 0;
        lock (_lock)
        {
            var all = _secrets.OrderBy(s => s.Key, StringComparer.Ordinal).ToList();
            var page = all.Skip(skip).Take(PageSize).Select(s =>
            {
                var latest = s.Value[^1];
                var first = s.Value[0];
                return new SecretItemBody($"{VaultBase(context)}/secrets/{s.Key}", latest.ContentType,
                    new SecretAttributesBody(latest.Enabled, first.Created, latest.Created, "Recoverable+Purgeable", 90));
            }).ToList();
            var next = skip + page.Count < all.Count
                ? $"{VaultBase(context)}/secrets?api-version={Uri.EscapeDataString(context.Request.Query["api-version"].ToString())}&$skiptoken={skip + page.Count}&maxresults={PageSize}"
                : null;
            return (StatusCodes.Status200OK, new SecretListBody(page, next));
        }
    }

    private async Task<(int, object)> UpdatePropertiesAsync(HttpContext context, string name, string version)
    {
        bool? enabled = null;
        try
        {
            using var document = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            if (document.RootElement.TryGetProperty("attributes", out var attributes)
                && attributes.TryGetProperty("enabled", out var e) && e.ValueKind is JsonValueKind.True or JsonValueKind.False)
            {
                enabled = e.GetBoolean();
            }
        }
        catch (JsonException)
        {
            return Error(StatusCodes.Status400BadRequest, "BadParameter", "The request body must be JSON.");
        }

        lock (_lock)
        {
            var index = _secrets.TryGetValue(name, out var versions)
                ? versions.FindIndex(v => string.Equals(v.Version, version, StringComparison.OrdinalIgnoreCase))
                : -1;
            if (index < 0)
            {
                return Error(StatusCodes.Status404NotFound, "SecretNotFound", $"A secret with (name/id) {name}/{version} was not found in this key vault.");
            }

            var updated = versions![index] with { Enabled = enabled ?? versions[index].Enabled };
            versions[index] = updated;
            return (StatusCodes.Status200OK, new SecretItemBody($"{VaultBase(context)}/secrets/{name}/{updated.Version}", updated.ContentType, Attributes(updated)));
        }
    }

    /// <summary>Whether a version is enabled now (disabled versions answer 403); null when it does not exist.</summary>
    public bool? IsEnabled(string name, string version)
    {
        lock (_lock)
        {
            return _secrets.TryGetValue(name, out var versions)
                ? versions.Find(v => string.Equals(v.Version, version, StringComparison.OrdinalIgnoreCase))?.Enabled
                : null;
        }
    }

    private static SecretBundleBody Bundle(HttpContext context, string name, StoredVersion stored) =>
        new(stored.Value, $"{VaultBase(context)}/secrets/{name}/{stored.Version}", stored.ContentType, Attributes(stored));

    private static SecretAttributesBody Attributes(StoredVersion stored) => new(stored.Enabled, stored.Created, stored.Created, "Recoverable+Purgeable", 90);

    private static string VaultBase(HttpContext context) => $"{context.Request.Scheme}://{context.Request.Host}";

    private static (int, object) Error(int status, string code, string message) => (status, new ErrorBody(new ErrorDetail(code, message)));

    private static Task WriteErrorAsync(HttpContext context, int status, string code, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        return context.Response.WriteAsync(JsonSerializer.Serialize(Error(status, code, message).Item2, Json));
    }

    private bool TakeThrottle()
    {
        lock (_lock)
        {
            if (_throttleNext <= 0)
            {
                return false;
            }

            _throttleNext--;
            return true;
        }
    }

    private void Record(KeyVaultOperation operation, string method, string path, string? name, KeyVaultOutcome outcome, int status)
    {
        lock (_lock)
        {
            _requests.Add(new KeyVaultRequest(operation, method, path, name, outcome, status));
        }
    }

    private sealed record StoredVersion(string Version, string Value, string? ContentType, long Created, bool Enabled = true);

    private sealed record SecretAttributesBody(
        [property: JsonPropertyName("enabled")] bool Enabled,
        [property: JsonPropertyName("created")] long Created,
        [property: JsonPropertyName("updated")] long Updated,
        [property: JsonPropertyName("recoveryLevel")] string RecoveryLevel,
        [property: JsonPropertyName("recoverableDays")] int RecoverableDays);

    private sealed record SecretBundleBody(
        [property: JsonPropertyName("value")] string Value,
        [property: JsonPropertyName("id")] string Id,
        [property: JsonPropertyName("contentType")] string? ContentType,
        [property: JsonPropertyName("attributes")] SecretAttributesBody Attributes);

    private sealed record SecretItemBody(
        [property: JsonPropertyName("id")] string Id,
        [property: JsonPropertyName("contentType")] string? ContentType,
        [property: JsonPropertyName("attributes")] SecretAttributesBody Attributes);

    private sealed record SecretListBody(
        [property: JsonPropertyName("value")] IReadOnlyList<SecretItemBody> Value,
        [property: JsonPropertyName("nextLink")] string? NextLink);

    private sealed record DeletedSecretBody(
        [property: JsonPropertyName("recoveryId")] string RecoveryId,
        [property: JsonPropertyName("deletedDate")] long DeletedDate,
        [property: JsonPropertyName("scheduledPurgeDate")] long ScheduledPurgeDate,
        [property: JsonPropertyName("id")] string Id,
        [property: JsonPropertyName("contentType")] string? ContentType,
        [property: JsonPropertyName("attributes")] SecretAttributesBody Attributes);

    private sealed record ErrorDetail(
        [property: JsonPropertyName("code")] string Code,
        [property: JsonPropertyName("message")] string Message);

    private sealed record ErrorBody([property: JsonPropertyName("error")] ErrorDetail Error);
}

/// <summary>
/// Stands in for the portal's real credential (DefaultAzureCredential: managed identity in Azure), which cannot run here
/// because no Entra ID is reachable: it hands out <see cref="KeyVaultStandIn.AccessToken"/> for whatever is asked and
/// remembers what was asked (scopes and tenant from the vault's challenge).
/// </summary>
public sealed class FixedTokenCredential : TokenCredential
{
    private readonly ConcurrentQueue<TokenRequestContext> _requests = new();

    public IReadOnlyCollection<TokenRequestContext> Requests => _requests;

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        _requests.Enqueue(requestContext);
        return new AccessToken(KeyVaultStandIn.AccessToken, DateTimeOffset.UtcNow.AddHours(1));
    }

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        ValueTask.FromResult(GetToken(requestContext, cancellationToken));
}
