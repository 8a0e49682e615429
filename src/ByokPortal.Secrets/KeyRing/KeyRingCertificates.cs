using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using System.Security.Cryptography.X509Certificates;
using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.Options;

namespace ByokPortal.Secrets.KeyRing;

/// <summary>"Portal:DataProtection".</summary>
public sealed class PortalDataProtectionOptions
{
    public const string SectionName = "Portal:DataProtection";

    /// <summary>
    /// A certificate in the portal's Key Vault (<c>Portal:Secrets:VaultUri</c>) that encrypts the Data Protection key ring at rest.
    /// Empty: the key ring is not encrypted (the embedded default keeps it beside the secrets, in the data directory).
    /// </summary>
    public string? KeyVaultCertificateName { get; set; }
}

/// <summary>
/// The key ring's certificate, read once at start from Key Vault with its private key (a Key Vault certificate's key is the secret of the
/// same name): the newest enabled version that is valid now encrypts new keys; every enabled version can decrypt, so keys written before
/// the certificate renewed stay readable. A renewal is picked up at the next start.
/// </summary>
public sealed partial class KeyRingCertificates(
    IServiceProvider services, IOptions<PortalDataProtectionOptions> options, TimeProvider time, ILogger<KeyRingCertificates> logger)
{
    private const int MaxVersions = 20;
    private readonly Lock _lock = new();
    private (X509Certificate2 Current, IReadOnlyList<X509Certificate2> All)? _loaded;

    public bool IsConfigured => !string.IsNullOrWhiteSpace(options.Value.KeyVaultCertificateName);

    /// <summary>The version that encrypts new keys.</summary>
    public X509Certificate2 Current => Load().Current;

    /// <summary>Every version that may decrypt a key.</summary>
    public IReadOnlyList<X509Certificate2> All => Load().All;

    /// <summary>Reads the certificate's versions from Key Vault; the portal calls this once at start (<see cref="DataProtectionSetup"/>).</summary>
    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        var name = CertificateName;
        var secrets = services.GetRequiredService<SecretClient>(); // the portal's Key Vault client (Portal:Secrets:VaultUri)
        var versions = new List<SecretProperties>();
        await foreach (var version in secrets.GetPropertiesOfSecretVersionsAsync(name, cancellationToken))
        {
            if (version.Enabled == true)
            {
                versions.Add(version);
            }
        }

        var certificates = new List<X509Certificate2>();
        foreach (var version in versions.OrderByDescending(v => v.CreatedOn).Take(MaxVersions))
        {
            certificates.Add(ToCertificate((await secrets.GetSecretAsync(name, version.Version, cancellationToken)).Value, name));
        }

        var loaded = Choose(name, certificates);
        lock (_lock)
        {
            _loaded = loaded;
        }
    }

    private string CertificateName => options.Value.KeyVaultCertificateName
                                      ?? throw new InvalidOperationException("Portal:DataProtection:KeyVaultCertificateName is not set.");

    private (X509Certificate2 Current, IReadOnlyList<X509Certificate2> All) Load()
    {
        lock (_lock)
        {
            return _loaded ??= Read();
        }
    }

    /// <summary>The same, synchronously, for a process that uses Data Protection without the portal's start-up (Azure SDK sync calls).</summary>
    private (X509Certificate2, IReadOnlyList<X509Certificate2>) Read()
    {
        var name = CertificateName;
        var secrets = services.GetRequiredService<SecretClient>();
        var versions = secrets.GetPropertiesOfSecretVersions(name)
            .Where(v => v.Enabled == true)
            .OrderByDescending(v => v.CreatedOn)
            .Take(MaxVersions)
            .ToList();
        return Choose(name, versions.Select(v => ToCertificate(secrets.GetSecret(name, v.Version).Value, name)).ToList());
    }

    private (X509Certificate2, IReadOnlyList<X509Certificate2>) Choose(string name, List<X509Certificate2> certificates)
    {
        var now = time.GetUtcNow().UtcDateTime;
        if (certificates.Count == 0)
        {
            throw new InvalidOperationException($"Key Vault has no enabled version of the certificate '{name}' (Portal:DataProtection:KeyVaultCertificateName).");
        }

        var current = certificates.FirstOrDefault(c => c.NotBefore.ToUniversalTime() <= now && now < c.NotAfter.ToUniversalTime())
                      ?? throw new InvalidOperationException(
                          $"Key Vault has no enabled version of the certificate '{name}' that is valid now: the Data Protection key ring cannot be protected.");
        LogLoaded(logger, name, current.Thumbprint, certificates.Count);
        return (current, certificates);
    }

    private static X509Certificate2 ToCertificate(KeyVaultSecret secret, string name)
    {
        var certificate = string.Equals(secret.Properties.ContentType, "application/x-pem-file", StringComparison.OrdinalIgnoreCase)
            ? X509Certificate2.CreateFromPem(secret.Value, secret.Value)
            : X509CertificateLoader.LoadPkcs12(Convert.FromBase64String(secret.Value), null, X509KeyStorageFlags.EphemeralKeySet);
        return certificate.HasPrivateKey
            ? certificate
            : throw new InvalidOperationException($"The Key Vault certificate '{name}' came without its private key: make its key exportable.");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Data Protection key ring protected with Key Vault certificate '{Name}' ({Thumbprint}); {Count} version(s) can decrypt.")]
    private static partial void LogLoaded(ILogger logger, string name, string thumbprint, int count);
}
