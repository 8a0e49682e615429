using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using ByokPortal.Core.Common;
using ByokPortal.Core.ProviderKeys;
using ByokPortal.Providers.Adapters;
using ByokPortal.Providers.Outbound;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly.Timeout;

namespace ByokPortal.Providers;

/// <summary>
/// Reads a provider's model list over HTTP, with the requests and parsing of the provider's adapter (one request, or one per region).
/// The credential travels
/// only in the provider's auth header (never in a URL), redirects are not followed (custom auth headers would follow them), and
/// failure messages name the reason and the host in the user's terms, never the credential, the URL's path or the provider's status
/// line or body (which may echo it). The client's handler is the <see cref="OutboundGuard"/>'s, so internal addresses are refused at
/// connect time; answers are read within <see cref="OutboundOptions.MaxResponseBytes"/> and <see cref="OutboundOptions.MaxModels"/>.
/// </summary>
public sealed partial class HttpProviderModelClient(
    IHttpClientFactory httpClients,
    ProviderAdapters adapters,
    IOptions<ProvidersOptions> options,
    IOptions<OutboundOptions> outbound,
    ILogger<HttpProviderModelClient> logger)
    : IProviderModelClient
{
    public const string HttpClientName = "byokportal-providers";

    /// <summary>How many of one listing's calls (AWS Bedrock: regions) are in flight at once.</summary>
    public const int MaxConcurrentCalls = 8;

    public async Task<Result<ModelListing>> ListModelsAsync(ProviderEndpoint endpoint, string? credential, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var adapter = adapters.Find(endpoint.Provider);
        if (adapter is null)
        {
            return new ProviderCallError(ProviderFailureReason.Refused, "Choose a provider.");
        }

        var endpointLabel = EndpointInSentence(adapter);
        if (!Uri.TryCreate(endpoint.Connection.BaseUrl?.Trim(), UriKind.Absolute, out var baseUri) || baseUri.Scheme is not ("https" or "http"))
        {
            return new ProviderCallError(ProviderFailureReason.Refused, $"The {endpointLabel} is not a valid http or https URL.");
        }

        if (baseUri.UserInfo.Length > 0 || baseUri.Query.Length > 0 || baseUri.Fragment.Length > 0)
        {
            // Same rule as the key form's: a secret typed into the URL would come back in messages ("Nothing was found at …").
            return new ProviderCallError(ProviderFailureReason.Refused,
                $"The {endpointLabel} must not contain a user name, password, query string or fragment: put the key in the API key field.");
        }

        var connection = ProviderConnection.From(endpoint.Connection)!;
        var timeout = options.Value.Timeout;
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        IReadOnlyList<ModelListCall> calls;
        try
        {
            calls = await adapter.ModelListCallsAsync(connection, credential?.Trim(), timeoutSource.Token);
        }
        catch (ProviderCallException e)
        {
            LogFailure(logger, adapter.DisplayName, baseUri.Authority, e.Error.Reason, 0);
            return e.Error;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new ProviderCallError(ProviderFailureReason.Timeout, $"{adapter.DisplayName} did not answer within {Seconds(timeout)}. Try again, or check the {endpointLabel}.");
        }

        // Several calls (AWS Bedrock: one per region) run together, each with its own timeout, so a key with many regions takes about
        // one timeout at worst; results keep the calls' order.
        var answers = new (IReadOnlyList<string> Models, ModelCheck Check)[calls.Count];
        try
        {
            await Parallel.ForEachAsync(Enumerable.Range(0, calls.Count),
                new ParallelOptions { MaxDegreeOfParallelism = MaxConcurrentCalls, CancellationToken = cancellationToken },
                async (index, _) => answers[index] = await CallAsync(adapter, calls[index], timeout, cancellationToken));
        }
        finally
        {
            foreach (var call in calls)
            {
                call.Dispose();
            }
        }

        var checks = answers.Select(a => a.Check).ToList();
        var models = answers.SelectMany(a => a.Models);
        if (checks.FirstOrDefault(c => !c.Passed) is { } failed)
        {
            var message = checks.All(c => c.Region is null)
                ? failed.Message
                : string.Join(" ", checks.Select(c => $"{c.Region}: {c.Message}"));
            return new ProviderCallError(Worst(checks), message, checks);
        }

        return new ModelListing(models.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(), checks);
    }

    /// <summary>
    /// One request: the client's resilience handler gives up waiting for the answer after the provider timeout
    /// (<see cref="TimeoutRejectedException"/>); reading the answer gets the same time again.
    /// </summary>
    private async Task<(IReadOnlyList<string> Models, ModelCheck Check)> CallAsync(
        IProviderAdapter adapter, ModelListCall call, TimeSpan timeout, CancellationToken callerToken)
    {
        using var readTimeout = CancellationTokenSource.CreateLinkedTokenSource(callerToken);
        var timeoutToken = readTimeout.Token;
        var limits = outbound.Value;
        var host = call.Request.RequestUri!.Authority;
        var endpoint = EndpointInSentence(adapter);
        ModelCheck Fail(ProviderFailureReason reason, string message, int status)
        {
            LogFailure(logger, adapter.DisplayName, host, reason, status);
            return new ModelCheck(call.Region, reason, message, 0);
        }

        try
        {
            using var response = await httpClients.CreateClient(HttpClientName).SendAsync(call.Request, HttpCompletionOption.ResponseHeadersRead, callerToken);
            readTimeout.CancelAfter(timeout);
            if (!response.IsSuccessStatusCode)
            {
                var failure = Describe(response.StatusCode, adapter, host);
                return ([], Fail(failure.Reason, failure.Message, (int)response.StatusCode));
            }

            await using var body = await BoundedContent.OpenAsync(response.Content, limits.MaxResponseBytes, timeoutToken);
            using var document = await JsonDocument.ParseAsync(body, cancellationToken: timeoutToken);
            var listed = adapter.ReadModelIds(document.RootElement, call).ToList();
            if (listed.Count > limits.MaxModels)
            {
                return ([], Fail(ProviderFailureReason.TooLarge,
                    $"{host} lists more than {limits.MaxModels.ToString("N0", CultureInfo.InvariantCulture)} models, the most the portal reads from one list. Check the {endpoint}.", 200));
            }

            var count = listed.Count == 1 ? "1 model" : $"{listed.Count.ToString(CultureInfo.InvariantCulture)} models";
            return (listed, new ModelCheck(call.Region, null, $"works ({count})", listed.Count));
        }
        catch (Exception e) when (e is TimeoutRejectedException || (e is OperationCanceledException && !callerToken.IsCancellationRequested))
        {
            return ([], Fail(ProviderFailureReason.Timeout,
                $"{adapter.DisplayName} did not answer within {Seconds(timeout)} ({host}). Try again, or check the {endpoint}.", 0));
        }
        catch (HttpRequestException e) when (e.InnerException is OutboundAddressRefusedException refused)
        {
            return ([], Fail(ProviderFailureReason.RefusedByPolicy, refused.Message, 0));
        }
        catch (HttpRequestException e)
        {
            return ([], Fail(ProviderFailureReason.Unreachable, $"Could not reach {host}: {NetworkReason(e)}. Check the {endpoint}.", 0));
        }
        catch (ResponseTooLargeException e)
        {
            return ([], Fail(ProviderFailureReason.TooLarge,
                $"{host} answered with more than {BoundedContent.Describe(e.MaxBytes)}, more than the portal reads for a model list. Check the {endpoint}.", 200));
        }
        catch (IOException) when (!callerToken.IsCancellationRequested)
        {
            return ([], Fail(ProviderFailureReason.Unreachable, $"The connection to {host} was dropped while it answered. Try again.", 200));
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException or InvalidDataException)
        {
            return ([], Fail(ProviderFailureReason.InvalidResponse,
                $"{host} answered, but not with a {adapter.DisplayName} model list. Check the {endpoint}.", 200));
        }
    }

    /// <summary>The reason that matters most when regions disagree: a refused credential before an unreachable host.</summary>
    private static ProviderFailureReason Worst(IEnumerable<ModelCheck> checks) =>
        checks.Where(c => c.Failure is not null).Select(c => c.Failure!.Value).OrderBy(r => r).First();

    /// <summary>What an error status means for the owner, in the portal's words: never the provider's status line, body or the URL's path.</summary>
    private static ProviderCallError Describe(HttpStatusCode status, IProviderAdapter provider, string host) => (int)status switch
    {
        401 => new(ProviderFailureReason.Unauthorized,
            $"{provider.DisplayName} rejected the {CredentialNoun(provider)} (401 Unauthorized). Check that the key is correct and still active."),
        403 => new(ProviderFailureReason.Forbidden,
            $"{provider.DisplayName} refused the {CredentialNoun(provider)} (403 Forbidden): it may lack the permission to list models."),
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

    /// <summary>"API key" for providers that take one; "credentials" for service accounts and AWS access keys.</summary>
    private static string CredentialNoun(IProviderAdapter provider) =>
        provider.Form.Field(FormField.Credential) is { Input: FieldInput.Password } ? "API key" : "credentials";

    /// <summary>"Base URL" → "base URL" inside a sentence (the acronym keeps its capitals).</summary>
    private static string EndpointInSentence(IProviderAdapter provider)
    {
        var label = provider.Form.Field(FormField.BaseUrl)?.Label ?? "Base URL";
        return char.ToLowerInvariant(label[0]) + label[1..];
    }

    /// <summary>"1 second", "2.5 seconds".</summary>
    internal static string Seconds(TimeSpan timeout)
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
