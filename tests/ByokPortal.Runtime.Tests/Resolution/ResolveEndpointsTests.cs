using ByokPortal.Core.Access;
using System.Net;
using System.Text.Json;
using ByokPortal.Core.CustomModels;
using ByokPortal.Core.Organizations;
using ByokPortal.Core.ProviderKeys;
using ByokPortal.Testing;

namespace ByokPortal.Runtime.Tests.Resolution;

/// <summary>
/// <c>POST /api/v1/resolve</c>, <c>GET /api/v1/models</c> and <c>GET /v1/models</c> as PRODUCT.md's runtime contract states them, against the
/// real portal: which key serves a model (the API key's own keys, the organization's, then the enterprise's), every refusal, bad bodies.
/// </summary>
public sealed class ResolveEndpointsTests(RuntimeFixture fixture) : IClassFixture<RuntimeFixture>
{
    private readonly RuntimeSteps _steps = new(fixture);

    [Fact]
    public async Task Resolve_SameModelFromApiKeyOrganizationAndEnterpriseKeys_PicksInThatOrderAndListsItOnce()
    {
        var model = RuntimeSteps.UniqueModel("gpt");
        var onlyEnterprise = RuntimeSteps.UniqueModel("ent");
        var app = await _steps.IssueApiKeyAsync("contoso-web");
        var otherApp = await _steps.IssueApiKeyAsync("contoso-web");
        var enterprise = await _steps.AddEnterpriseKeyForAllAsync("Enterprise OpenAI " + model, [model, onlyEnterprise]);
        var oscar = await _steps.OscarAsync();
        var organization = await _steps.AddKeyAsync(oscar, KeyScope.Organization("contoso-web"), "Web team " + model, [model]);
        var forApp = await _steps.AddKeyAsync(oscar, KeyScope.Organization("contoso-web"), "App only " + model, [model], apiKeyIds: [app.Id]);
        await fixture.RefreshAsync();

        var (status, body, response) = await fixture.Client(app.Token).ResolveAsync(model);
        var (_, otherBody, _) = await fixture.Client(otherApp.Token).ResolveAsync(model);
        var (_, enterpriseBody, _) = await fixture.Client(app.Token).ResolveAsync(onlyEnterprise);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal((forApp.KeyId.ToString(), "apiKey"), (body.GetProperty("key").GetProperty("id").GetString(), body.GetProperty("key").GetProperty("source").GetString()));
        Assert.Equal((forApp.KeyId.ToString(), "apiKey"), (response.Headers.GetValues("x-byok-key-id").Single(), response.Headers.GetValues("x-byok-key-source").Single()));
        Assert.Equal((organization.KeyId.ToString(), "organization"), (otherBody.GetProperty("key").GetProperty("id").GetString(), otherBody.GetProperty("key").GetProperty("source").GetString()));
        Assert.Equal((enterprise.KeyId.ToString(), "enterprise"), (enterpriseBody.GetProperty("key").GetProperty("id").GetString(), enterpriseBody.GetProperty("key").GetProperty("source").GetString()));
        var listed = (await fixture.Client(app.Token).ModelsAsync()).Where(m => m.Id == model || m.Id == onlyEnterprise).ToList();
        Assert.Equal([(model, "App only " + model, "apiKey"), (onlyEnterprise, "Enterprise OpenAI " + model, "enterprise")], listed);
    }

