using System.Net;
using System.Net.Sockets;
using ByokPortal.Core.Common;
using ByokPortal.Core.ProviderKeys;
using ByokPortal.Testing;

namespace ByokPortal.Providers.Tests;

/// <summary>
/// The portal's provider HTTP client against real HTTP servers on loopback: each provider's auth headers, model-list parsing,
/// no redirects, and no credential in any message or log line.
/// </summary>
public sealed class HttpProviderModelClientTests(ProviderClientFixture fixture) : IClassFixture<ProviderClientFixture>
{
    private static CancellationToken Ct => ProviderClientFixture.Ct;

    private ProviderStandIn StandIn => fixture.StandIn;

    private Task<Result<IReadOnlyList<string>>> ListAsync(ProviderKind provider, string baseUrl, string? credential, string? apiVersion = null) =>
        fixture.Client.ListModelsAsync(new ProviderEndpoint(provider, baseUrl, apiVersion), credential, Ct).ModelsAsync();

    /// <summary>The one request the stand-in received while <paramref name="call"/> ran.</summary>
    private async Task<(Result<IReadOnlyList<string>> Result, ProviderStandIn.RecordedRequest Request)> CallAsync(Func<Task<Result<IReadOnlyList<string>>>> call)
    {
        var before = StandIn.Requests.Count;
        var result = await call();
        return (result, Assert.Single(StandIn.Requests.Skip(before)));
    }

    private static bool HeaderIs(ProviderStandIn.RecordedRequest request, string name, string expected) =>
        request.Headers.TryGetValue(name, out var value) && string.Equals(value, expected, StringComparison.Ordinal);

    private static bool AnyHeaderHolds(ProviderStandIn.RecordedRequest request, string secret, params string[] except) =>
        request.Headers.Where(h => !except.Contains(h.Key, StringComparer.OrdinalIgnoreCase)).Any(h => h.Value.Contains(secret, StringComparison.Ordinal));

    private static string[] ExpectedModels(ProviderStandIn standIn) => [.. standIn.Models.Order(StringComparer.Ordinal)];

    [Fact]
    public async Task ListModelsAsync_OpenAI_SendsBearerOnlyAndReadsTheList()
    {
        var (result, request) = await CallAsync(() => ListAsync(ProviderKind.OpenAI, StandIn.OpenAIBaseUrl, StandIn.AcceptedKey));

        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.Equal(ExpectedModels(StandIn), result.Value);
        Assert.Equal("GET /v1/models", $"{request.Method} {request.PathAndQuery}");
        Assert.True(HeaderIs(request, "Authorization", "Bearer " + StandIn.AcceptedKey), "the key is not sent as a Bearer token");
        Assert.False(AnyHeaderHolds(request, StandIn.AcceptedKey, "Authorization"), "the key is in another header too");
        Assert.True(HeaderIs(request, "Accept", "application/json"));
    }

    [Theory]
    [InlineData(ProviderKind.Mistral)]
    [InlineData(ProviderKind.XAI)]
    [InlineData(ProviderKind.DeepSeek)]
    [InlineData(ProviderKind.OpenAICompatible)]
    public async Task ListModelsAsync_OpenAIShapedProviders_SendBearer(ProviderKind provider)
    {
        var (result, request) = await CallAsync(() => ListAsync(provider, StandIn.OpenAIBaseUrl, StandIn.AcceptedKey));

        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.True(HeaderIs(request, "Authorization", "Bearer " + StandIn.AcceptedKey), "the key is not sent as a Bearer token");
    }

    [Fact]
    public async Task ListModelsAsync_KeylessOllama_SendsNoAuthorizationHeader()
    {
        var (result, request) = await CallAsync(() => ListAsync(ProviderKind.Ollama, StandIn.OpenAIBaseUrl, null));

        Assert.Equal(ProviderFailureReason.Unauthorized, Assert.IsType<ProviderCallError>(result.Error).Reason);
        Assert.False(request.Headers.ContainsKey("Authorization"), "an empty Authorization header was sent");
    }

    [Fact]
    public async Task ListModelsAsync_Anthropic_SendsXApiKeyAndVersion()
    {
        var (result, request) = await CallAsync(() => ListAsync(ProviderKind.Anthropic, StandIn.AnthropicBaseUrl, StandIn.AcceptedKey));

        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.Equal(ExpectedModels(StandIn), result.Value);
        Assert.StartsWith("/anthropic/v1/models", request.PathAndQuery, StringComparison.Ordinal);
        Assert.True(HeaderIs(request, "x-api-key", StandIn.AcceptedKey), "the key is not in x-api-key");
        Assert.True(HeaderIs(request, "anthropic-version", "2023-06-01"));
        Assert.False(request.Headers.ContainsKey("Authorization"), "an Authorization header was sent to Anthropic");
        Assert.False(request.PathAndQuery.Contains(StandIn.AcceptedKey, StringComparison.Ordinal), "the key is in the URL");
    }

