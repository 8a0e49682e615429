using System.Collections.Concurrent;
using System.Net.Http;
using System.Security.Cryptography;
using System.Text;
using ByokPortal.Core.Common;
using ByokPortal.Providers.Outbound;
using Google.Apis.Auth.OAuth2;
using Google.Apis.Auth.OAuth2.Responses;

namespace ByokPortal.Providers.Google;

/// <summary>
/// Short-lived access tokens for Google service accounts, minted with <c>Google.Apis.Auth</c> (a JWT signed with the account's private
/// key, exchanged at its <c>token_uri</c>) and cached by the library until shortly before they expire. One credential per key file,
/// kept across snapshot rebuilds; the token request goes through the <see cref="OutboundGuard"/>'s handler like every provider call,
/// and the clock is the portal's <see cref="TimeProvider"/>.
/// </summary>
public sealed class ServiceAccountTokens(OutboundGuard guard, TimeProvider time)
{
    public const string CloudPlatformScope = "https://www.googleapis.com/auth/cloud-platform";

    private readonly ConcurrentDictionary<string, ServiceAccountCredential> _credentials = new(StringComparer.Ordinal);

    /// <summary>An access token for <paramref name="account"/>; a refusal or failure of the token endpoint comes back as <see cref="ProviderCallException"/>.</summary>
    public async Task<string> AccessTokenAsync(ServiceAccountKey account, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        var credential = _credentials.GetOrAdd(Fingerprint(account), _ => Create(account));
        var host = Uri.TryCreate(account.TokenUri, UriKind.Absolute, out var uri) ? uri.Authority : "the token endpoint";
        try
        {
            return await credential.GetAccessTokenForRequestAsync(cancellationToken: cancellationToken);
        }
        catch (TokenResponseException e)
        {
            var reason = e.StatusCode is System.Net.HttpStatusCode.Forbidden ? ProviderFailureReason.Forbidden : ProviderFailureReason.Unauthorized;
            throw new Adapters.ProviderCallException(new ProviderCallError(reason,
                $"Google refused the service account's token request at {host} ({e.Error?.Error ?? "refused"}). Check that the key is active and not deleted."));
        }
        catch (HttpRequestException e) when (e.InnerException is OutboundAddressRefusedException refused)
        {
            throw new Adapters.ProviderCallException(new ProviderCallError(ProviderFailureReason.RefusedByPolicy, refused.Message));
        }
        catch (HttpRequestException)
        {
            throw new Adapters.ProviderCallException(new ProviderCallError(ProviderFailureReason.Unreachable,
                $"Could not reach the service account's token endpoint at {host}. Check the key file's token_uri."));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new Adapters.ProviderCallException(new ProviderCallError(ProviderFailureReason.Timeout, $"The token endpoint at {host} did not answer in time."));
        }
    }

    private ServiceAccountCredential Create(ServiceAccountKey account) =>
        new(new ServiceAccountCredential.Initializer(account.ClientEmail, account.TokenUri)
        {
            ProjectId = account.ProjectId,
            KeyId = account.PrivateKeyId,
            Scopes = [CloudPlatformScope],
            Clock = new Clock(time),
            HttpClientFactory = new GuardedHttpClientFactory(guard),
        }.FromPrivateKey(account.PrivateKey));

    /// <summary>A digest of the whole key (never the key itself) names its cached credential.</summary>
    private static string Fingerprint(ServiceAccountKey account) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', account.ClientEmail, account.PrivateKeyId, account.TokenUri, account.PrivateKey))));

    private sealed class Clock(TimeProvider time) : global::Google.Apis.Util.IClock
    {
        public DateTime Now => time.GetLocalNow().DateTime;

        public DateTime UtcNow => time.GetUtcNow().UtcDateTime;
    }

    private sealed class GuardedHttpClientFactory(OutboundGuard guard) : global::Google.Apis.Http.HttpClientFactory
    {
        protected override HttpMessageHandler CreateHandler(global::Google.Apis.Http.CreateHttpClientArgs args) => guard.CreateHandler();
    }
}
