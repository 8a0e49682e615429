using System.Text.Json;
using System.Text.Json.Nodes;
using ByokPortal.Core.Common;
using ByokPortal.Core.ProviderKeys;
using ByokPortal.Providers.Adapters;

namespace ByokPortal.Providers.Tests.Cloud;

/// <summary>
/// Google Vertex AI's adapter: the service-account key file's rules and hint, short-lived tokens minted with Google.Apis.Auth against the
/// stand-in's token endpoint (which verifies the signed assertion), cached and renewed before they expire, the model list with that token,
/// and resolve's configuration carrying a token, never the key file.
/// </summary>
public sealed class GoogleVertexAITests(CloudProvidersFixture fixture) : IClassFixture<CloudProvidersFixture>
{
    private static CancellationToken Ct => CloudProvidersFixture.Ct;

    private GoogleVertexAIAdapter Adapter => (GoogleVertexAIAdapter)fixture.Adapters.Find(ProviderKind.GoogleVertexAI)!;

    private ProviderKeyInput Input(string? json, string? region = null) => new()
    {
        Provider = ProviderKind.GoogleVertexAI,
        Name = "Vertex",
        Credential = json,
        BaseUrl = fixture.StandIn.VertexBaseUrl,
        Settings = new Dictionary<string, string?> { [GoogleVertexAIAdapter.RegionSetting] = region },
    };

    private static string PrivateKeyOf(string json) => JsonNode.Parse(json)!["private_key"]!.GetValue<string>();

    /// <summary>A line from the middle of the PEM body: any piece of key material in a message would contain it.</summary>
    private static string KeyMaterial(string json) => PrivateKeyOf(json).Split('\n')[5];

    private Task<Result<ModelListing>> ListAsync(string json) =>
        fixture.Client.ListModelsAsync(new ProviderEndpoint(ProviderKind.GoogleVertexAI, Adapter.Connection(Input(json))), json, Ct);

    [Fact]
    public void KeyFile_IsValid_HintIsTheAccountsEmailAndKeyId_AndTheProjectIsPrefilled()
    {
        var json = fixture.StandIn.ServiceAccountJson();

        Assert.Empty(Adapter.Validate(Input(json)));
        Assert.Equal($"{Testing.ProviderStandIn.ServiceAccountEmail} · key {Testing.ProviderStandIn.ServiceAccountKeyId}", Adapter.MaskedHint(json));
        Assert.Equal(Testing.ProviderStandIn.VertexProject, Adapter.Prefill(Input(json))[GoogleVertexAIAdapter.ProjectSetting]);
        var settings = JsonDocument.Parse(Adapter.Connection(Input(json)).SettingsJson!).RootElement;
        Assert.Equal((Testing.ProviderStandIn.VertexProject, "us-central1"), (settings.GetProperty("project").GetString(), settings.GetProperty("region").GetString()));
        Assert.Equal(FieldInput.JsonFile, Adapter.Form.Field(FormField.Credential)!.Input);
    }

    public static TheoryData<string, string> BadKeyFiles => new()
    {
        { "not json {", "Service account JSON is not valid JSON: paste the whole key file downloaded from Google Cloud Console." },
        { "[1, 2]", "Service account JSON is not a service-account key file (it is not a JSON object)." },
        { "{\"type\":\"authorized_user\",\"client_id\":\"x\",\"refresh_token\":\"1//secret-refresh\"}",
            "Service account JSON is not a service-account key: its \"type\" must be \"service_account\" (download a key for a service account, not a user or an API key)." },
    };

