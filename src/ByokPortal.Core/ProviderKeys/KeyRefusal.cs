namespace ByokPortal.Core.ProviderKeys;

/// <summary>
/// A key the provider refused (its last test, or a gateway request, met 401/403): since when and why. Its models fail at once with no
/// fallback until an owner fixes the key or tests it again.
/// </summary>
public sealed record KeyRefusal(DateTimeOffset? Since, string Reason)
{
    public const string OwnerMustAct = "An owner must fix the key or test it again; until then its models fail and no other key is used instead.";

    public static KeyRefusal? From(CredentialTestStatus status, string? message, DateTimeOffset? testedAt) =>
        status == CredentialTestStatus.Invalid ? new KeyRefusal(testedAt, message ?? "The provider refused this key.") : null;
}
