using System.Text.Json;
using ByokPortal.Core.Common;
using ByokPortal.Core.ProviderKeys;
using ByokPortal.Providers.Adapters;
using ByokPortal.Providers.Aws;

namespace ByokPortal.Providers.Tests.Cloud;

/// <summary>
/// AWS Bedrock's adapter: region rows (form, rules, one stored secret, masked hint), ListFoundationModels signed per region against the
/// stand-in (which verifies each SigV4 signature), the <c>global</c> fallback, and gateway signing for the model's region.
/// </summary>
public sealed class AwsBedrockTests(CloudProvidersFixture fixture) : IClassFixture<CloudProvidersFixture>
{
    private const string UsKeyId = "AKIAUSEAST1STANDIN01";
    private const string UsSecret = "us/east/1+secret+access+key+standin0000";
    private const string GlobalKeyId = "AKIAGLOBALSTANDIN002";
    private const string GlobalSecret = "global+secret+access+key+standin+000000";

    private AwsBedrockAdapter Adapter => (AwsBedrockAdapter)fixture.Adapters.Find(ProviderKind.AwsBedrock)!;

    private static Dictionary<string, string?> Row(string region, string keyId, string secret) =>
        new() { [AwsBedrockAdapter.RegionColumn] = region, [AwsBedrockAdapter.AccessKeyIdColumn] = keyId, [AwsBedrockAdapter.SecretAccessKeyColumn] = secret };

    private static ProviderKeyInput Input(params Dictionary<string, string?>[] rows) =>
        new() { Provider = ProviderKind.AwsBedrock, Name = "Bedrock", CredentialRows = rows };

    private void AcceptBoth()
    {
        fixture.StandIn.BedrockKeys[UsKeyId] = UsSecret;
        fixture.StandIn.BedrockKeys[GlobalKeyId] = GlobalSecret;
    }

    private Task<Result<ModelListing>> ListAsync(ProviderKeyInput input) =>
        fixture.Client.ListModelsAsync(new ProviderEndpoint(ProviderKind.AwsBedrock, Adapter.Connection(input with { BaseUrl = fixture.StandIn.BedrockBaseUrl })),
            Adapter.Secret(input), CloudProvidersFixture.Ct);

    [Fact]
    public void Form_IsTheSeedsRegionRows_WithAddRegion()
    {
        var rows = Adapter.Form.Rows!;

        Assert.Equal("Add region", rows.AddLabel);
        Assert.Equal(["Region", "Access Key ID", "Secret Access Key"], rows.Columns.Select(c => c.Label));
        Assert.True(rows.Columns.Single(c => c.Label == "Secret Access Key").IsSecret);
    }

    [Fact]
    public void TwoRegions_AreStoredAsOneSecret_AndTheHintShowsEachAccessKeyIdsLast4Only()
    {
        var input = Input(Row("us-east-1", UsKeyId, UsSecret), Row("global", GlobalKeyId, GlobalSecret));

        var secret = Adapter.Secret(input)!;
        var hint = Adapter.MaskedHint(secret);

        Assert.Equal(["global", "us-east-1"], BedrockCredentials.Parse(secret).Regions.Order(StringComparer.Ordinal));
        Assert.Equal("global ••••N002, us-east-1 ••••IN01", hint);
        Assert.DoesNotContain(UsSecret, hint, StringComparison.Ordinal);
        Assert.Empty(Adapter.Validate(input));
    }

    [Fact]
    public void Credentials_ForARegionWithoutItsOwnRow_AreGlobals_AndWithoutGlobalNone()
    {
        var withGlobal = BedrockCredentials.Parse(Adapter.Secret(Input(Row("us-east-1", UsKeyId, UsSecret), Row("global", GlobalKeyId, GlobalSecret)))!);
        var withoutGlobal = BedrockCredentials.Parse(Adapter.Secret(Input(Row("us-east-1", UsKeyId, UsSecret)))!);

        Assert.Equal(UsKeyId, withGlobal.For("us-east-1")!.AccessKeyId);
        Assert.Equal(GlobalKeyId, withGlobal.For("eu-west-3")!.AccessKeyId);
        Assert.Null(withoutGlobal.For("eu-west-3")); // never another region's key
    }

