using ByokPortal.Core.Access;
using System.Net;
using System.Text;
using System.Text.Json;
using ByokPortal.Core.ProviderKeys;
using ByokPortal.Providers.Adapters;
using ByokPortal.Testing;

namespace ByokPortal.Runtime.Tests.Gateway;

/// <summary>
/// Google Vertex AI and AWS Bedrock keys served by the real portal, end to end over real HTTP: saved through the use case, resolved
/// (Vertex: a short-lived token and Vertex's OpenAI-compatible base, never the key file; Bedrock: the portal's own gateway, saying so),
/// and forwarded by the gateway (Vertex with the token; Bedrock signed for the model's region, with global's keys where the region has
/// no row of its own).
/// </summary>
public sealed class CloudProviderRuntimeTests(RuntimeFixture fixture) : IClassFixture<RuntimeFixture>
{
    private const string UsKeyId = "AKIAUSEAST1RUNTIME01";
    private const string UsSecret = "runtime+us-east-1+secret+access+key+0000";
    private const string GlobalKeyId = "AKIAGLOBALRUNTIME002";
    private const string GlobalSecret = "runtime+global+secret+access+key+000000";

    private readonly RuntimeSteps _steps = new(fixture);

    private static StringContent Chat(string model) =>
        new($"{{\"model\":\"{model}\",\"messages\":[{{\"role\":\"user\",\"content\":\"Hi\"}}]}}", Encoding.UTF8, "application/json");

    private async Task<Guid> AddEnterpriseKeyAsync(ProviderKeyInput input)
    {
        var ada = await _steps.AdaAsync();
        var added = await fixture.Get<AddProviderKeyCommand>().ExecuteAsync(ada, KeyScope.Enterprise("contoso"), input, RuntimeFixture.Ct);
        Assert.True(added.IsSuccess, added.Error?.Message);
        await using var db = await fixture.DbAsync();
        foreach (var model in db.CustomModels.Where(m => m.ProviderKeyId == added.Value.Id).Select(m => m.Id).ToList())
        {
            await _steps.SaveModelSettingsAsync(ada, KeyScope.Enterprise("contoso"), model, enabled: true, Core.CustomModels.ModelAccessMode.AllOrganizations);
        }

        await fixture.RefreshAsync();
        return added.Value.Id;
    }

    [Fact]
    public async Task Vertex_ResolveAnswersATokenNeverTheKeyFile_AndTheGatewayForwardsWithThatToken()
    {
        var model = "google/" + RuntimeSteps.UniqueModel("gemini");
        var json = fixture.StandIn.ServiceAccountJson();
        var app = await _steps.IssueApiKeyAsync("contoso-web");
        var keyId = await AddEnterpriseKeyAsync(new ProviderKeyInput
        {
            Provider = ProviderKind.GoogleVertexAI,
            Name = "Vertex " + model,
            Credential = json,
            BaseUrl = fixture.StandIn.VertexBaseUrl,
            Settings = new Dictionary<string, string?> { ["region"] = ProviderStandIn.VertexRegion },
            ModelIds = [model],
        });

        var (status, body, _) = await fixture.Client(app.Token).ResolveAsync(model);
        var before = fixture.StandIn.Requests.Count;
        using var forwarded = await fixture.Client(app.Token).PostAsync(new Uri("/v1/chat/completions", UriKind.Relative), Chat(model), RuntimeFixture.Ct);

        Assert.True(status == HttpStatusCode.OK, body.GetRawText());
        Assert.Equal(keyId, body.GetProperty("key").GetProperty("id").GetGuid());
        var provider = body.GetProperty("provider");
        Assert.Equal(
            ("openai", $"{fixture.StandIn.VertexBaseUrl}/v1/projects/{ProviderStandIn.VertexProject}/locations/{ProviderStandIn.VertexRegion}/endpoints/openapi", "completions"),
            (provider.GetProperty("type").GetString(), provider.GetProperty("baseUrl").GetString(), provider.GetProperty("wireApi").GetString()));
        var token = provider.GetProperty("bearerToken").GetString()!;
        Assert.Contains(token, fixture.StandIn.IssuedTokens);
        Assert.False(provider.TryGetProperty("apiKey", out var apiKey) && apiKey.ValueKind != JsonValueKind.Null, "resolve handed out an apiKey for Vertex");
        var raw = body.GetRawText();
        Assert.DoesNotContain("PRIVATE KEY", raw, StringComparison.Ordinal);
        Assert.DoesNotContain(ProviderStandIn.ServiceAccountKeyId, raw, StringComparison.Ordinal);

        Assert.True(forwarded.StatusCode == HttpStatusCode.OK, await forwarded.Content.ReadAsStringAsync(RuntimeFixture.Ct));
        var upstream = Assert.Single(fixture.StandIn.Requests.Skip(before), r => r.PathAndQuery.Contains("/endpoints/openapi/chat/completions", StringComparison.Ordinal));
        Assert.Equal($"/vertex/v1/projects/{ProviderStandIn.VertexProject}/locations/{ProviderStandIn.VertexRegion}/endpoints/openapi/chat/completions", upstream.PathAndQuery);
        Assert.StartsWith("Bearer ya29.standin-", upstream.Headers["Authorization"], StringComparison.Ordinal);
        Assert.Equal(model, JsonDocument.Parse(upstream.Body).RootElement.GetProperty("model").GetString());
    }