    [Fact]
    public async Task Resolve_OpenAIKey_AnswersTheCopilotSdkProviderConfigurationWithTheKey()
    {
        var model = RuntimeSteps.UniqueModel("gpt");
        var app = await _steps.IssueApiKeyAsync("contoso-web");
        var key = await _steps.AddEnterpriseKeyForAllAsync("OpenAI " + model, [model]);
        await fixture.RefreshAsync();

        var (status, body, response) = await fixture.Client(app.Token).ResolveAsync(model);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        Assert.Equal(model, body.GetProperty("model").GetString());
        Assert.Equal("OpenAI " + model, body.GetProperty("key").GetProperty("name").GetString());
        var provider = body.GetProperty("provider");
        Assert.Equal(
            ("openai", fixture.StandIn.OpenAIBaseUrl, fixture.StandIn.AcceptedKey, "completions"),
            (provider.GetProperty("type").GetString(), provider.GetProperty("baseUrl").GetString(), provider.GetProperty("apiKey").GetString(), provider.GetProperty("wireApi").GetString()));
        Assert.False(provider.TryGetProperty("azure", out _));
        Assert.Equal(key.KeyId, body.GetProperty("key").GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task Resolve_AzureOpenAIKey_AnswersTheNativeAzureConfigurationWithItsApiVersion()
    {
        var deployment = RuntimeSteps.UniqueModel("deploy");
        var app = await _steps.IssueApiKeyAsync("contoso-web");
        await _steps.AddEnterpriseKeyForAllAsync("Azure " + deployment, [deployment], ProviderKind.AzureOpenAI, fixture.StandIn.AzureBaseUrl);
        await fixture.RefreshAsync();

        var (status, body, _) = await fixture.Client(app.Token).ResolveAsync(deployment);

        Assert.Equal(HttpStatusCode.OK, status);
        var provider = body.GetProperty("provider");
        Assert.Equal(
            ("azure", fixture.StandIn.AzureBaseUrl, fixture.StandIn.AcceptedKey, ByokPortal.Providers.Adapters.AzureOpenAIAdapter.DefaultApiVersion),
            (provider.GetProperty("type").GetString(), provider.GetProperty("baseUrl").GetString(), provider.GetProperty("apiKey").GetString(),
             provider.GetProperty("azure").GetProperty("apiVersion").GetString()));
    }

    [Fact]
    public async Task Resolve_AnthropicKey_AnswersTheAnthropicConfiguration()
    {
        var model = RuntimeSteps.UniqueModel("claude");
        var app = await _steps.IssueApiKeyAsync("contoso-web");
        await _steps.AddEnterpriseKeyForAllAsync("Anthropic " + model, [model], ProviderKind.Anthropic, fixture.StandIn.AnthropicBaseUrl);
        await fixture.RefreshAsync();

        var (_, body, _) = await fixture.Client(app.Token).ResolveAsync(model);

        var provider = body.GetProperty("provider");
        Assert.Equal(("anthropic", fixture.StandIn.AnthropicBaseUrl, fixture.StandIn.AcceptedKey),
            (provider.GetProperty("type").GetString(), provider.GetProperty("baseUrl").GetString(), provider.GetProperty("apiKey").GetString()));
    }

    [Fact]
    public async Task Resolve_ModelDisabledNotGrantedOrExcludedByModelsPermissions_IsNotFoundLikeAnUnknownModel()
    {
        var disabled = RuntimeSteps.UniqueModel("disabled");
        var notGranted = RuntimeSteps.UniqueModel("notgranted");
        var excluded = RuntimeSteps.UniqueModel("excluded");
        var kept = RuntimeSteps.UniqueModel("kept");
        var app = await _steps.IssueApiKeyAsync("contoso-research");
        var ada = await _steps.AdaAsync();
        var enterprise = await _steps.AddKeyAsync(ada, KeyScope.Enterprise("contoso"), "Mixed " + disabled, [disabled, notGranted, excluded, kept]);
        await _steps.SaveModelSettingsAsync(ada, KeyScope.Enterprise("contoso"), enterprise.Models[disabled], enabled: false, ModelAccessMode.AllOrganizations);
        await _steps.SaveModelSettingsAsync(ada, KeyScope.Enterprise("contoso"), enterprise.Models[notGranted], enabled: true, ModelAccessMode.ChoosePerOrganization, await fixture.OrganizationIdAsync("contoso-data"));
        await _steps.SaveModelSettingsAsync(ada, KeyScope.Enterprise("contoso"), enterprise.Models[excluded], enabled: true, ModelAccessMode.AllOrganizations);
        await _steps.SaveModelSettingsAsync(ada, KeyScope.Enterprise("contoso"), enterprise.Models[kept], enabled: true, ModelAccessMode.AllOrganizations);
        await _steps.SaveModelsPermissionsAsync("contoso-research", ModelsPermission.OnlySelectModels, enterprise.Models[kept]);
        await fixture.RefreshAsync();

        var client = fixture.Client(app.Token);
        var answers = new List<(string, HttpStatusCode, string?)>();
        foreach (var model in new[] { disabled, notGranted, excluded, "no-such-model", kept })
        {
            var (status, body, response) = await client.ResolveAsync(model);
            answers.Add((model, status, status == HttpStatusCode.OK ? null : body.ProblemType()));
            Assert.Equal(status == HttpStatusCode.OK ? "application/json" : "application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        const string notAvailable = RuntimeProblems.TypeBase + "model-not-available";
        Assert.Equal(
            [(disabled, HttpStatusCode.NotFound, notAvailable), (notGranted, HttpStatusCode.NotFound, notAvailable), (excluded, HttpStatusCode.NotFound, notAvailable),
             ("no-such-model", HttpStatusCode.NotFound, notAvailable), (kept, HttpStatusCode.OK, null)],
            answers);
        await _steps.SaveModelsPermissionsAsync("contoso-research", ModelsPermission.AllPublishers);
    }

    [Fact]
    public async Task Resolve_KeyMarkedInvalid_FailsWithWhichKeyAndSinceWhenAndNeverFallsBackToTheNextKey()
    {
        var model = RuntimeSteps.UniqueModel("gpt");
        var app = await _steps.IssueApiKeyAsync("contoso-web");
        await _steps.AddEnterpriseKeyForAllAsync("Enterprise fallback " + model, [model]);
        var oscar = await _steps.OscarAsync();
        var broken = await _steps.AddKeyAsync(oscar, KeyScope.Organization("contoso-web"), "Broken " + model, [model], credential: "sk-wrong-key-0123456789abcdef");
        var tested = await _steps.TestKeyAsync(oscar, KeyScope.Organization("contoso-web"), broken.KeyId);
        Assert.Equal(CredentialTestStatus.Invalid, tested.Status);
        await fixture.RefreshAsync();

        var (status, body, response) = await fixture.Client(app.Token).ResolveAsync(model);

        Assert.Equal(HttpStatusCode.FailedDependency, status);
        Assert.Equal(RuntimeProblems.TypeBase + "provider-key-invalid", body.ProblemType());
        Assert.Equal(broken.KeyId, body.GetProperty("keyId").GetGuid());
        Assert.True(body.TryGetProperty("invalidSince", out _));
        Assert.Contains("Broken " + model, body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("no other key is used", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(broken.KeyId.ToString(), response.Headers.GetValues("x-byok-key-id").Single());
        Assert.DoesNotContain("sk-wrong-key", body.GetRawText(), StringComparison.Ordinal);
    }

    public static TheoryData<string, string> BadBodies() => new()
    {
        { "{\"model\": ", "not valid JSON" },
        { "[\"gpt-4o\"]", "JSON object" },
        { "{}", "must name a 'model'" },
        { "{\"model\": 42}", "must be a string" },
        { "{\"model\": null}", "must be a string" },
        { "{\"model\": \"\"}", "must not be empty" },
        { "{\"model\": \"" + new string('m', 5_000) + "\"}", "at most 200 characters" },
        { "{\"model\": \"gpt-4o\", \"temperature\": 1}", "Unknown field 'temperature'" },
        { "{\"model\": \"gpt-4o\", \"model\": \"o3\"}", "more than once" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task Resolve_BadBody_IsA400ProblemSayingWhatIsWrong(string json, string expected)
    {
        var app = await _steps.IssueApiKeyAsync("contoso-web");
        await fixture.RefreshAsync();

        var (status, body, response) = await fixture.Client(app.Token).PostJsonAsync("/api/v1/resolve", json);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(expected, body.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Resolve_BodySentAsTextPlain_IsA400ProblemSayingToSendJson()
    {
        // The JSON body is described in the OpenAPI document, not matched by routing: the route itself answers, with problem details
        // saying what to send (routing would answer a bare 415 before the route runs).
        var app = await _steps.IssueApiKeyAsync("contoso-web");
        await fixture.RefreshAsync();
        using var content = new StringContent("{\"model\": \"gpt-4o\"}", System.Text.Encoding.UTF8, "text/plain");

        using var response = await fixture.Client(app.Token).PostAsync(new Uri("/api/v1/resolve", UriKind.Relative), content, RuntimeFixture.Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Send the body as application/json", await response.Content.ReadAsStringAsync(RuntimeFixture.Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ModelsAndResolve_AnotherOrganizationsKeysAndModels_NeverAppearInAnAnswer()
    {
        var webOnly = RuntimeSteps.UniqueModel("webonly");
        var oscar = await _steps.OscarAsync();
        var webKey = await _steps.AddKeyAsync(oscar, KeyScope.Organization("contoso-web"), "Web secret team key " + webOnly, [webOnly]);
        var dataApp = await _steps.IssueApiKeyAsync("contoso-data");
        await fixture.RefreshAsync();

        var client = fixture.Client(dataApp.Token);
        var (resolveStatus, resolveBody, _) = await client.ResolveAsync(webOnly);
        var (_, portalList) = await client.GetJsonAsync("/api/v1/models");
        var (_, openAIList) = await client.GetJsonAsync("/v1/models");

        Assert.Equal(HttpStatusCode.NotFound, resolveStatus);
        foreach (var text in new[] { resolveBody.GetRawText(), portalList.GetRawText(), openAIList.GetRawText() })
        {
            Assert.DoesNotContain("Web secret team key", text, StringComparison.Ordinal);
            Assert.DoesNotContain(webKey.KeyId.ToString(), text, StringComparison.Ordinal);
        }

        Assert.DoesNotContain(webOnly, portalList.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain(webOnly, openAIList.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAIModels_ListsTheSameModelsInOpenAIsShape()
    {
        var model = RuntimeSteps.UniqueModel("gpt");
        var app = await _steps.IssueApiKeyAsync("contoso-web");
        await _steps.AddEnterpriseKeyForAllAsync("Shape " + model, [model]);
        await fixture.RefreshAsync();

        var client = fixture.Client(app.Token);
        var (status, body) = await client.GetJsonAsync("/v1/models");
        var portal = await client.ModelsAsync();

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("list", body.GetProperty("object").GetString());
        var entries = body.GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(portal.Select(m => m.Id), entries.Select(e => e.GetProperty("id").GetString()));
        var entry = entries.Single(e => e.GetProperty("id").GetString() == model);
        Assert.Equal(("model", "Shape " + model), (entry.GetProperty("object").GetString(), entry.GetProperty("owned_by").GetString()));
    }
}
