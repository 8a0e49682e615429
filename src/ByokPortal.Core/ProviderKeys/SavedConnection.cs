namespace ByokPortal.Core.ProviderKeys;

/// <summary>
/// The rule that keeps a saved credential at home: a stored credential only ever goes to the address it was saved with. Pointing a key
/// elsewhere needs its credential typed again, or an owner could read any saved key back by sending it to a server of their own.
/// </summary>
public static class SavedConnection
{
    public static bool AddressChanged(ProviderKey key, StoredConnection connection)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(connection);
        return !string.Equals(key.BaseUrl, connection.BaseUrl, StringComparison.OrdinalIgnoreCase)
               || !string.Equals(key.ApiVersion, connection.ApiVersion, StringComparison.Ordinal);
    }

    /// <summary>"…a different base URL", "…a different resource URL or API version" (Azure's api-version is part of the address too).</summary>
    public static string StoredKeyNeedsItsAddress(IProviderRules rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var endpoint = rules.Form.Field(FormField.BaseUrl)?.Label ?? "Base URL";
        var label = char.ToLowerInvariant(endpoint[0]) + endpoint[1..];
        var what = rules.Form.Has(FormField.ApiVersion) ? $"{label} or API version" : label;
        var credential = rules.Form.Rows is not null ? "the credentials" : "the key";
        return $"Enter {credential} again to use it with a different {what}: a saved key is only sent to the address it was saved with.";
    }
}
