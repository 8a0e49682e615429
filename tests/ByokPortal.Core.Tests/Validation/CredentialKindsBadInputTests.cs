using ByokPortal.Core.Access;
using System.Text.Json.Nodes;
using ByokPortal.Core.Common;
using ByokPortal.Core.ProviderKeys;
using ByokPortal.Testing;

namespace ByokPortal.Core.Tests.Validation;

/// <summary>
/// The bad-input table for every credential kind beside the hidden-character table of <see cref="BadInputTableTests"/>: the API-key
/// providers' fields (key, base URL, Azure OpenAI's resource URL and api-version, Microsoft Foundry's deployment URL and wire API, Ollama's
/// and OpenAI-compatible servers' base URL), every field of a Google Vertex AI key (service-account JSON, project, region, endpoint) and
/// of an AWS Bedrock key (region rows), and a Name holding a secret, through the real "Add API key" use case: a clear message on that
/// field, never quoting key material, and nothing stored (rows, audit events and secret folders counted before and after).
/// </summary>
public sealed class CredentialKindsBadInputTests(PortalFixture fixture) : IClassFixture<PortalFixture>
{
    private static CancellationToken Ct => PortalFixture.Ct;

    private const string GoodKeyId = "AKIABADINPUTTABLE001";
    private const string GoodSecret = "bad+input+table+secret+access+key+00000";

    public static TheoryData<string, string, string> VertexCases() => new()
    {
        { "json|empty", nameof(ProviderKeyInput.Credential), "Service account JSON is required." },
        { "json|not json", nameof(ProviderKeyInput.Credential), "Service account JSON is not valid JSON: paste the whole key file downloaded from Google Cloud Console." },
        { "json|api key", nameof(ProviderKeyInput.Credential), "Service account JSON is not valid JSON: paste the whole key file downloaded from Google Cloud Console." },
        { "json|wrong type", nameof(ProviderKeyInput.Credential), "Service account JSON is not a service-account key: its \"type\" must be \"service_account\" (download a key for a service account, not a user or an API key)." },
        { "json|no private key", nameof(ProviderKeyInput.Credential), "Service account JSON is not a complete service-account key: it lacks private_key." },
        { "json|too long", nameof(ProviderKeyInput.Credential), "Service account JSON is too long: a key file is about 2–3 KB." },
        { "json|script token_uri", nameof(ProviderKeyInput.Credential), "Service account JSON has a token_uri that is not an https:// address." },
        { "project|script", "Settings.project", "Project ID may contain only letters, digits, dots, dashes and underscores." },
        { "project|too long", "Settings.project", "Project ID must be at most 63 characters." },
        { "region|control", "Settings.region", "Region must not contain control, invisible or direction-changing characters." },
        { "endpoint|ftp", nameof(ProviderKeyInput.BaseUrl), "Endpoint URL must be an http:// or https:// address." },
        { "name|private key", nameof(ProviderKeyInput.Name), "Name looks like a key or other secret: the name is shown to everyone who picks a model. Put the secret in its own field." },
    };

    public static TheoryData<string, string, string> BedrockCases() => new()
    {
        { "rows|none", nameof(ProviderKeyInput.CredentialRows), "Regions are required: add at least one row." },
        { "region|script", "CredentialRows[0].region", "Region must be an AWS region such as us-east-1, or global." },
        { "region|empty", "CredentialRows[0].region", "Region is required." },
        { "key id|too long", "CredentialRows[0].accessKeyId", "Access Key ID must be 16 to 128 capital letters and digits, such as AKIA…." },
        { "key id|control", "CredentialRows[0].accessKeyId", "Access Key ID must be 16 to 128 capital letters and digits, such as AKIA…." },
        { "secret|empty", "CredentialRows[0].secretAccessKey", "Secret Access Key is required." },
        { "secret|line break", "CredentialRows[0].secretAccessKey", "Secret Access Key must not contain spaces or line breaks." },
        { "secret|too long", "CredentialRows[0].secretAccessKey", "Secret Access Key must be 16 to 128 characters." },
        { "endpoint|javascript", nameof(ProviderKeyInput.BaseUrl), "Endpoint URL must be an http:// or https:// address." },
        { "model|no region", "ModelIds[0]", "AWS Bedrock model IDs start with their region, as in us-east-1/anthropic.claude-3-5-haiku-20241022-v1:0." },
    };

    private const string GoodApiKey = "sk-test-bad-input-table-key-000000000001";

    private const string PrivateKeyPem = "-----BEGIN RSA PRIVATE KEY-----MIIEowIBAAKCAQEAstandin";

