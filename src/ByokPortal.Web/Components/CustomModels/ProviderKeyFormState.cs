using ByokPortal.Core.ProviderKeys;

namespace ByokPortal.Web.Components.CustomModels;

/// <summary>
/// What the key form holds while a person types: the provider's field values by name, its credential rows, the chosen models and the
/// assignment. <see cref="ToInput"/> makes the immutable <see cref="ProviderKeyInput"/> the validator and the use cases take; the
/// credential lives here only until Save hands it over, then <see cref="ClearSecrets"/> forgets it.
/// </summary>
public sealed class ProviderKeyFormState
{
    public ProviderKind Provider { get; set; }

    public string Name { get; set; } = "";

    public Dictionary<string, string?> Values { get; } = new(StringComparer.Ordinal);

    public List<Dictionary<string, string?>> Rows { get; } = [];

    public List<string> ModelIds { get; } = [];

    public bool AssignToEntireOrganization { get; set; } = true;

    public HashSet<Guid> ApiKeyIds { get; } = [];

    public string? Value(string field) => Values.TryGetValue(field, out var value) ? value : null;

    /// <summary>Starts over for <paramref name="rules"/>'s fields, with a saved key's address and settings when editing.</summary>
    public void Reset(IProviderRules rules, StoredConnection? saved)
    {
        ArgumentNullException.ThrowIfNull(rules);
        Provider = rules.Kind;
        Values.Clear();
        Rows.Clear();
        if (saved is not null)
        {
            var input = rules.InputFor(saved);
            Values[FormField.BaseUrl] = input.BaseUrl;
            Values[FormField.ApiVersion] = input.ApiVersion;
            foreach (var (name, value) in input.Settings)
            {
                Values[name] = value;
            }
        }
        else if (rules.Form.Field(FormField.BaseUrl) is { Placeholder: { } url, Required: false })
        {
            Values[FormField.BaseUrl] = url;
        }

        if (rules.Form.Rows is not null && saved is null)
        {
            AddRow(rules.Form.Rows);
        }
    }

    public void AddRow(FormRows rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        Rows.Add(rows.Columns.ToDictionary(c => c.Name, _ => (string?)null, StringComparer.Ordinal));
    }

    public ProviderKeyInput ToInput(IProviderRules rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var settings = rules.Form.Fields
            .Where(f => f.Name is not (FormField.Credential or FormField.BaseUrl or FormField.ApiVersion))
            .ToDictionary(f => f.Name, f => Value(f.Name), StringComparer.Ordinal);
        return new ProviderKeyInput
        {
            Provider = Provider,
            Name = Name,
            Credential = Value(FormField.Credential),
            CredentialRows = Rows.Select(r => (IReadOnlyDictionary<string, string?>)new Dictionary<string, string?>(r, StringComparer.Ordinal)).ToList(),
            BaseUrl = Value(FormField.BaseUrl),
            ApiVersion = Value(FormField.ApiVersion),
            Settings = settings,
            ModelIds = ModelIds.ToList(),
            AssignToEntireOrganization = AssignToEntireOrganization,
            ApiKeyIds = ApiKeyIds.ToList(),
        };
    }

    /// <summary>Forgets every secret typed (after Save, or when the form closes).</summary>
    public void ClearSecrets(IProviderRules? rules)
    {
        foreach (var field in rules?.Form.Fields.Where(f => f.IsSecret) ?? [])
        {
            Values.Remove(field.Name);
        }

        Values.Remove(FormField.Credential);
        Rows.Clear();
    }
}
