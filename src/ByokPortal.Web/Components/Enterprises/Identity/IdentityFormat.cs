using ByokPortal.Core.Identity;

namespace ByokPortal.Web.Components.Enterprises.Identity;

public static class IdentityFormat
{
    public static string Role(MappedRole role, string? organization) => role switch
    {
        MappedRole.EnterpriseOwner => "Enterprise owner",
        MappedRole.OrganizationOwner => $"Owner of {organization}",
        _ => $"Member of {organization}",
    };
}