    /// <summary>Case "provider|field|what", field the message is on, message.</summary>
    public static TheoryData<string, string, string> ApiKeyKindCases() => new()
    {
        { "OpenAI|key|empty", nameof(ProviderKeyInput.Credential), "API key is required." },
        { "OpenAI|key|line break", nameof(ProviderKeyInput.Credential), "API key must not contain spaces or line breaks." },
        { "OpenAI|key|too long", nameof(ProviderKeyInput.Credential), "API key is too long." },
        { "OpenAI|base URL|ftp", nameof(ProviderKeyInput.BaseUrl), "Base URL must be an http:// or https:// address." },
        { "Anthropic|key|empty", nameof(ProviderKeyInput.Credential), "API key is required." },
        { "GoogleAIStudio|base URL|key in query", nameof(ProviderKeyInput.BaseUrl), "Base URL must not contain a user name, password, query string or fragment: put the key in the API key field." },
        { "AzureOpenAI|resource URL|empty", nameof(ProviderKeyInput.BaseUrl), "Resource URL is required." },
        { "AzureOpenAI|resource URL|script", nameof(ProviderKeyInput.BaseUrl), "Resource URL must be an http:// or https:// address." },
        { "AzureOpenAI|resource URL|javascript", nameof(ProviderKeyInput.BaseUrl), "Resource URL must be an http:// or https:// address." },
        { "AzureOpenAI|api-version|script", nameof(ProviderKeyInput.ApiVersion), "API version must be a date such as 2024-10-21 (or 2025-01-01-preview)." },
        { "MicrosoftFoundry|deployment URL|empty", nameof(ProviderKeyInput.BaseUrl), "Deployment URL is required." },
        { "MicrosoftFoundry|deployment URL|file", nameof(ProviderKeyInput.BaseUrl), "Deployment URL must be an http:// or https:// address." },
        { "MicrosoftFoundry|deployment URL|user info", nameof(ProviderKeyInput.BaseUrl), "Deployment URL must not contain a user name, password, query string or fragment: put the key in the API key field." },
        { "MicrosoftFoundry|wire API|other", "Settings.wireApi", "Wire API must be one of: completions, responses." },
        { "MicrosoftFoundry|wire API|script", "Settings.wireApi", "Wire API must be one of: completions, responses." },
        { "Ollama|base URL|empty", nameof(ProviderKeyInput.BaseUrl), "Base URL is required." },
        { "Ollama|base URL|ftp", nameof(ProviderKeyInput.BaseUrl), "Base URL must be an http:// or https:// address." },
        { "Ollama|base URL|too long", nameof(ProviderKeyInput.BaseUrl), "Base URL is too long." },
        { "Ollama|key|control", nameof(ProviderKeyInput.Credential), "API key must not contain spaces or line breaks." },
        { "OpenAICompatible|key|zero-width", nameof(ProviderKeyInput.Credential), "API key must not contain control, invisible or direction-changing characters." },
        { "OpenAICompatible|base URL|empty", nameof(ProviderKeyInput.BaseUrl), "Base URL is required." },
        { "OpenAICompatible|base URL|script", nameof(ProviderKeyInput.BaseUrl), "Base URL must be an http:// or https:// address." },
        { "OpenAI|name|empty", nameof(ProviderKeyInput.Name), "Name is required." },
        { "OpenAI|name|script", nameof(ProviderKeyInput.Name), "Name must not contain markup such as <script>." },
        { "MicrosoftFoundry|name|closing tag", nameof(ProviderKeyInput.Name), "Name must not contain markup such as <script>." },
        { "OpenAI|name|private key", nameof(ProviderKeyInput.Name), "Name looks like a key or other secret: the name is shown to everyone who picks a model. Put the secret in its own field." },
        { "OpenAI|name|api key", nameof(ProviderKeyInput.Name), "Name looks like a key or other secret: the name is shown to everyone who picks a model. Put the secret in its own field." },
        { "AwsBedrock|name|access key id", nameof(ProviderKeyInput.Name), "Name looks like a key or other secret: the name is shown to everyone who picks a model. Put the secret in its own field." },
    };