    [Fact]
    public async Task ListModelsAsync_Google_SendsTheKeyInXGoogApiKeyNeverInTheQueryAndStripsModelsPrefix()
    {
        var (result, request) = await CallAsync(() => ListAsync(ProviderKind.GoogleAIStudio, StandIn.GoogleBaseUrl, StandIn.AcceptedKey));

        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.Equal(ExpectedModels(StandIn), result.Value);
        Assert.DoesNotContain(result.Value, m => m.StartsWith("models/", StringComparison.Ordinal));
        Assert.StartsWith("/google/v1beta/models", request.PathAndQuery, StringComparison.Ordinal);
        Assert.True(HeaderIs(request, "x-goog-api-key", StandIn.AcceptedKey), "the key is not in x-goog-api-key");
        Assert.False(request.PathAndQuery.Contains(StandIn.AcceptedKey, StringComparison.Ordinal), "the key is in the URL");
        Assert.DoesNotContain("key=", request.PathAndQuery, StringComparison.OrdinalIgnoreCase);
        Assert.False(request.Headers.ContainsKey("Authorization"), "an Authorization header was sent to Google");
    }

    [Theory]
    [InlineData(null, "2024-10-21")]
    [InlineData("2025-01-01-preview", "2025-01-01-preview")]
    public async Task ListModelsAsync_AzureOpenAI_SendsApiKeyHeaderAndApiVersion(string? apiVersion, string expectedVersion)
    {
        var (result, request) = await CallAsync(() => ListAsync(ProviderKind.AzureOpenAI, StandIn.AzureBaseUrl, StandIn.AcceptedKey, apiVersion));

        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.Equal(ExpectedModels(StandIn), result.Value);
        Assert.Equal($"/azure/openai/deployments?api-version={expectedVersion}", request.PathAndQuery);
        Assert.True(HeaderIs(request, "api-key", StandIn.AcceptedKey), "the key is not in api-key");
        Assert.False(request.Headers.ContainsKey("Authorization"), "an Authorization header was sent to Azure");
    }

    [Fact]
    public async Task ListModelsAsync_MicrosoftFoundry_SendsApiKeyToTheDeploymentModels()
    {
        var (result, request) = await CallAsync(() => ListAsync(ProviderKind.MicrosoftFoundry, StandIn.FoundryDeploymentUrl + "/", StandIn.AcceptedKey));

        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.Equal("/foundry/deployments/main/models", request.PathAndQuery);
        Assert.True(HeaderIs(request, "api-key", StandIn.AcceptedKey), "the key is not in api-key");
    }

    [Fact]
    public async Task ListModelsAsync_KeyWithSurroundingSpaces_SendsItTrimmed()
    {
        var (result, request) = await CallAsync(() => ListAsync(ProviderKind.OpenAI, StandIn.OpenAIBaseUrl, "  " + StandIn.AcceptedKey + "\n"));

        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.True(HeaderIs(request, "Authorization", "Bearer " + StandIn.AcceptedKey));
    }

    [Fact]
    public async Task ListModelsAsync_GoogleModelNames_AreReadWithoutTheirPrefixSortedAndDistinct()
    {
        await using var standIn = await ProviderStandIn.StartAsync(models: ["gemini-2.5-pro", "gemini-2.0-flash", "gemini-2.5-pro"]);

        var result = await fixture.Client.ListModelsAsync(new ProviderEndpoint(ProviderKind.GoogleAIStudio, standIn.GoogleBaseUrl, null), standIn.AcceptedKey, Ct).ModelsAsync();

        Assert.Equal(["gemini-2.0-flash", "gemini-2.5-pro"], result.Value);
    }

    [Fact]
    public async Task ListModelsAsync_ListWithDuplicatesAndEmptyIds_IsSortedDistinctWithoutEmpties()
    {
        var result = await ListAsync(ProviderKind.OpenAI, fixture.OddRoot + "/duplicates/v1", "sk-anything");

        Assert.Equal(["a-model", "b-model"], result.Value);
    }

