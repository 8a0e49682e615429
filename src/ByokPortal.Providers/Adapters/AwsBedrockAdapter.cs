using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using ByokPortal.Core.Common;
using ByokPortal.Core.ProviderKeys;
using ByokPortal.Providers.Aws;

namespace ByokPortal.Providers.Adapters;

/// <summary>
/// AWS Bedrock with IAM access keys per region (the seed's form: Region, Access Key ID, Secret Access Key, "Add region"; region
/// <c>global</c> is the fallback set for regions without their own row). Test credentials and Fetch new models call a SigV4-signed
/// <c>ListFoundationModels</c> (<c>GET https://bedrock.{region}.amazonaws.com/foundation-models</c>) in every configured region
/// (<c>global</c>'s set in us-east-1). Model IDs carry their region (<c>us-east-1/anthropic.claude-…</c>); the gateway sends chat
/// completions to Bedrock's OpenAI-compatible endpoint in that region (<c>https://bedrock-runtime.{region}.amazonaws.com/openai/v1</c>),
/// the model named without the region, signed with the region's key or else <c>global</c>'s. The Copilot SDK cannot sign requests, so
/// resolve answers the portal's own gateway. An Endpoint URL (a VPC endpoint or proxy) replaces AWS's regional hosts.
/// </summary>
public sealed class AwsBedrockAdapter(TimeProvider time) : IProviderAdapter
{
    public const string GlobalRegion = "global";
    public const string ListingRegionOfGlobal = "us-east-1";
    public const string SigningService = "bedrock";

    /// <summary>Stored as the endpoint when none is typed: AWS's own regional hosts.</summary>
    public const string AwsEndpoints = "https://bedrock.amazonaws.com";

    public const string RegionColumn = "region";
    public const string AccessKeyIdColumn = "accessKeyId";
    public const string SecretAccessKeyColumn = "secretAccessKey";
    public const int MaxRegions = 30;

    public const string GatewayNote =
        "AWS Bedrock is served through the portal's gateway: the Copilot SDK cannot sign AWS requests, so this configuration points at the gateway with your API key, and the gateway signs each request for the model's region.";

    private static readonly FormField EndpointField = new(FormField.BaseUrl, "Endpoint URL", FieldInput.Text,
        "Leave empty for AWS's regional endpoints (bedrock.{region}.amazonaws.com); set it for a VPC endpoint or proxy.",
        Placeholder: "https://bedrock.{region}.amazonaws.com", MaxLength: ProviderKey.BaseUrlMaxLength);

    private static readonly FormRows RegionRows = new("Regions", "Add region",
    [
        new FormField(RegionColumn, "Region", FieldInput.Text, Placeholder: "us-east-1 or global", MaxLength: 32),
        new FormField(AccessKeyIdColumn, "Access Key ID", FieldInput.Text, Placeholder: "AKIA…", MaxLength: 128),
        new FormField(SecretAccessKeyColumn, "Secret Access Key", FieldInput.Password, MaxLength: 128),
    ], MaxRegions);

    public ProviderKind Kind => ProviderKind.AwsBedrock;

    public bool CredentialRequired => true;

    public ProviderForm Form { get; } = new([EndpointField], RegionRows,
        ModelIdHelp: "Bedrock model IDs start with their region: us-east-1/anthropic.claude-3-5-haiku-20241022-v1:0.",
        Note: "Give each IAM user only bedrock:ListFoundationModels and bedrock:InvokeModel. Use region global for one fallback set.");

    public IEnumerable<FieldError> Validate(ProviderKeyInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        foreach (var error in FieldRules.Url(input.BaseUrl, EndpointField.Property, EndpointField.Label, required: false))
        {
            yield return error;
        }

        foreach (var error in BedrockRegionRows.Validate(input))
        {
            yield return error;
        }
    }

    public bool CredentialIsEmpty(ProviderKeyInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return !input.FilledRows.Any();
    }

    public string? Secret(ProviderKeyInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (CredentialIsEmpty(input))
        {
            return null;
        }

        var regions = input.FilledRows.Select(r => new Dictionary<string, string>
        {
            ["region"] = r.Cells.GetValueOrDefault(RegionColumn)?.Trim() ?? "",
            ["accessKeyId"] = r.Cells.GetValueOrDefault(AccessKeyIdColumn)?.Trim() ?? "",
            ["secretAccessKey"] = r.Cells.GetValueOrDefault(SecretAccessKeyColumn)?.Trim() ?? "",
        });
        return JsonSerializer.Serialize(new { regions });
    }

