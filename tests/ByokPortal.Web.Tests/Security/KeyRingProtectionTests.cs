using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Azure.Security.KeyVault.Secrets;
using ByokPortal.Testing;
using ByokPortal.Web.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ByokPortal.Web.Tests.Security;

/// <summary>
/// <c>Portal:DataProtection:KeyVaultCertificateName</c>: the key ring is encrypted at rest with a certificate read from Key Vault
/// (the real SecretClient against the local Key Vault stand-in, a self-signed certificate stored as Key Vault stores one: a PKCS#12
/// secret of the certificate's name). A restart after the certificate renewed still reads the ring (sign-in cookies stay valid: every
/// enabled version decrypts); a portal with another certificate cannot.
/// </summary>
public sealed class KeyRingProtectionTests
{
    private const string CertificateName = "portal-key-ring";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task KeyRing_WithKeyVaultCertificate_IsEncryptedAndReadableAfterRestartOnlyWithIt()
    {
        await using var vault = await KeyVaultStandIn.StartAsync();
        using var data = new TempDirectory("byokportal-keyring");
        await StoreCertificateAsync(vault, "CN=ByokPortal key ring");

        string cookies;
        await using (var first = Portal(vault, data.Path))
        {
            var address = first.StartOnFreePort();
            using var browser = new KestrelClient(address);
            (await browser.SignInAsync(DemoSignIn.EnterpriseOwner)).Dispose();
            cookies = browser.Cookies.GetCookieHeader(address);
            Assert.Contains(AuthenticationSetup.CookieName, cookies, StringComparison.Ordinal);
        }

        var keyFiles = Directory.GetFiles(Path.Combine(data.Path, "keys"), "key-*.xml");
        Assert.NotEmpty(keyFiles);
        foreach (var file in keyFiles)
        {
            var xml = await File.ReadAllTextAsync(file, Cancel);
            Assert.Contains("<EncryptedData", xml, StringComparison.Ordinal);
            Assert.Contains("decryptorType=\"ByokPortal.Secrets.KeyRing.CertificateKeyRingDecryptor", xml, StringComparison.Ordinal);
            Assert.DoesNotContain("<value>", xml, StringComparison.Ordinal);
            Assert.DoesNotContain("unencrypted form", xml, StringComparison.Ordinal);
        }

        // Key Vault renewed the certificate: the new version protects new keys, the old one still decrypts the ring's key.
        await StoreCertificateAsync(vault, "CN=ByokPortal key ring (renewed)");
        await using (var second = Portal(vault, data.Path))
        {
            Assert.Equal(HttpStatusCode.OK, await GetHomeAsync(second, cookies));
        }

        await using var otherVault = await KeyVaultStandIn.StartAsync();
        await StoreCertificateAsync(otherVault, "CN=Someone else's certificate");
        await using var stranger = Portal(otherVault, data.Path);
        Assert.Equal(HttpStatusCode.Redirect, await GetHomeAsync(stranger, cookies));
    }

    [Fact]
    public async Task Start_CertificateMissingFromKeyVault_RefusesToStartAndSaysWhich()
    {
        await using var vault = await KeyVaultStandIn.StartAsync();
        using var data = new TempDirectory("byokportal-keyring");
        await using var portal = Portal(vault, data.Path);

        var error = Assert.ThrowsAny<Exception>(() => portal.Server);

        Assert.Contains(CertificateName, error.ToString(), StringComparison.Ordinal);
    }

    private static PortalAppFactory Portal(KeyVaultStandIn vault, string dataDirectory) =>
        new PortalAppFactory(dataDirectory)
            .WithSetting("Portal:Secrets:VaultUri", vault.VaultUri.ToString())
            .WithSetting("Portal:DataProtection:KeyVaultCertificateName", CertificateName)
            .WithServices(services =>
            {
                services.RemoveAll<SecretClient>();
                services.AddSingleton(vault.CreateClient());
            });

    /// <summary>A self-signed certificate with its private key, as Key Vault exposes a certificate's key: a PKCS#12 secret.</summary>
    private static async Task StoreCertificateAsync(KeyVaultStandIn vault, string subject)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var secret = new KeyVaultSecret(CertificateName, Convert.ToBase64String(certificate.Export(X509ContentType.Pkcs12)));
        secret.Properties.ContentType = "application/x-pkcs12";
        await vault.CreateClient().SetSecretAsync(secret, Cancel);
    }

    private static async Task<HttpStatusCode> GetHomeAsync(PortalAppFactory portal, string cookies)
    {
        using var client = portal.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Add("Cookie", cookies);
        using var response = await client.SendAsync(request, Cancel);
        return response.StatusCode;
    }
}