    [Theory]
    [InlineData(ProviderKind.OpenAI)]
    [InlineData(ProviderKind.Anthropic)]
    [InlineData(ProviderKind.GoogleAIStudio)]
    [InlineData(ProviderKind.AzureOpenAI)]
    [InlineData(ProviderKind.MicrosoftFoundry)]
    public async Task ListModelsAsync_WrongKey_IsUnauthorizedAndNeitherMessageNorLogsHoldTheKey(ProviderKind provider)
    {
        var wrongKey = "sk-wrong-" + Guid.NewGuid().ToString("N");
        var baseUrl = provider switch
        {
            ProviderKind.OpenAI => StandIn.OpenAIBaseUrl,
            ProviderKind.Anthropic => StandIn.AnthropicBaseUrl,
            ProviderKind.GoogleAIStudio => StandIn.GoogleBaseUrl,
            ProviderKind.AzureOpenAI => StandIn.AzureBaseUrl,
            _ => StandIn.FoundryDeploymentUrl,
        };

        var (result, request) = await CallAsync(() => ListAsync(provider, baseUrl, wrongKey));

        // Secrets first, as booleans: a failing assertion must not print the text that holds one.
        var error = Assert.IsType<ProviderCallError>(result.Error);
        Assert.False(error.Message.Contains(wrongKey, StringComparison.Ordinal), "the message holds the key");
        Assert.False(fixture.Logs.AllText.Contains(wrongKey, StringComparison.Ordinal), "the logs hold the key");
        Assert.False(fixture.Logs.AllText.Contains("Incorrect API key provided", StringComparison.Ordinal), "the logs hold the provider's answer");
        Assert.True(request.Headers.Values.Any(v => v.Contains(wrongKey, StringComparison.Ordinal)), "the key was not presented at all");
        Assert.Equal(ProviderFailureReason.Unauthorized, error.Reason);
        Assert.Equal($"{provider.DisplayName()} rejected the API key (401 Unauthorized). Check that the key is correct and still active.", error.Message);
    }

    [Fact]
    public async Task ListModelsAsync_TraceLogging_LogsHeaderNamesWithRedactedValues()
    {
        var before = fixture.Logs.Lines.Count;

        var result = await ListAsync(ProviderKind.GoogleAIStudio, StandIn.GoogleBaseUrl, StandIn.AcceptedKey);

        Assert.True(result.IsSuccess, result.Error?.Message);
        var lines = string.Join('\n', fixture.Logs.Lines.Skip(before));
        Assert.Contains("Trace", lines, StringComparison.Ordinal);
        Assert.Contains("x-goog-api-key: *", lines, StringComparison.Ordinal);
        Assert.False(lines.Contains(StandIn.AcceptedKey, StringComparison.Ordinal), "a log line holds the key");
        Assert.False(fixture.Logs.AllText.Contains(StandIn.AcceptedKey, StringComparison.Ordinal), "a log line holds the key");
    }