    [Fact]
    public async Task Bedrock_ResolveAnswersThePortalsGateway_AndTheGatewaySignsEachModelForItsRegionWithGlobalAsFallback()
    {
        fixture.StandIn.BedrockKeys[UsKeyId] = UsSecret;
        fixture.StandIn.BedrockKeys[GlobalKeyId] = GlobalSecret;
        var suffix = RuntimeSteps.UniqueModel("v");
        var inUsEast = $"us-east-1/anthropic.claude-{suffix}";
        var inParis = $"eu-west-3/mistral.large-{suffix}";
        var app = await _steps.IssueApiKeyAsync("contoso-web");
        Dictionary<string, string?> Row(string region, string id, string secret) => new() { ["region"] = region, ["accessKeyId"] = id, ["secretAccessKey"] = secret };
        await AddEnterpriseKeyAsync(new ProviderKeyInput
        {
            Provider = ProviderKind.AwsBedrock,
            Name = "Bedrock " + suffix,
            CredentialRows = [Row("us-east-1", UsKeyId, UsSecret), Row("global", GlobalKeyId, GlobalSecret)],
            BaseUrl = fixture.StandIn.BedrockBaseUrl,
            ModelIds = [inUsEast, inParis],
        });
        var client = fixture.Client(app.Token);

        var (status, body, _) = await client.ResolveAsync(inParis);
        var before = fixture.StandIn.Requests.Count;
        var signaturesBefore = fixture.StandIn.BedrockSignatures.Count;
        using var us = await client.PostAsync(new Uri("/v1/chat/completions", UriKind.Relative), Chat(inUsEast), RuntimeFixture.Ct);
        using var paris = await client.PostAsync(new Uri("/v1/chat/completions", UriKind.Relative), Chat(inParis), RuntimeFixture.Ct);

        Assert.Equal(HttpStatusCode.OK, status);
        var provider = body.GetProperty("provider");
        Assert.Equal(("openai", new Uri(fixture.Address, "/v1").ToString().TrimEnd('/'), app.Token),
            (provider.GetProperty("type").GetString(), provider.GetProperty("baseUrl").GetString()!.TrimEnd('/'), provider.GetProperty("apiKey").GetString()));
        Assert.Equal(AwsBedrockAdapter.GatewayNote, body.GetProperty("note").GetString());
        Assert.DoesNotContain(UsSecret, body.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain(GlobalKeyId, body.GetRawText(), StringComparison.Ordinal);

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (us.StatusCode, paris.StatusCode));
        Assert.Equal([(UsKeyId, "us-east-1"), (GlobalKeyId, "eu-west-3")],
            fixture.StandIn.BedrockSignatures.Skip(signaturesBefore).Select(s => (s.AccessKeyId, s.Region)));
        var upstreamModels = fixture.StandIn.Requests.Skip(before).Where(r => r.PathAndQuery == "/bedrock/openai/v1/chat/completions")
            .Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("model").GetString()).ToList();
        Assert.Equal([$"anthropic.claude-{suffix}", $"mistral.large-{suffix}"], upstreamModels);
    }
}
