using Microsoft.Extensions.Options;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography.Xml;
using System.Xml;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;

namespace ByokPortal.Secrets.KeyRing;

/// <summary>
/// Encrypts each new Data Protection key with the Key Vault certificate (XML encryption, as ASP.NET Core's own certificate encryptor
/// does) and names <see cref="CertificateKeyRingDecryptor"/> as the way back, which finds the certificate in Key Vault rather than in
/// a machine certificate store (App Service on Linux has none to offer).
/// </summary>
public sealed class CertificateKeyRingEncryptor(X509Certificate2 certificate, ILoggerFactory loggerFactory) : IXmlEncryptor
{
    private readonly CertificateXmlEncryptor _inner = new(certificate, loggerFactory);

    public EncryptedXmlInfo Encrypt(XElement plaintextElement) =>
        new(_inner.Encrypt(plaintextElement).EncryptedElement, typeof(CertificateKeyRingDecryptor));
}

/// <summary>Decrypts a key written by <see cref="CertificateKeyRingEncryptor"/> with whichever version of the certificate encrypted it.</summary>
public sealed class CertificateKeyRingDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement)
    {
        ArgumentNullException.ThrowIfNull(encryptedElement);
        var certificates = services.GetRequiredService<KeyRingCertificates>().All;
        var document = new XmlDocument();
        document.AppendChild(document.CreateElement("root"));
        using (var reader = encryptedElement.CreateReader())
        {
            document.DocumentElement!.AppendChild(document.ReadNode(reader)!);
        }

        new CertificateEncryptedXml(document, certificates).DecryptDocument();
        using var decrypted = document.DocumentElement!.FirstChild!.CreateNavigator()!.ReadSubtree();
        return XElement.Load(decrypted);
    }

    private sealed class CertificateEncryptedXml(XmlDocument document, IReadOnlyList<X509Certificate2> certificates) : EncryptedXml(document)
    {
        public override byte[]? DecryptEncryptedKey(EncryptedKey encryptedKey)
        {
            ArgumentNullException.ThrowIfNull(encryptedKey);
            var named = encryptedKey.KeyInfo.OfType<KeyInfoX509Data>()
                .SelectMany(data => data.Certificates?.OfType<X509Certificate2>() ?? [])
                .Select(c => c.Thumbprint)
                .ToHashSet(StringComparer.OrdinalIgnoreCase);
            foreach (var certificate in certificates.Where(c => named.Contains(c.Thumbprint)))
            {
                using var key = certificate.GetRSAPrivateKey();
                if (key is not null && encryptedKey.CipherData.CipherValue is { } cipher)
                {
                    return DecryptKey(cipher, key, encryptedKey.EncryptionMethod?.KeyAlgorithm == XmlEncRSAOAEPUrl);
                }
            }

            throw new CryptographicException(
                "A Data Protection key was encrypted with a certificate that is not among the enabled versions of the key ring's Key Vault certificate.");
        }
    }
}