    [Fact]
    public async Task ListModelsAsync_RedirectToAnotherPath_IsNotFollowed()
    {
        var key = "sk-redirected-" + Guid.NewGuid().ToString("N");
        var landedBefore = fixture.LandedHeaders.Count;

        var result = await ListAsync(ProviderKind.OpenAI, fixture.OddRoot + "/redirect/v1", key);

        var error = Assert.IsType<ProviderCallError>(result.Error);
        Assert.False(error.Message.Contains(key, StringComparison.Ordinal), "the message holds the key");
        Assert.Equal(ProviderFailureReason.Refused, error.Reason);
        Assert.Contains("302", error.Message, StringComparison.Ordinal);
        Assert.Equal(landedBefore, fixture.LandedHeaders.Count);
        Assert.DoesNotContain(fixture.OddRequests, r => r.Contains("/landing/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ListModelsAsync_RedirectToAnotherHost_DoesNotCarryTheKeyThere()
    {
        var before = StandIn.Requests.Count;

        var result = await ListAsync(ProviderKind.AzureOpenAI, fixture.OddRoot + "/redirect-away/v1", StandIn.AcceptedKey);

        Assert.False(result.IsSuccess, "a redirect was followed");
        Assert.Equal(before, StandIn.Requests.Count);
    }

    [Theory]
    [InlineData("echo-500", ProviderFailureReason.Refused, "OpenAI answered with a server error (HTTP 500) at 127.0.0.1:")]
    [InlineData("echo-403", ProviderFailureReason.Forbidden, "OpenAI refused the API key (403 Forbidden): it may lack the permission to list models.")]
    [InlineData("echo-429", ProviderFailureReason.RateLimited, "OpenAI is limiting requests right now (429 Too Many Requests). Try again in a moment.")]
    [InlineData("echo-html", ProviderFailureReason.InvalidResponse, " answered, but not with a OpenAI model list. Check the base URL.")]
    [InlineData("no-list", ProviderFailureReason.InvalidResponse, " answered, but not with a OpenAI model list. Check the base URL.")]
    public async Task ListModelsAsync_ProviderEchoesTheKeyInItsAnswer_MessageSaysWhyWithoutIt(string path, ProviderFailureReason reason, string message)
    {
        var key = "sk-echoed-" + Guid.NewGuid().ToString("N");

        var result = await ListAsync(ProviderKind.OpenAI, $"{fixture.OddRoot}/{path}/v1", key);

        var error = Assert.IsType<ProviderCallError>(result.Error);
        Assert.False(error.Message.Contains(key, StringComparison.Ordinal), "the message holds the key");
        Assert.False(error.Message.Contains("Incorrect API key", StringComparison.Ordinal), "the message passes on the provider's answer");
        Assert.False(fixture.Logs.AllText.Contains(key, StringComparison.Ordinal), "the logs hold the key");
        Assert.Equal(reason, error.Reason);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListModelsAsync_CallerCancels_IsCancellationNotATimeout()
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cancel.CancelAfter(TimeSpan.FromMilliseconds(100));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            fixture.Client.ListModelsAsync(new ProviderEndpoint(ProviderKind.OpenAI, StandIn.SlowBaseUrl, null), StandIn.AcceptedKey, cancel.Token).ModelsAsync());
    }

    [Fact]
    public async Task ListModelsAsync_NothingListening_IsUnreachable()
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        var result = await ListAsync(ProviderKind.Anthropic, $"http://127.0.0.1:{port}", StandIn.AcceptedKey);

        var error = Assert.IsType<ProviderCallError>(result.Error);
        Assert.Equal(ProviderFailureReason.Unreachable, error.Reason);
        Assert.Equal($"Could not reach 127.0.0.1:{port}: the connection was refused or dropped. Check the base URL.", error.Message);
    }

    [Fact]
    public async Task ListModelsAsync_NothingAtTheBaseUrl_IsNotFound()
    {
        var result = await ListAsync(ProviderKind.OpenAI, StandIn.NotFoundBaseUrl, StandIn.AcceptedKey);

        var error = Assert.IsType<ProviderCallError>(result.Error);
        Assert.Equal(ProviderFailureReason.NotFound, error.Reason);
        Assert.Equal($"Nothing was found at {StandIn.Address.Authority} (404 Not Found). Check the base URL.", error.Message);
        Assert.DoesNotContain("/nothing-here", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ftp://127.0.0.1/v1")]
    [InlineData("not a url")]
    [InlineData("")]
    public async Task ListModelsAsync_NotAnHttpUrl_IsRefusedWithoutCallingOut(string baseUrl)
    {
        var result = await ListAsync(ProviderKind.OpenAI, baseUrl, StandIn.AcceptedKey);

        var error = Assert.IsType<ProviderCallError>(result.Error);
        Assert.Equal((ProviderFailureReason.Refused, "The base URL is not a valid http or https URL."), (error.Reason, error.Message));
    }

    [Fact]
    public async Task ListModelsAsync_BaseUrlWithAPasswordOrQuery_NeverPutsThemInMessagesLogsOrTheRequest()
    {
        var password = "pw-" + Guid.NewGuid().ToString("N");
        var root = new Uri(StandIn.Address, "/nothing-here/v1");
        var withPassword = $"http://owner:{password}@{root.Authority}{root.AbsolutePath}";
        var withQuery = $"{StandIn.OpenAIBaseUrl}?key={password}";
        var before = StandIn.Requests.Count;

        var first = await ListAsync(ProviderKind.OpenAI, withPassword, StandIn.AcceptedKey);
        var second = await ListAsync(ProviderKind.OpenAI, withQuery, StandIn.AcceptedKey);

        Assert.False(first.Error?.Message.Contains(password, StringComparison.Ordinal) ?? false, "the message holds the URL's password");
        Assert.False(second.Error?.Message.Contains(password, StringComparison.Ordinal) ?? false, "the message holds the URL's query");
        Assert.Equal("The base URL must not contain a user name, password, query string or fragment: put the key in the API key field.", first.Error?.Message);
        Assert.Equal(first.Error?.Message, second.Error?.Message);
        Assert.False(fixture.Logs.AllText.Contains(password, StringComparison.Ordinal), "the logs hold the URL's password or query");
        Assert.False(StandIn.Requests.Skip(before).Any(r => r.PathAndQuery.Contains(password, StringComparison.Ordinal) || r.Headers.Values.Any(v => v.Contains(password, StringComparison.Ordinal))),
            "the URL's password or query reached the provider");
    }
}
