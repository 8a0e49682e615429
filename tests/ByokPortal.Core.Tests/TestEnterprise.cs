using ByokPortal.Core.Access;
using ByokPortal.Core.Enterprises;
using ByokPortal.Core.Organizations;
using ByokPortal.Core.People;
using ByokPortal.Core.ProviderKeys;
using ByokPortal.Testing;
using Microsoft.EntityFrameworkCore;

namespace ByokPortal.Core.Tests;

/// <summary>
/// A fresh enterprise of its own, so that nothing another test did (a model allowed for all organizations, the enterprise policy
/// switched off) reaches it. The demo people hold the same roles in it as in Contoso: ada@ owns the enterprise, oscar@ owns
/// <see cref="OrganizationSlug"/> where mia@ is a member, and olga@ owns the <see cref="SiblingSlug"/> organization.
/// </summary>
public sealed record TestEnterprise(
    Guid Id,
    string Slug,
    string Name,
    Guid OrganizationId,
    string OrganizationSlug,
    string OrganizationName,
    Guid SiblingId,
    string SiblingSlug)
{
    public KeyScope EnterpriseScope => KeyScope.Enterprise(Slug);

    public KeyScope OrganizationScope => KeyScope.Organization(OrganizationSlug);

    public KeyScope SiblingScope => KeyScope.Organization(SiblingSlug);

    /// <summary>Created directly through the database (no use case creates enterprises or organizations yet).</summary>
    public static async Task<TestEnterprise> CreateAsync(PortalFixture fixture)
    {
        ArgumentNullException.ThrowIfNull(fixture);
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var now = DateTimeOffset.UtcNow;
        var enterprise = new Enterprise { Slug = $"northwind-{suffix}", Name = $"Northwind {suffix}", CreatedAt = now };
        var organization = new Organization { EnterpriseId = enterprise.Id, Slug = $"northwind-{suffix}-web", Name = $"Northwind Web {suffix}", CreatedAt = now };
        var sibling = new Organization { EnterpriseId = enterprise.Id, Slug = $"northwind-{suffix}-data", Name = $"Northwind Data {suffix}", CreatedAt = now };

        await using var db = await fixture.DbAsync();
        var people = await db.People.AsNoTracking()
            .Where(p => p.Email == DemoSignIn.EnterpriseOwner || p.Email == DemoSignIn.WebOwner || p.Email == DemoSignIn.WebMember || p.Email == DemoSignIn.DataOwner)
            .ToDictionaryAsync(p => p.Email, p => p.Id, PortalFixture.Ct);
        db.Enterprises.Add(enterprise);
        db.Organizations.AddRange(organization, sibling);
        db.EnterpriseMemberships.AddRange(
            new EnterpriseMembership { EnterpriseId = enterprise.Id, PersonId = people[DemoSignIn.EnterpriseOwner], Role = EnterpriseRole.Owner, CreatedAt = now },
            new EnterpriseMembership { EnterpriseId = enterprise.Id, PersonId = people[DemoSignIn.WebOwner], Role = EnterpriseRole.Member, CreatedAt = now },
            new EnterpriseMembership { EnterpriseId = enterprise.Id, PersonId = people[DemoSignIn.WebMember], Role = EnterpriseRole.Member, CreatedAt = now },
            new EnterpriseMembership { EnterpriseId = enterprise.Id, PersonId = people[DemoSignIn.DataOwner], Role = EnterpriseRole.Member, CreatedAt = now });
        db.OrganizationMemberships.AddRange(
            new OrganizationMembership { OrganizationId = organization.Id, PersonId = people[DemoSignIn.WebOwner], Role = OrganizationRole.Owner, CreatedAt = now },
            new OrganizationMembership { OrganizationId = organization.Id, PersonId = people[DemoSignIn.WebMember], Role = OrganizationRole.Member, CreatedAt = now },
            new OrganizationMembership { OrganizationId = sibling.Id, PersonId = people[DemoSignIn.DataOwner], Role = OrganizationRole.Owner, CreatedAt = now });
        await db.SaveChangesAsync(PortalFixture.Ct);
        return new TestEnterprise(enterprise.Id, enterprise.Slug, enterprise.Name, organization.Id, organization.Slug, organization.Name, sibling.Id, sibling.Slug);
    }
}
