using ByokPortal.Core.Access;
using Microsoft.AspNetCore.Authorization;

namespace ByokPortal.Web.Authorization;

/// <summary>
/// Page and endpoint policies. Each reads the enterprise or organization from the route (<c>{enterprise}</c>, <c>{org}</c>)
/// and the person's roles from the database on every check.
/// </summary>
public static class Policies
{
    /// <summary>Owner of the enterprise in the route.</summary>
    public const string EnterpriseOwner = "EnterpriseOwner";

    /// <summary>Owner of the organization in the route, or owner of its enterprise.</summary>
    public const string OrganizationOwner = "OrganizationOwner";

    /// <summary>Anyone in the organization in the route (member or owner), or an owner of its enterprise.</summary>
    public const string OrganizationMember = "OrganizationMember";

    public const string EnterpriseRouteValue = "enterprise";
    public const string OrganizationRouteValue = "org";

    public static void Add(AuthorizationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();
        options.AddPolicy(EnterpriseOwner, p => p.RequireAuthenticatedUser().AddRequirements(new EnterpriseOwnerRequirement()));
        options.AddPolicy(OrganizationOwner, p => p.RequireAuthenticatedUser().AddRequirements(new OrganizationRoleRequirement(OrganizationAccess.Owner)));
        options.AddPolicy(OrganizationMember, p => p.RequireAuthenticatedUser().AddRequirements(new OrganizationRoleRequirement(OrganizationAccess.Member)));
    }
}

public sealed class EnterpriseOwnerRequirement : IAuthorizationRequirement;

public sealed record OrganizationRoleRequirement(OrganizationAccess Minimum) : IAuthorizationRequirement;
