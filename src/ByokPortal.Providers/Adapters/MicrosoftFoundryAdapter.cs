using ByokPortal.Core.ProviderKeys;

namespace ByokPortal.Providers.Adapters;

/// <summary>
/// Microsoft Foundry: OpenAI's API at the deployment URL, with header <c>api-key</c> (one key per deployment URL). Models are typed by
/// ID ("Add model"); Test credentials calls <c>GET {deployment}/models</c>. The wire API is <c>completions</c> or <c>responses</c> (the
/// latter for GPT-5-class models), as resolve answers it.
/// </summary>
public sealed class MicrosoftFoundryAdapter() : ApiKeyAdapter(ProviderKind.MicrosoftFoundry, null, endpointLabel: "Deployment URL",
    endpointPlaceholder: "https://your-resource.services.ai.azure.com/models", endpointHelp: "One API key per deployment URL.")
{
    public const string WireApiSetting = "wireApi";

    private static readonly FormField WireApiField = new(WireApiSetting, "Wire API", FieldInput.Choice,
        "completions (Chat Completions) or responses (the Responses API, for GPT-5-class models).", Choices: ["completions", "responses"]);

    public override ProviderForm Form => new([KeyField, EndpointField, WireApiField], CanListModels: false,
        ModelIdHelp: "The model or deployment name, exactly as the provider names it.", Note: "Models with different deployment URLs need separate API keys.");

    public override IEnumerable<FieldError> Validate(ProviderKeyInput input) =>
        base.Validate(input).Concat(FieldRules.Choice(input.Setting(WireApiSetting), WireApiField));

    public override StoredConnection Connection(ProviderKeyInput input) =>
        base.Connection(input) with { SettingsJson = System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, string> { [WireApiSetting] = WireApi(input.Setting(WireApiSetting)) }) };

    public override ValueTask<CopilotProviderConfig> CopilotConfigurationAsync(ProviderConnection connection, object? credential, ResolveCaller caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return ValueTask.FromResult(new CopilotProviderConfig("openai", connection.BaseUrl, credential as string, null, WireApi(connection.Setting(WireApiSetting)), null));
    }

    protected override void PutKey(HttpRequestMessage request, string? credential)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Headers.TryAddWithoutValidation("api-key", credential);
    }

    private static string WireApi(string? value) => string.IsNullOrWhiteSpace(value) ? "completions" : value.Trim();
}
