using System.ClientModel;
using Anthropic;
using Anthropic.Models.Messages;
using ByokPortal.Core.ProviderKeys;
using OpenAI;
using OpenAI.Chat;
using OpenAI.Embeddings;

namespace ByokPortal.Runtime.Tests.Gateway;

/// <summary>
/// The official OpenAI and Anthropic .NET SDKs pointed at the gateway, as applications use it, with the organization API key as their API
/// key. The provider stand-in accepts only the provider key, in the provider's own header, on the provider's own path: each test checks
/// what it received.
/// </summary>
public sealed class GatewaySdkTests(RuntimeFixture fixture) : IClassFixture<RuntimeFixture>
{
    private readonly RuntimeSteps _steps = new(fixture);

    private OpenAIClient OpenAI(string apiKey) =>
        new(new ApiKeyCredential(apiKey), new OpenAIClientOptions { Endpoint = new Uri(fixture.Address, "v1"), NetworkTimeout = TimeSpan.FromSeconds(60) });

    [Fact]
    public async Task OpenAISdk_ChatCompletion_ReachesTheProviderWithTheProviderKeyAndTheBodyUnchanged()
    {
        var model = RuntimeSteps.UniqueModel("gpt");
        var app = await _steps.IssueApiKeyAsync("contoso-web");
        await _steps.AddEnterpriseKeyForAllAsync("OpenAI " + model, [model]);
        await fixture.RefreshAsync();

        var completion = await OpenAI(app.Token).GetChatClient(model).CompleteChatAsync([new UserChatMessage("Say hello")], cancellationToken: RuntimeFixture.Ct);

        Assert.Equal(ProviderStandInReply, completion.Value.Content[0].Text);
        Assert.Equal((11, 7), (completion.Value.Usage.InputTokenCount, completion.Value.Usage.OutputTokenCount));
        var received = fixture.StandIn.Requests.Last(r => r.PathAndQuery == "/v1/chat/completions");
        Assert.Equal("Bearer " + fixture.StandIn.AcceptedKey, received.Headers["Authorization"]);
        Assert.Contains($"\"model\":\"{model}\"", received.Body, StringComparison.Ordinal);
        Assert.Contains("Say hello", received.Body, StringComparison.Ordinal);
        Assert.DoesNotContain(app.Token, string.Join('\n', received.Headers.Values), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAISdk_StreamedChatCompletion_ArrivesChunkByChunkWithItsUsage()
    {
        var model = RuntimeSteps.UniqueModel("gpt");
        var app = await _steps.IssueApiKeyAsync("contoso-web");
        await _steps.AddEnterpriseKeyForAllAsync("Streaming " + model, [model]);
        await fixture.RefreshAsync();

        var chunks = new List<string>();
        ChatTokenUsage? usage = null;
        // The SDK asks for usage in streams itself (stream_options.include_usage).
        await foreach (var update in OpenAI(app.Token).GetChatClient(model).CompleteChatStreamingAsync([new UserChatMessage("Stream please")], cancellationToken: RuntimeFixture.Ct))
        {
            chunks.AddRange(update.ContentUpdate.Select(c => c.Text));
            usage ??= update.Usage;
        }

        Assert.Equal(ProviderStandInReply.Split(' ').Length, chunks.Count);
        Assert.Equal(ProviderStandInReply, string.Concat(chunks));
        Assert.Equal((11, 7), (usage?.InputTokenCount, usage?.OutputTokenCount));
    }

    [Fact]
    public async Task OpenAISdk_Embeddings_ReachTheProvidersEmbeddingsPath()
    {
        var model = RuntimeSteps.UniqueModel("embed");
        var app = await _steps.IssueApiKeyAsync("contoso-web");
        await _steps.AddEnterpriseKeyForAllAsync("Embeddings " + model, [model]);
        await fixture.RefreshAsync();

        var embedding = await OpenAI(app.Token).GetEmbeddingClient(model).GenerateEmbeddingAsync("hello", cancellationToken: RuntimeFixture.Ct);

        Assert.Equal([0.25f, -0.5f, 0.75f], embedding.Value.ToFloats().ToArray());
        var received = fixture.StandIn.Requests.Last(r => r.PathAndQuery == "/v1/embeddings");
        Assert.Contains($"\"model\":\"{model}\"", received.Body, StringComparison.Ordinal);
        Assert.Equal("Bearer " + fixture.StandIn.AcceptedKey, received.Headers["Authorization"]);
    }

    [Fact]
    public async Task OpenAISdk_AzureDeployment_GoesToTheDeploymentPathWithApiKeyHeaderAndApiVersion()
    {
        var deployment = RuntimeSteps.UniqueModel("deploy");
        var app = await _steps.IssueApiKeyAsync("contoso-web");
        await _steps.AddEnterpriseKeyForAllAsync("Azure " + deployment, [deployment], ProviderKind.AzureOpenAI, fixture.StandIn.AzureBaseUrl);
        await fixture.RefreshAsync();

        var completion = await OpenAI(app.Token).GetChatClient(deployment).CompleteChatAsync([new UserChatMessage("Hi Azure")], cancellationToken: RuntimeFixture.Ct);

        Assert.Equal(ProviderStandInReply, completion.Value.Content[0].Text);
        var received = fixture.StandIn.Requests.Last(r => r.PathAndQuery.StartsWith("/azure/openai/deployments/", StringComparison.Ordinal));
        Assert.Equal($"/azure/openai/deployments/{deployment}/chat/completions?api-version={ByokPortal.Providers.Adapters.AzureOpenAIAdapter.DefaultApiVersion}", received.PathAndQuery);
        Assert.Equal(fixture.StandIn.AcceptedKey, received.Headers["api-key"]);
        Assert.False(received.Headers.ContainsKey("Authorization"));
    }

    [Fact]
    public async Task AnthropicSdk_Messages_ReachTheAnthropicKeyWithXApiKeyAndVersion()
    {
        var model = RuntimeSteps.UniqueModel("claude");
        var app = await _steps.IssueApiKeyAsync("contoso-web");
        await _steps.AddEnterpriseKeyForAllAsync("Anthropic " + model, [model], ProviderKind.Anthropic, fixture.StandIn.AnthropicBaseUrl);
        await fixture.RefreshAsync();
        var client = new AnthropicClient { ApiKey = app.Token, BaseUrl = fixture.Address.ToString().TrimEnd('/'), MaxRetries = 0 };

        var message = await client.Messages.Create(new MessageCreateParams
        {
            Model = model,
            MaxTokens = 64,
            Messages = [new UserMessageParam { Content = "Hello Claude" }],
        }, RuntimeFixture.Ct);

        Assert.True(message.Content.Single().TryPickText(out var text));
        Assert.Equal(ProviderStandInReply, text.Text);
        Assert.Equal((11L, 7L), (message.Usage.InputTokens, message.Usage.OutputTokens));
        var received = fixture.StandIn.Requests.Last(r => r.PathAndQuery == "/anthropic/v1/messages");
        Assert.Equal(fixture.StandIn.AcceptedKey, received.Headers["x-api-key"]);
        Assert.False(string.IsNullOrEmpty(received.Headers["anthropic-version"]));
        Assert.Contains(model, received.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnthropicSdk_StreamedMessages_ArriveEventByEvent()
    {
        var model = RuntimeSteps.UniqueModel("claude");
        var app = await _steps.IssueApiKeyAsync("contoso-web");
        await _steps.AddEnterpriseKeyForAllAsync("Anthropic stream " + model, [model], ProviderKind.Anthropic, fixture.StandIn.AnthropicBaseUrl);
        await fixture.RefreshAsync();
        var client = new AnthropicClient { ApiKey = app.Token, BaseUrl = fixture.Address.ToString().TrimEnd('/'), MaxRetries = 0 };

        var events = new List<RawMessageStreamEvent>();
        await foreach (var streamed in client.Messages.CreateStreaming(new MessageCreateParams
                       {
                           Model = model,
                           MaxTokens = 64,
                           Messages = [new UserMessageParam { Content = "Hello stream" }],
                       }, RuntimeFixture.Ct))
        {
            events.Add(streamed);
        }

        Assert.Equal(6, events.Count);
    }

    [Fact]
    public async Task OpenAISdk_ModelAnAnthropicKeyServes_GoesToAnthropicsOpenAICompatibleEndpointWithABearerKey()
    {
        var model = RuntimeSteps.UniqueModel("claude");
        var app = await _steps.IssueApiKeyAsync("contoso-web");
        await _steps.AddEnterpriseKeyForAllAsync("Anthropic compat " + model, [model], ProviderKind.Anthropic, fixture.StandIn.AnthropicBaseUrl);
        await fixture.RefreshAsync();

        var completion = await OpenAI(app.Token).GetChatClient(model).CompleteChatAsync([new UserChatMessage("Hi")], cancellationToken: RuntimeFixture.Ct);

        Assert.Equal(ProviderStandInReply, completion.Value.Content[0].Text);
        var received = fixture.StandIn.Requests.Last(r => r.PathAndQuery == "/anthropic/v1/chat/completions");
        Assert.Equal("Bearer " + fixture.StandIn.AcceptedKey, received.Headers["Authorization"]);
    }

    private const string ProviderStandInReply = Testing.ProviderStandIn.Reply;
}