    [Theory]
    [InlineData("", UsKeyId, UsSecret, "region", "Region is required.")]
    [InlineData("mars-north-1x", UsKeyId, UsSecret, "region", "Region must be an AWS region such as us-east-1, or global.")]
    [InlineData("<script>", UsKeyId, UsSecret, "region", "Region must be an AWS region such as us-east-1, or global.")]
    [InlineData("us-east-1", "", UsSecret, "accessKeyId", "Access Key ID is required.")]
    [InlineData("us-east-1", "akia-lower", UsSecret, "accessKeyId", "Access Key ID must be 16 to 128 capital letters and digits, such as AKIA….")]
    [InlineData("us-east-1", UsKeyId, "", "secretAccessKey", "Secret Access Key is required.")]
    [InlineData("us-east-1", UsKeyId, "short", "secretAccessKey", "Secret Access Key must be 16 to 128 characters.")]
    [InlineData("us-east-1", UsKeyId, "has a space inside the secret key", "secretAccessKey", "Secret Access Key must not contain spaces or line breaks.")]
    public void Validate_BadCell_NamesThatCellNeverItsValue(string region, string keyId, string secret, string column, string message)
    {
        var errors = Adapter.Validate(Input(Row(region, keyId, secret))).ToList();

        var error = Assert.Single(errors);
        Assert.Equal((FormRows.Property(0, column), message), (error.Property, error.Message));
        Assert.DoesNotContain(UsSecret, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_SameRegionTwice_AndAModelInARegionWithoutCredentials_AreRefused()
    {
        var duplicate = Adapter.Validate(Input(Row("us-east-1", UsKeyId, UsSecret), Row("us-east-1", GlobalKeyId, GlobalSecret))).ToList();
        var uncovered = Adapter.Validate(Input(Row("us-east-1", UsKeyId, UsSecret)) with { ModelIds = ["eu-west-3/mistral.mistral-large-2402-v1:0"] }).ToList();

        Assert.Contains(duplicate, e => e.Property == FormRows.Property(1, "region") && e.Message == "Each region can have one row.");
        Assert.Contains(uncovered, e => e.Property == nameof(ProviderKeyInput.ModelIds) && e.Message.StartsWith("No credentials for eu-west-3", StringComparison.Ordinal));
        Assert.NotNull(Adapter.ModelIdProblem("anthropic.claude-3-haiku-20240307-v1:0"));
        Assert.Null(Adapter.ModelIdProblem("us-east-1/anthropic.claude-3-haiku-20240307-v1:0"));
    }

    [Fact]
    public async Task ListModels_TwoRegions_SignsListFoundationModelsInEachWithItsOwnKey()
    {
        AcceptBoth();
        var before = fixture.StandIn.BedrockSignatures.Count;

        var listed = await ListAsync(Input(Row("eu-west-3", UsKeyId, UsSecret), Row("global", GlobalKeyId, GlobalSecret)));

        Assert.True(listed.IsSuccess, listed.Error?.Message);
        Assert.Contains("eu-west-3/anthropic.claude-3-haiku-20240307-v1:0", listed.Value.Models);
        Assert.Contains("us-east-1/meta.llama3-8b-instruct-v1:0", listed.Value.Models); // global's set is checked in us-east-1
        Assert.Equal([("eu-west-3", true), ("global", true)], listed.Value.Checks.Select(c => (c.Region!, c.Passed)).Order());
        var signatures = fixture.StandIn.BedrockSignatures.Skip(before).ToList();
        Assert.Contains((UsKeyId, "eu-west-3", "/bedrock/foundation-models"), signatures);
        Assert.Contains((GlobalKeyId, "us-east-1", "/bedrock/foundation-models"), signatures);
    }

    [Fact]
    public async Task ListModels_RegionsAreAskedTogether_EachAnswerReportedPerRegionInRegionOrder()
    {
        AcceptBoth();
        fixture.StandIn.BedrockKeys["AKIAWESTTWOSTANDIN03"] = "us/west/2+secret+access+key+standin0000";
        // The stand-in answers none of the three listings until all three are in flight: asked one after another, the first would time out.
        fixture.StandIn.HoldBedrockListingsUntil(3);

        var listed = await ListAsync(Input(
            Row("us-west-2", "AKIAWESTTWOSTANDIN03", "us/west/2+secret+access+key+standin0000"),
            Row("eu-west-3", UsKeyId, UsSecret),
            Row("global", GlobalKeyId, GlobalSecret)));

        Assert.True(listed.IsSuccess, listed.Error?.Message);
        Assert.Equal([("eu-west-3", true), ("global", true), ("us-west-2", true)], listed.Value.Checks.Select(c => (c.Region!, c.Passed)));
        Assert.Contains("us-west-2/anthropic.claude-3-haiku-20240307-v1:0", listed.Value.Models);
        Assert.Contains("eu-west-3/anthropic.claude-3-haiku-20240307-v1:0", listed.Value.Models);
    }

    [Fact]
    public async Task ListModels_OneRegionsSecretWrong_FailsAsForbiddenForThatRegionOnly_WithoutEchoingIt()
    {
        AcceptBoth();
        const string wrongSecret = "wrong+secret+access+key+for+this+region";

        var listed = await ListAsync(Input(Row("us-east-1", UsKeyId, UsSecret), Row("ap-south-1", GlobalKeyId, wrongSecret)));

        var error = Assert.IsType<ProviderCallError>(listed.Error);
        Assert.Equal(ProviderFailureReason.Forbidden, error.Reason);
        Assert.Equal([("ap-south-1", false), ("us-east-1", true)], error.Checks!.Select(c => (c.Region!, c.Passed)).Order());
        Assert.Contains("ap-south-1: AWS Bedrock refused the credentials (403 Forbidden)", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(wrongSecret, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(fixture.Logs.Lines, l => l.Contains(wrongSecret, StringComparison.Ordinal) || l.Contains(UsSecret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Gateway_ModelInARegionWithoutItsOwnRow_IsSignedForThatRegionWithGlobalsKey_AndNamedWithoutTheRegion()
    {
        var connection = ProviderConnection.From(Adapter.Connection(Input() with { BaseUrl = fixture.StandIn.BedrockBaseUrl }))!;
        var credential = Adapter.PrepareCredential(Adapter.Secret(Input(Row("us-east-1", UsKeyId, UsSecret), Row("global", GlobalKeyId, GlobalSecret))));
        const string model = "eu-west-3/mistral.mistral-large-2402-v1:0";
        var body = Adapter.UpstreamBody("{\"model\":\"eu-west-3/mistral.mistral-large-2402-v1:0\",\"messages\":[]}"u8.ToArray(), model);
        using var request = new HttpRequestMessage(HttpMethod.Post, Adapter.GatewayAddress(connection, GatewayApi.ChatCompletions, model));

        await Adapter.AuthenticateAsync(request, connection, credential, model, body, CloudProvidersFixture.Ct);

        Assert.Equal("mistral.mistral-large-2402-v1:0", JsonDocument.Parse(body).RootElement.GetProperty("model").GetString());
        Assert.Equal(fixture.StandIn.BedrockBaseUrl + "/openai/v1/chat/completions", request.RequestUri!.ToString());
        Assert.Contains($"Credential={GlobalKeyId}/", request.Headers.GetValues("Authorization").Single(), StringComparison.Ordinal);
        Assert.Contains("/eu-west-3/bedrock/aws4_request", request.Headers.GetValues("Authorization").Single(), StringComparison.Ordinal);
        Assert.Null(Adapter.GatewayAddress(connection, GatewayApi.Embeddings, model));
    }

    [Fact]
    public void GatewayAddress_AwsEndpoints_AreTheModelsRegionalRuntimeHost()
    {
        var connection = ProviderConnection.From(Adapter.Connection(Input()))!;

        Assert.Equal("https://bedrock-runtime.ap-northeast-1.amazonaws.com/openai/v1/chat/completions",
            Adapter.GatewayAddress(connection, GatewayApi.ChatCompletions, "ap-northeast-1/anthropic.claude-3-haiku-20240307-v1:0")!.ToString());
    }
}
