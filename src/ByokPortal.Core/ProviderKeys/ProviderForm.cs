namespace ByokPortal.Core.ProviderKeys;

/// <summary>How the key form takes one field.</summary>
public enum FieldInput
{
    Text,

    /// <summary>Typed hidden, never shown again after saving.</summary>
    Password,

    /// <summary>A JSON document: pasted into a text area or uploaded as a file (a service-account key file).</summary>
    JsonFile,

    /// <summary>One of <see cref="FormField.Choices"/>.</summary>
    Choice,
}

/// <summary>
/// One field of a provider's part of the key form. <see cref="Name"/> says where the value goes in <see cref="ProviderKeyInput"/>:
/// <see cref="FormField.Credential"/>, <see cref="FormField.BaseUrl"/>, <see cref="FormField.ApiVersion"/>, or else
/// <see cref="ProviderKeyInput.Settings"/> under that name.
/// </summary>
public sealed record FormField(
    string Name,
    string Label,
    FieldInput Input,
    string? Help = null,
    string? Placeholder = null,
    bool Required = false,
    int MaxLength = 2048,
    IReadOnlyList<string>? Choices = null)
{
    public const string Credential = "credential";
    public const string BaseUrl = "baseUrl";
    public const string ApiVersion = "apiVersion";

    /// <summary>The secret part of the credential: kept in the secret store only, empty on edit means "keep the stored one".</summary>
    public bool IsSecret => Input is FieldInput.Password or FieldInput.JsonFile;

    /// <summary>The property a validation failure of this field names (<c>Credential</c>, <c>BaseUrl</c>, <c>Settings.project</c>).</summary>
    public string Property => Name switch
    {
        Credential => nameof(ProviderKeyInput.Credential),
        BaseUrl => nameof(ProviderKeyInput.BaseUrl),
        ApiVersion => nameof(ProviderKeyInput.ApiVersion),
        _ => SettingProperty(Name),
    };

    public static string SettingProperty(string name) => $"{nameof(ProviderKeyInput.Settings)}.{name}";
}

/// <summary>Repeating rows of credential fields (AWS Bedrock: one row per region), stored together with the rest as one secret.</summary>
public sealed record FormRows(string Label, string AddLabel, IReadOnlyList<FormField> Columns, int MaxRows)
{
    /// <summary>The property a validation failure of a cell names: <c>CredentialRows[1].region</c>.</summary>
    public static string Property(int row, string column) => $"{nameof(ProviderKeyInput.CredentialRows)}[{row}].{column}";
}

/// <summary>What the key form shows for a provider: its fields in order, optional rows, and how models are chosen.</summary>
public sealed record ProviderForm(
    IReadOnlyList<FormField> Fields,
    FormRows? Rows = null,
    bool CanListModels = true,
    string? ModelIdHelp = null,
    string? Note = null)
{
    public FormField? Field(string name) => Fields.FirstOrDefault(f => f.Name == name);

    public bool Has(string name) => Field(name) is not null;
}
