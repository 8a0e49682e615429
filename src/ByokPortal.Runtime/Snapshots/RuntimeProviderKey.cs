using ByokPortal.Core.ProviderKeys;
using ByokPortal.Providers.Adapters;

namespace ByokPortal.Runtime.Snapshots;

/// <summary>
/// A provider key as the runtime serves it: where it points, its credential (from the in-memory secret cache, read when the snapshot was
/// built), and whether it is known to be invalid. Shared by every route it serves. Only <see cref="MarkInvalid"/> changes it, when this
/// instance's gateway sees the provider refuse it, so later requests fail at once even before the next snapshot arrives.
/// </summary>
public sealed class RuntimeProviderKey
{
    private volatile InvalidMark? _invalid;

    public RuntimeProviderKey(
        Guid id,
        string name,
        ProviderKind provider,
        Guid enterpriseId,
        Guid? organizationId,
        ProviderConnection? connection,
        IProviderAdapter? adapter,
        string? credential,
        object? preparedCredential,
        Core.Secrets.SecretReference? secretReference,
        bool credentialUnavailable,
        InvalidMark? invalid,
        DateTimeOffset lastChangedAt)
    {
        Id = id;
        Name = name;
        Provider = provider;
        EnterpriseId = enterpriseId;
        OrganizationId = organizationId;
        Connection = connection;
        Adapter = adapter;
        Credential = credential;
        PreparedCredential = preparedCredential;
        SecretReference = secretReference;
        CredentialUnavailable = credentialUnavailable;
        _invalid = invalid;
        LastChangedAt = lastChangedAt;
        IdText = id.ToString();
    }

    public Guid Id { get; }

    /// <summary>The key's ID as the <c>x-byok-key-id</c> header carries it (formatted once).</summary>
    public string IdText { get; }

    public string Name { get; }

    public ProviderKind Provider { get; }

    public Guid EnterpriseId { get; }

    public Guid? OrganizationId { get; }

    /// <summary>Null when the key has no usable endpoint.</summary>
    public ProviderConnection? Connection { get; }

    /// <summary>Null for a provider the runtime cannot serve yet.</summary>
    public IProviderAdapter? Adapter { get; }

    /// <summary>The credential itself. Never logged, never put in a problem, a usage row or an exception.</summary>
    public string? Credential { get; }

    /// <summary>The credential as the adapter parsed it once for this snapshot (AWS regions, a service account); the text itself for API keys.</summary>
    public object? PreparedCredential { get; }

    /// <summary>Which version of the credential this is (kept so the secret cache can forget versions no snapshot uses).</summary>
    public Core.Secrets.SecretReference? SecretReference { get; }

    /// <summary>The secret store could not give the credential when the snapshot was built.</summary>
    public bool CredentialUnavailable { get; }

    /// <summary>When an owner last edited or tested the key (a refusal seen before that is stale).</summary>
    public DateTimeOffset LastChangedAt { get; }

    /// <summary>Set when the key's last test failed with a refusal, or the provider refused it on a gateway request.</summary>
    public InvalidMark? Invalid => _invalid;

    public void MarkInvalid(InvalidMark mark) => _invalid ??= mark;
}

/// <summary>Since when and why a key is known to be invalid.</summary>
public sealed record InvalidMark(DateTimeOffset Since, string Reason);