    [Theory]
    [MemberData(nameof(BadKeyFiles))]
    public void KeyFile_NotAServiceAccount_GetsAMessageNamingWhatIsWrong(string json, string message)
    {
        var error = Assert.Single(Adapter.Validate(Input(json) with { Settings = new Dictionary<string, string?> { ["project"] = "p" } }));

        Assert.Equal((nameof(ProviderKeyInput.Credential), message), (error.Property, error.Message));
        Assert.DoesNotContain("1//secret-refresh", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("private_key", "Service account JSON is not a complete service-account key: it lacks private_key.")]
    [InlineData("client_email", "Service account JSON is not a complete service-account key: it lacks client_email.")]
    [InlineData("token_uri", "Service account JSON is not a complete service-account key: it lacks token_uri.")]
    public void KeyFile_MissingAField_NamesTheFieldNeverTheKeyMaterial(string field, string message)
    {
        var json = JsonNode.Parse(fixture.StandIn.ServiceAccountJson())!.AsObject();
        var material = KeyMaterial(json.ToJsonString());
        json.Remove(field);

        var error = Assert.Single(Adapter.Validate(Input(json.ToJsonString())));

        Assert.Equal(message, error.Message);
        Assert.DoesNotContain(material, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void KeyFile_PrivateKeyTamperedOrTokenUriNotHttps_IsRefusedWithoutQuotingIt()
    {
        var good = fixture.StandIn.ServiceAccountJson();
        var broken = JsonNode.Parse(good)!.AsObject();
        broken["private_key"] = "-----BEGIN PRIVATE KEY-----\nnot-base64-at-all!!\n-----END PRIVATE KEY-----\n";
        var plainHttp = JsonNode.Parse(good)!.AsObject();
        plainHttp["token_uri"] = "http://oauth2.example.com/token";

        Assert.Equal("Service account JSON has a private_key that is not a PEM-encoded RSA private key.", Assert.Single(Adapter.Validate(Input(broken.ToJsonString()))).Message);
        Assert.Equal("Service account JSON has a token_uri that is not an https:// address.", Assert.Single(Adapter.Validate(Input(plainHttp.ToJsonString()))).Message);
    }

    [Fact]
    public async Task ListModels_GoodKeyFile_MintsATokenAtTheTokenEndpoint_AndListsWithItNeverWithTheKey()
    {
        var json = fixture.StandIn.ServiceAccountJson();
        var before = fixture.StandIn.Requests.Count;

        var listed = await ListAsync(json);

        Assert.True(listed.IsSuccess, listed.Error?.Message + " / " + fixture.StandIn.LastAssertionProblem);
        Assert.Equal(["google/gemini-1.5-pro-002", "google/gemini-2.0-flash-001"], listed.Value.Models);
        var requests = fixture.StandIn.Requests.Skip(before).ToList();
        var list = Assert.Single(requests, r => r.PathAndQuery.StartsWith("/vertex/", StringComparison.Ordinal));
        Assert.StartsWith("Bearer ya29.standin-", list.Headers["Authorization"], StringComparison.Ordinal);
        Assert.Equal(Testing.ProviderStandIn.VertexProject, list.Headers["x-goog-user-project"]);
        Assert.DoesNotContain(requests, r => r.Body.Contains(KeyMaterial(json), StringComparison.Ordinal) || r.Headers.Values.Any(v => v.Contains(KeyMaterial(json), StringComparison.Ordinal)));
    }

    [Fact]
    public async Task ListModels_KeyTheTokenEndpointDoesNotKnow_IsUnauthorized_WithoutKeyMaterial()
    {
        var json = fixture.StandIn.ServiceAccountJson(otherKey: true);

        var listed = await ListAsync(json);

        var error = Assert.IsType<ProviderCallError>(listed.Error);
        Assert.Equal(ProviderFailureReason.Unauthorized, error.Reason);
        Assert.StartsWith("Google refused the service account's token request", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(KeyMaterial(json), error.Message + fixture.Logs.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListModels_TokenEndpointUnreachable_SaysSo()
    {
        // A port nothing listens on: the stand-in's address with port 1.
        var json = fixture.StandIn.ServiceAccountJson(otherKey: true, tokenUri: "http://127.0.0.1:1/token");

        var listed = await ListAsync(json);

        var error = Assert.IsType<ProviderCallError>(listed.Error);
        Assert.Equal(ProviderFailureReason.Unreachable, error.Reason);
        Assert.Equal("Could not reach the service account's token endpoint at 127.0.0.1:1. Check the key file's token_uri.", error.Message);
    }

    [Fact]
    public async Task Resolve_AnswersABearerTokenAndVertexsOpenAIBase_CachedUntilShortlyBeforeItExpires_ThenRenewed()
    {
        var json = fixture.StandIn.ServiceAccountJson();
        var connection = ProviderConnection.From(Adapter.Connection(Input(json, region: "europe-west4")))!;
        var credential = Adapter.PrepareCredential(json);
        var caller = new ResolveCaller("http://portal.test/v1", "byok_app");

        var first = await Adapter.CopilotConfigurationAsync(connection, credential, caller, Ct);
        var tokensBefore = fixture.StandIn.TokenRequests;
        var second = await Adapter.CopilotConfigurationAsync(connection, credential, caller, Ct);
        fixture.Clock.Advance(TimeSpan.FromMinutes(30));
        var halfway = await Adapter.CopilotConfigurationAsync(connection, credential, caller, Ct);
        var cached = fixture.StandIn.TokenRequests - tokensBefore;
        fixture.Clock.Advance(TimeSpan.FromMinutes(28)); // two minutes before the hour-long token expires: renewal starts
        var renewed = await Adapter.CopilotConfigurationAsync(connection, credential, caller, Ct);
        for (var attempt = 0; attempt < 100 && renewed.BearerToken == first.BearerToken; attempt++)
        {
            await Task.Delay(50, Ct); // the library renews in the background and serves the still-valid token meanwhile
            renewed = await Adapter.CopilotConfigurationAsync(connection, credential, caller, Ct);
        }

        Assert.Equal(("openai", $"{fixture.StandIn.VertexBaseUrl}/v1/projects/{Testing.ProviderStandIn.VertexProject}/locations/europe-west4/endpoints/openapi", null, "completions"),
            (first.Type, first.BaseUrl, first.ApiKey, first.WireApi));
        Assert.StartsWith("ya29.standin-", first.BearerToken, StringComparison.Ordinal);
        Assert.Equal(0, cached);
        Assert.Equal(first.BearerToken, second.BearerToken);
        Assert.Equal(first.BearerToken, halfway.BearerToken);
        Assert.NotEqual(first.BearerToken, renewed.BearerToken);
        Assert.Equal(1, fixture.StandIn.TokenRequests - tokensBefore);
        Assert.Contains(renewed.BearerToken!, fixture.StandIn.IssuedTokens);
        Assert.DoesNotContain(KeyMaterial(json), JsonSerializer.Serialize(renewed), StringComparison.Ordinal);
    }
}