    private ProviderKeyInput ApiKeyKind(string @case)
    {
        var parts = @case.Split('|');
        var provider = Enum.Parse<ProviderKind>(parts[0]);
        var baseUrl = provider switch
        {
            ProviderKind.AzureOpenAI => fixture.StandIn.AzureBaseUrl,
            ProviderKind.MicrosoftFoundry => fixture.StandIn.FoundryDeploymentUrl,
            ProviderKind.Anthropic => fixture.StandIn.AnthropicBaseUrl,
            ProviderKind.GoogleAIStudio => fixture.StandIn.GoogleBaseUrl,
            ProviderKind.AwsBedrock => fixture.StandIn.BedrockBaseUrl,
            _ => fixture.StandIn.OpenAIBaseUrl,
        };
        var input = new ProviderKeyInput
        {
            Provider = provider,
            Name = TestData.UniqueName("Bad input " + parts[0]),
            Credential = provider == ProviderKind.AwsBedrock ? null : GoodApiKey,
            CredentialRows = provider == ProviderKind.AwsBedrock
                ? [new Dictionary<string, string?> { ["region"] = "us-east-1", ["accessKeyId"] = GoodKeyId, ["secretAccessKey"] = GoodSecret }]
                : [],
            BaseUrl = baseUrl,
            ApiVersion = provider == ProviderKind.AzureOpenAI ? "2024-10-21" : null,
            Settings = provider == ProviderKind.MicrosoftFoundry ? new Dictionary<string, string?> { ["wireApi"] = "responses" } : new Dictionary<string, string?>(),
            ModelIds = [provider == ProviderKind.AwsBedrock ? "us-east-1/anthropic.claude-3-haiku-20240307-v1:0" : "gpt-4o"],
        };
        return (parts[1], parts[2]) switch
        {
            ("key", "empty") => input with { Credential = "" },
            ("key", "line break") => input with { Credential = GoodApiKey[..10] + "\n" + GoodApiKey[10..] },
            ("key", "too long") => input with { Credential = GoodApiKey + new string('k', 8193) },
            ("key", "control") => input with { Credential = GoodApiKey[..10] + "\u0007" + GoodApiKey[10..] },
            ("key", "zero-width") => input with { Credential = GoodApiKey[..10] + "\u200B" + GoodApiKey[10..] },
            (_, "empty") when parts[1].EndsWith("URL", StringComparison.Ordinal) => input with { BaseUrl = "" },
            (_, "ftp") => input with { BaseUrl = "ftp://models.example.com/v1" },
            (_, "file") => input with { BaseUrl = "file:///etc/passwd" },
            (_, "javascript") => input with { BaseUrl = "javascript:alert(1)" },
            (_, "script") when parts[1].EndsWith("URL", StringComparison.Ordinal) => input with { BaseUrl = "<script>alert(1)</script>" },
            (_, "key in query") => input with { BaseUrl = baseUrl + "?key=" + GoodApiKey },
            (_, "user info") => input with { BaseUrl = baseUrl.Replace("http://", "http://admin:" + GoodApiKey + "@", StringComparison.Ordinal) },
            (_, "too long") => input with { BaseUrl = baseUrl + "/" + new string('v', 2100) },
            ("api-version", "script") => input with { ApiVersion = "<script>alert(1)</script>" },
            ("wire API", "other") => input with { Settings = new Dictionary<string, string?> { ["wireApi"] = "chat" } },
            ("wire API", "script") => input with { Settings = new Dictionary<string, string?> { ["wireApi"] = "<script>alert(1)</script>" } },
            ("name", "empty") => input with { Name = " " },
            ("name", "script") => input with { Name = "<script>alert(1)</script>" },
            ("name", "closing tag") => input with { Name = "Production</b>" },
            ("name", "private key") => input with { Name = PrivateKeyPem },
            ("name", "api key") => input with { Name = GoodApiKey },
            ("name", "access key id") => input with { Name = GoodKeyId },
            _ => throw new ArgumentOutOfRangeException(nameof(@case), @case, null),
        };
    }

    private ProviderKeyInput Vertex(string @case)
    {
        var json = fixture.StandIn.ServiceAccountJson();
        var input = new ProviderKeyInput
        {
            Provider = ProviderKind.GoogleVertexAI,
            Name = TestData.UniqueName("Vertex bad input"),
            Credential = json,
            BaseUrl = fixture.StandIn.VertexBaseUrl,
            Settings = new Dictionary<string, string?> { ["project"] = ProviderStandIn.VertexProject, ["region"] = "us-central1" },
            ModelIds = ["google/gemini-2.0-flash-001"],
        };
        JsonObject File() => JsonNode.Parse(json)!.AsObject();
        return @case switch
        {
            "json|empty" => input with { Credential = "" },
            "json|not json" => input with { Credential = json[..200] },
            "json|api key" => input with { Credential = "AIzaSyA-standin-google-api-key-000000000" },
            "json|wrong type" => input with { Credential = Set(File(), "type", "authorized_user") },
            "json|no private key" => input with { Credential = Without(File(), "private_key") },
            "json|too long" => input with { Credential = Set(File(), "padding", new string('x', 17000)) },
            "json|script token_uri" => input with { Credential = Set(File(), "token_uri", "javascript:alert(1)") },
            "project|script" => input with { Settings = new Dictionary<string, string?> { ["project"] = "<script>alert(1)</script>" } },
            "project|too long" => input with { Settings = new Dictionary<string, string?> { ["project"] = new string('p', 64) } },
            "region|control" => input with { Settings = new Dictionary<string, string?> { ["project"] = "p", ["region"] = "us-central1\u0007" } },
            "endpoint|ftp" => input with { BaseUrl = "ftp://vertex.example.com" },
            "name|private key" => input with { Name = "-----BEGIN PRIVATE KEY-----MIIEv" },
            _ => throw new ArgumentOutOfRangeException(nameof(@case), @case, null),
        };
    }

