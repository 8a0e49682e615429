using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json;
using ByokPortal.Core.Common;
using ByokPortal.Core.ProviderKeys;
using ByokPortal.Providers.Outbound;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ByokPortal.Providers;

/// <summary>
/// Reads a provider's model list over HTTP, the way PRODUCT.md's provider table says for each provider. The credential travels
/// only in the provider's auth header (never in a URL), redirects are not followed (custom auth headers would follow them), and
/// failure messages name the reason and the host in the user's terms, never the credential, the URL's path or the provider's status
/// line or body (which may echo it). The client's handler is the <see cref="OutboundGuard"/>'s, so internal addresses are refused at
/// connect time; answers are read within <see cref="OutboundOptions.MaxResponseBytes"/> and <see cref="OutboundOptions.MaxModels"/>.
/// </summary>
public sealed partial class HttpProviderModelClient(
    IHttpClientFactory httpClients,
    IOptions<ProvidersOptions> options,
    IOptions<OutboundOptions> outbound,
    ILogger<HttpProviderModelClient> logger)
    : IProviderModelClient
{
    public const string HttpClientName = "byokportal-providers";
    public const string AnthropicVersion = "2023-06-01";

    public async Task<Result<IReadOnlyList<string>>> ListModelsAsync(ProviderEndpoint endpoint, string? credential, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var provider = ProviderCatalog.Get(endpoint.Provider);
        if (!Uri.TryCreate(endpoint.BaseUrl.Trim(), UriKind.Absolute, out var baseUri) || baseUri.Scheme is not ("https" or "http"))
        {
            return new ProviderCallError(ProviderFailureReason.Refused, $"The {EndpointInSentence(provider)} is not a valid http or https URL.");
        }

        if (baseUri.UserInfo.Length > 0 || baseUri.Query.Length > 0 || baseUri.Fragment.Length > 0)
        {
            // Same rule as the key form's: a secret typed into the URL would come back in messages ("Nothing was found at …").
            return new ProviderCallError(ProviderFailureReason.Refused,
                $"The {EndpointInSentence(provider)} must not contain a user name, password, query string or fragment: put the key in the Key field.");
        }

        using var request = BuildRequest(provider, baseUri, endpoint.ApiVersion, credential?.Trim());
        if (request is null)
        {
            return new ProviderCallError(ProviderFailureReason.Refused, $"{provider.DisplayName} credentials cannot be checked by the portal yet.");
        }

        var timeout = options.Value.Timeout;
        var limits = outbound.Value;
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        var host = baseUri.Authority;
        try
        {
            using var response = await httpClients.CreateClient(HttpClientName)
                .SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeoutSource.Token);
            if (!response.IsSuccessStatusCode)
            {
                var failure = Describe(response.StatusCode, provider, host);
                LogFailure(logger, provider.DisplayName, host, failure.Reason, (int)response.StatusCode);
                return failure;
            }

            await using var body = await BoundedContent.OpenAsync(response.Content, limits.MaxResponseBytes, timeoutSource.Token);
            using var document = await JsonDocument.ParseAsync(body, cancellationToken: timeoutSource.Token);
            var listed = ListOf(provider.Listing, document.RootElement);
            if (listed.GetArrayLength() > limits.MaxModels)
            {
                LogFailure(logger, provider.DisplayName, host, ProviderFailureReason.TooLarge, 200);
                return new ProviderCallError(ProviderFailureReason.TooLarge,
                    $"{host} lists more than {limits.MaxModels.ToString("N0", CultureInfo.InvariantCulture)} models, the most the portal reads from one list. Check the {EndpointInSentence(provider)}.");
            }

            return ReadModelIds(provider.Listing, listed).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            LogFailure(logger, provider.DisplayName, host, ProviderFailureReason.Timeout, 0);
            return new ProviderCallError(ProviderFailureReason.Timeout,
                $"{provider.DisplayName} did not answer within {Seconds(timeout)} ({host}). Try again, or check the {EndpointInSentence(provider)}.");
        }
        catch (HttpRequestException e) when (e.InnerException is OutboundAddressRefusedException refused)
        {
            LogFailure(logger, provider.DisplayName, host, ProviderFailureReason.RefusedByPolicy, 0);
            return new ProviderCallError(ProviderFailureReason.RefusedByPolicy, refused.Message);
        }
        catch (HttpRequestException e)
        {
            LogFailure(logger, provider.DisplayName, host, ProviderFailureReason.Unreachable, 0);
            return new ProviderCallError(ProviderFailureReason.Unreachable, $"Could not reach {host}: {NetworkReason(e)}. Check the {EndpointInSentence(provider)}.");
        }
        catch (ResponseTooLargeException e)
        {
            LogFailure(logger, provider.DisplayName, host, ProviderFailureReason.TooLarge, 200);
            return new ProviderCallError(ProviderFailureReason.TooLarge,
                $"{host} answered with more than {BoundedContent.Describe(e.MaxBytes)}, more than the portal reads for a model list. Check the {EndpointInSentence(provider)}.");
        }
        catch (IOException) when (!cancellationToken.IsCancellationRequested)
        {
            LogFailure(logger, provider.DisplayName, host, ProviderFailureReason.Unreachable, 200);
            return new ProviderCallError(ProviderFailureReason.Unreachable, $"The connection to {host} was dropped while it answered. Try again.");
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException or InvalidDataException)
        {
            LogFailure(logger, provider.DisplayName, host, ProviderFailureReason.InvalidResponse, 200);
            return new ProviderCallError(ProviderFailureReason.InvalidResponse,
                $"{host} answered, but not with a {provider.DisplayName} model list. Check the {EndpointInSentence(provider)}.");
        }
    }

    private static HttpRequestMessage? BuildRequest(ProviderInfo provider, Uri baseUri, string? apiVersion, string? credential)
    {
        var root = baseUri.GetLeftPart(UriPartial.Path).TrimEnd('/');
        HttpRequestMessage request;
        switch (provider.Listing)
        {
            case ModelListing.OpenAIModels:
                request = new HttpRequestMessage(HttpMethod.Get, root + "/models");
                if (!string.IsNullOrEmpty(credential))
                {
                    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", credential);
                }

                break;
            case ModelListing.AzureDeployments:
                var version = string.IsNullOrWhiteSpace(apiVersion) ? ProviderCatalog.DefaultAzureApiVersion : apiVersion.Trim();
                request = new HttpRequestMessage(HttpMethod.Get, $"{root}/openai/deployments?api-version={Uri.EscapeDataString(version)}");
                request.Headers.TryAddWithoutValidation("api-key", credential);
                break;
            case ModelListing.FoundryModels:
                request = new HttpRequestMessage(HttpMethod.Get, root + "/models");
                request.Headers.TryAddWithoutValidation("api-key", credential);
                break;
            case ModelListing.AnthropicModels:
                request = new HttpRequestMessage(HttpMethod.Get, root + "/v1/models?limit=1000");
                request.Headers.TryAddWithoutValidation("x-api-key", credential);
                request.Headers.TryAddWithoutValidation("anthropic-version", AnthropicVersion);
                break;
            case ModelListing.GoogleModels:
                // The key goes in a header, never in ?key=: query strings end up in proxies' and servers' logs.
                request = new HttpRequestMessage(HttpMethod.Get, root + "/v1beta/models?pageSize=1000");
                request.Headers.TryAddWithoutValidation("x-goog-api-key", credential);
                break;
            default:
                return null;
        }

        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return request;
    }

    /// <summary>The array of models: <c>models</c> in Google's answer, <c>data</c> in everyone else's.</summary>
    private static JsonElement ListOf(ModelListing listing, JsonElement root)
    {
        var list = root.GetProperty(listing == ModelListing.GoogleModels ? "models" : "data");
        return list.ValueKind == JsonValueKind.Array ? list : throw new InvalidOperationException("The model list is not an array.");
    }

    private static IEnumerable<string> ReadModelIds(ModelListing listing, JsonElement list) => listing switch
    {
        ModelListing.GoogleModels => list.EnumerateArray()
            .Select(m => m.GetProperty("name").GetString() ?? "")
            .Select(name => name.StartsWith("models/", StringComparison.Ordinal) ? name["models/".Length..] : name)
            .Where(id => id.Length > 0),
        _ => list.EnumerateArray()
            .Select(m => m.GetProperty("id").GetString() ?? "")
            .Where(id => id.Length > 0),
    };

    /// <summary>What an error status means for the owner, in the portal's words: never the provider's status line, body or the URL's path.</summary>
    private static ProviderCallError Describe(HttpStatusCode status, ProviderInfo provider, string host) => (int)status switch
    {
        401 => new(ProviderFailureReason.Unauthorized,
            $"{provider.DisplayName} rejected the API key (401 Unauthorized). Check that the key is correct and still active."),
        403 => new(ProviderFailureReason.Unauthorized,
            $"{provider.DisplayName} refused the API key (403 Forbidden): it may lack the permission to list models."),
        404 => new(ProviderFailureReason.NotFound,
            $"Nothing was found at {host} (404 Not Found). Check the {EndpointInSentence(provider)}."),
        429 => new(ProviderFailureReason.RateLimited,
            $"{provider.DisplayName} is limiting requests right now (429 Too Many Requests). Try again in a moment."),
        >= 300 and < 400 => new(ProviderFailureReason.Refused,
            $"{host} answered with a redirect (HTTP {(int)status}), which the portal does not follow. Check the {EndpointInSentence(provider)}."),
        >= 500 => new(ProviderFailureReason.Refused,
            $"{provider.DisplayName} answered with a server error (HTTP {(int)status}) at {host}. Try again later."),
        _ => new(ProviderFailureReason.Refused,
            $"{provider.DisplayName} refused the request (HTTP {(int)status}) at {host}. Check the {EndpointInSentence(provider)}."),
    };

    /// <summary>"Base URL" → "base URL" inside a sentence (the acronym keeps its capitals).</summary>
    private static string EndpointInSentence(ProviderInfo provider) =>
        char.ToLowerInvariant(provider.EndpointLabel[0]) + provider.EndpointLabel[1..];

    /// <summary>"1 second", "2.5 seconds".</summary>
    private static string Seconds(TimeSpan timeout)
    {
        var seconds = timeout.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture);
        return seconds == "1" ? "1 second" : seconds + " seconds";
    }

    private static string NetworkReason(HttpRequestException e) => e.HttpRequestError switch
    {
        // The guard's connect step resolves names itself: a failed lookup arrives as a connection error around a SocketException.
        _ when e.InnerException is SocketException { SocketErrorCode: SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain }
            => "the host name could not be resolved",
        HttpRequestError.NameResolutionError => "the host name could not be resolved",
        HttpRequestError.ConnectionError => "the connection was refused or dropped",
        HttpRequestError.SecureConnectionError => "the secure connection (TLS) could not be established",
        HttpRequestError.ProxyTunnelError => "the proxy refused the connection",
        _ => "a network error occurred",
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Model list call to {Provider} at {Host} failed: {Reason} (HTTP {Status}).")]
    private static partial void LogFailure(ILogger logger, string provider, string host, ProviderFailureReason reason, int status);
}
