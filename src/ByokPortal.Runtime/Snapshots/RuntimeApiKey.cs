using System.Security.Claims;
using ByokPortal.Core.ApiKeys;
using ByokPortal.Core.Common;
using Microsoft.AspNetCore.Authentication;

namespace ByokPortal.Runtime.Snapshots;

/// <summary>An organization API key as the runtime knows it: whose it is, whether it is active, its rate limit and the models it may use.</summary>
public sealed class RuntimeApiKey
{
    public RuntimeApiKey(OrganizationApiKey key, Guid enterpriseId, ApiKeyHash hash, int rateLimitPerMinute, ModelTable models, bool organizationArchived = false)
    {
        ArgumentNullException.ThrowIfNull(key);
        Key = key;
        EnterpriseId = enterpriseId;
        Hash = hash;
        RateLimitPerMinute = rateLimitPerMinute;
        Models = models;
        OrganizationArchived = organizationArchived;
        Principal = new ClaimsPrincipal(new ClaimsIdentity(
        [
            new Claim(RuntimeClaims.ApiKeyId, key.Id.ToString()),
            new Claim(RuntimeClaims.OrganizationId, key.OrganizationId.ToString()),
            new Claim(ClaimTypes.Name, key.Prefix),
        ], Authentication.ApiKeyAuthenticationDefaults.Scheme));
        Ticket = new AuthenticationTicket(Principal, Authentication.ApiKeyAuthenticationDefaults.Scheme);
        Authenticated = Task.FromResult(AuthenticateResult.Success(Ticket));
    }

    /// <summary>The key's row as loaded (revoked and expiry times): <see cref="OrganizationApiKey.IsActiveAt"/> is the one rule.</summary>
    public OrganizationApiKey Key { get; }

    public Guid Id => Key.Id;

    public Guid OrganizationId => Key.OrganizationId;

    public Guid EnterpriseId { get; }

    public ApiKeyHash Hash { get; }

    public int RateLimitPerMinute { get; }

    public ModelTable Models { get; }

    /// <summary>The key's organization is archived: the key is refused until an enterprise owner restores it.</summary>
    public bool OrganizationArchived { get; }

    /// <summary>Built once per snapshot, so authenticating a request allocates no claims.</summary>
    public ClaimsPrincipal Principal { get; }

    public AuthenticationTicket Ticket { get; }

    /// <summary>The authentication handler's answer for this key, built once per snapshot (a request allocates no result or task).</summary>
    public Task<AuthenticateResult> Authenticated { get; }

    public Actor Actor(string? clientAddress) => Core.Common.Actor.ForApiKey(Key.Id, Key.Prefix, Key.Name, clientAddress);
}

public static class RuntimeClaims
{
    public const string ApiKeyId = "byok:api_key_id";
    public const string OrganizationId = "byok:organization_id";
}