    /// <summary>Each region with its access key ID's last 4 characters: "us-east-1 ••••WXYZ, global ••••ABCD". Never a secret access key.</summary>
    public string MaskedHint(string? secret)
    {
        if (string.IsNullOrWhiteSpace(secret))
        {
            return ProviderKey.NoKeyHint;
        }

        try
        {
            var credentials = BedrockCredentials.Parse(secret);
            return string.Join(", ", credentials.Regions.Order(StringComparer.Ordinal).Select(r => $"{r} {ProviderKey.MaskOf(credentials.For(r)!.AccessKeyId)}"));
        }
        catch (Exception e) when (e is JsonException or FormatException or KeyNotFoundException or InvalidOperationException)
        {
            return "••••";
        }
    }

    public StoredConnection Connection(ProviderKeyInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new StoredConnection(FieldRules.EffectiveUrl(input.BaseUrl, AwsEndpoints), null, null);
    }

    public string? ModelIdProblem(string modelId) =>
        BedrockRegionRows.RegionOf(modelId) is null ? "AWS Bedrock model IDs start with their region, as in us-east-1/anthropic.claude-3-5-haiku-20241022-v1:0." : null;

    public object? PrepareCredential(string? credential) => credential is null ? null : BedrockCredentials.Parse(credential);

    public ValueTask<IReadOnlyList<ModelListCall>> ModelListCallsAsync(ProviderConnection connection, string? credential, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        BedrockCredentials credentials;
        try
        {
            credentials = BedrockCredentials.Parse(credential ?? throw new FormatException("No credential."));
        }
        catch (Exception e) when (e is JsonException or FormatException or KeyNotFoundException or InvalidOperationException)
        {
            throw new ProviderCallException(new ProviderCallError(ProviderFailureReason.Refused, "The AWS credentials could not be read: enter each region's keys again."));
        }

        var now = time.GetUtcNow();
        var calls = credentials.Regions.Order(StringComparer.Ordinal).Select(region =>
        {
            var signingRegion = region == GlobalRegion ? ListingRegionOfGlobal : region;
            var request = new HttpRequestMessage(HttpMethod.Get, new Uri(ControlBase(connection, signingRegion) + "/foundation-models"));
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            SigV4.SignRequest(request, [], signingRegion, SigningService, credentials.For(region)!, now);
            return new ModelListCall(request, region);
        }).ToList();
        return ValueTask.FromResult<IReadOnlyList<ModelListCall>>(calls);
    }

    public IEnumerable<string> ReadModelIds(JsonElement answer, ModelListCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        var list = answer.GetProperty("modelSummaries");
        if (list.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidOperationException("The model list is not an array.");
        }

        var region = call.Region == GlobalRegion || call.Region is null ? ListingRegionOfGlobal : call.Region;
        return list.EnumerateArray().Select(m => m.GetProperty("modelId").GetString() ?? "").Where(id => id.Length > 0).Select(id => $"{region}/{id}");
    }

    public bool AnswersWithTheGateway => true;

    public ValueTask<CopilotProviderConfig> CopilotConfigurationAsync(ProviderConnection connection, object? credential, ResolveCaller caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return ValueTask.FromResult(new CopilotProviderConfig("openai", caller.GatewayBaseUrl, caller.PresentedApiKey, null, "completions", null, GatewayNote));
    }

    public Uri? GatewayAddress(ProviderConnection connection, GatewayApi api, string modelId)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return api == GatewayApi.ChatCompletions && BedrockRegionRows.RegionOf(modelId) is { } region
            ? new Uri(RuntimeBase(connection, region) + "/openai/v1/chat/completions")
            : null;
    }

    public ValueTask AuthenticateAsync(HttpRequestMessage request, ProviderConnection connection, object? credential, string modelId, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var region = BedrockRegionRows.RegionOf(modelId) ?? throw new InvalidOperationException("The model ID names no region.");
        var key = (credential as BedrockCredentials)?.For(region)
                  ?? throw new InvalidOperationException("This key has no credentials for the model's region and no global set.");
        SigV4.SignRequest(request, body.Span, region, SigningService, key, time.GetUtcNow());
        return ValueTask.CompletedTask;
    }

    /// <summary>The application's body with the model named as Bedrock knows it (without the region).</summary>
    public ReadOnlyMemory<byte> UpstreamBody(ReadOnlyMemory<byte> body, string modelId)
    {
        ArgumentNullException.ThrowIfNull(modelId);
        var slash = modelId.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0 || body.IsEmpty || JsonNode.Parse(body.Span) is not JsonObject json)
        {
            return body;
        }

        json["model"] = modelId[(slash + 1)..];
        return JsonSerializer.SerializeToUtf8Bytes(json);
    }

    private static string ControlBase(ProviderConnection connection, string region) =>
        IsAws(connection) ? $"https://bedrock.{region}.amazonaws.com" : connection.BaseUrl;

    private static string RuntimeBase(ProviderConnection connection, string region) =>
        IsAws(connection) ? $"https://bedrock-runtime.{region}.amazonaws.com" : connection.BaseUrl;

    private static bool IsAws(ProviderConnection connection) => string.Equals(connection.BaseUrl, AwsEndpoints, StringComparison.OrdinalIgnoreCase);
}
