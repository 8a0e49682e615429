namespace ByokPortal.Core.ProviderKeys;

/// <summary>One validation failure of a provider's field, by the property it names (see <see cref="FormField.Property"/>).</summary>
public sealed record FieldError(string Property, string Message);

/// <summary>A saved key's address and non-secret settings, as the adapter derived them from the form.</summary>
public sealed record StoredConnection(string? BaseUrl, string? ApiVersion, string? SettingsJson);

/// <summary>
/// The part of a provider's adapter the use cases need, without HTTP: the fields its credential takes, their rules, what is stored
/// (one secret, however many fields) and its masked hint. The adapters in ByokPortal.Providers implement it with the rest (model
/// listing, runtime configuration); the key validator composes <see cref="Validate"/> and nothing in the core switches over providers.
/// </summary>
public interface IProviderRules
{
    ProviderKind Kind { get; }

    string DisplayName => Kind.DisplayName();

    ProviderForm Form { get; }

    /// <summary>Whether a new key must carry a credential (false for Ollama and other local servers).</summary>
    bool CredentialRequired { get; }

    /// <summary>The failures of the provider's fields as typed; an empty credential is checked by the key validator, not here.</summary>
    IEnumerable<FieldError> Validate(ProviderKeyInput input);

    /// <summary>Whether the form carries no credential (editing then keeps the stored one).</summary>
    bool CredentialIsEmpty(ProviderKeyInput input);

    /// <summary>The one secret to store (an API key, a service-account JSON, a JSON of every region's keys); null when none was typed.</summary>
    string? Secret(ProviderKeyInput input);

    /// <summary>What the key row may show of <paramref name="secret"/>: never key material.</summary>
    string MaskedHint(string? secret);

    /// <summary>The address and settings saved with the key (defaults filled in).</summary>
    StoredConnection Connection(ProviderKeyInput input);

    /// <summary>What is wrong with a model ID for this provider beyond the common rules; null when nothing.</summary>
    string? ModelIdProblem(string modelId) => null;

    /// <summary>Values other fields can take from what was typed (a service account's project), by field name; the form fills only empty ones.</summary>
    IReadOnlyDictionary<string, string> Prefill(ProviderKeyInput input) => new Dictionary<string, string>();
}

public static class ProviderRulesExtensions
{
    /// <summary>The form's values for a saved key (address and settings; never the credential), to edit or rotate it.</summary>
    public static ProviderKeyInput InputFor(this IProviderRules rules, StoredConnection saved)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(saved);
        var settings = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (saved.SettingsJson is { } json)
        {
            using var document = System.Text.Json.JsonDocument.Parse(json);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Value.ValueKind == System.Text.Json.JsonValueKind.String)
                {
                    settings[property.Name] = property.Value.GetString();
                }
            }
        }

        return new ProviderKeyInput { Provider = rules.Kind, BaseUrl = saved.BaseUrl, ApiVersion = saved.ApiVersion, Settings = settings };
    }
}