    private ProviderKeyInput Bedrock(string @case)
    {
        Dictionary<string, string?> Row(string region = "us-east-1", string keyId = GoodKeyId, string secret = GoodSecret) =>
            new() { ["region"] = region, ["accessKeyId"] = keyId, ["secretAccessKey"] = secret };
        var input = new ProviderKeyInput
        {
            Provider = ProviderKind.AwsBedrock,
            Name = TestData.UniqueName("Bedrock bad input"),
            BaseUrl = fixture.StandIn.BedrockBaseUrl,
            CredentialRows = [Row()],
            ModelIds = ["us-east-1/anthropic.claude-3-haiku-20240307-v1:0"],
        };
        return @case switch
        {
            "rows|none" => input with { CredentialRows = [] },
            "region|script" => input with { CredentialRows = [Row(region: "<script>alert(1)</script>")] },
            "region|empty" => input with { CredentialRows = [Row(region: "")] },
            "key id|too long" => input with { CredentialRows = [Row(keyId: "AKIA" + new string('A', 125))] },
            "key id|control" => input with { CredentialRows = [Row(keyId: "AKIA\u0000BADINPUT0001")] },
            "secret|empty" => input with { CredentialRows = [Row(secret: "")] },
            "secret|line break" => input with { CredentialRows = [Row(secret: "bad+input+table\nsecret+access+key+0000")] },
            "secret|too long" => input with { CredentialRows = [Row(secret: new string('s', 129))] },
            "endpoint|javascript" => input with { BaseUrl = "javascript:alert(1)" },
            "model|no region" => input with { ModelIds = ["anthropic.claude-3-haiku-20240307-v1:0"] },
            _ => throw new ArgumentOutOfRangeException(nameof(@case), @case, null),
        };
    }

    private static string Set(JsonObject file, string name, string value)
    {
        file[name] = value;
        return file.ToJsonString();
    }

    private static string Without(JsonObject file, string name)
    {
        file.Remove(name);
        return file.ToJsonString();
    }

    private async Task AssertRefusedAsync(ProviderKeyInput input, string field, string message, string keyMaterial)
    {
        (int, int, int, int) before;
        await using (var db = await fixture.DbAsync())
        {
            before = await TestData.CountsAsync(db, Ct);
        }

        var secretsBefore = fixture.SecretFolders();
        var requestsBefore = fixture.StandIn.Requests.Count;

        var result = await fixture.Get<AddProviderKeyCommand>().ExecuteAsync(await fixture.ActorAsync(DemoSignIn.EnterpriseOwner), KeyScope.Enterprise("contoso"), input, Ct);

        var validation = Assert.IsType<ValidationError>(result.Error);
        Assert.Equal([message], TestData.MessagesFor(validation, field));
        Assert.DoesNotContain(keyMaterial, string.Join('\n', validation.Failures.SelectMany(f => f.Value)), StringComparison.Ordinal);
        await using (var db = await fixture.DbAsync())
        {
            Assert.Equal(before, await TestData.CountsAsync(db, Ct));
        }

        Assert.Equal(secretsBefore, fixture.SecretFolders());
        Assert.Equal(requestsBefore, fixture.StandIn.Requests.Count);
    }

    [Theory]
    [MemberData(nameof(VertexCases))]
    public async Task AddVertexKey_BadField_MessageOnThatFieldAndNothingStored(string @case, string field, string message)
    {
        var input = Vertex(@case);
        var material = JsonNode.Parse(fixture.StandIn.ServiceAccountJson())!["private_key"]!.GetValue<string>().Split('\n')[3];

        await AssertRefusedAsync(input, field, message, material);
    }

    [Theory]
    [MemberData(nameof(BedrockCases))]
    public async Task AddBedrockKey_BadField_MessageOnThatFieldAndNothingStored(string @case, string field, string message) =>
        await AssertRefusedAsync(Bedrock(@case), field, message, GoodSecret);

    [Theory]
    [MemberData(nameof(ApiKeyKindCases))]
    public async Task AddApiKeyKindKey_BadField_MessageOnThatFieldAndNothingStored(string @case, string field, string message) =>
        await AssertRefusedAsync(ApiKeyKind(@case), field, message, GoodApiKey);
}
