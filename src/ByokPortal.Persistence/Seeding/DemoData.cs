using ByokPortal.Core.Enterprises;
using ByokPortal.Core.Organizations;
using ByokPortal.Core.People;
using Microsoft.EntityFrameworkCore;

namespace ByokPortal.Persistence.Seeding;

/// <summary>
/// The demo data of the embedded default: enterprise Contoso, three organizations and four people, one per role.
/// Seeded once, when the database has no Contoso yet; nothing here is a secret.
/// </summary>
public static class DemoData
{
    public const string EnterpriseSlug = "contoso";
    public const string EnterpriseName = "Contoso";

    public static readonly IReadOnlyList<(string Slug, string Name)> Organizations =
    [
        ("contoso-web", "Contoso Web"),
        ("contoso-data", "Contoso Data"),
        ("contoso-research", "Contoso Research"),
    ];

    public sealed record DemoPerson(string Email, string DisplayName, EnterpriseRole EnterpriseRole, string? Organization, OrganizationRole? OrganizationRole);

    public static readonly IReadOnlyList<DemoPerson> People =
    [
        new("ada@contoso.test", "Ada Lovelace", EnterpriseRole.Owner, null, null),
        new("oscar@contoso.test", "Oscar Ortiz", EnterpriseRole.Member, "contoso-web", OrganizationRole.Owner),
        new("olga@contoso.test", "Olga Novak", EnterpriseRole.Member, "contoso-data", OrganizationRole.Owner),
        new("mia@contoso.test", "Mia Chen", EnterpriseRole.Member, "contoso-web", OrganizationRole.Member),
    ];

    public static async Task<bool> SeedAsync(PortalDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(time);
        if (await db.Enterprises.AnyAsync(e => e.Slug == EnterpriseSlug, cancellationToken))
        {
            return false;
        }

        var now = time.GetUtcNow();
        var enterprise = new Enterprise { Slug = EnterpriseSlug, Name = EnterpriseName, CreatedAt = now };
        db.Enterprises.Add(enterprise);

        var organizations = Organizations.ToDictionary(
            o => o.Slug,
            o => new Organization { EnterpriseId = enterprise.Id, Slug = o.Slug, Name = o.Name, CreatedAt = now },
            StringComparer.Ordinal);
        db.Organizations.AddRange(organizations.Values);

        foreach (var demo in People)
        {
            var person = await db.People.FirstOrDefaultAsync(p => p.Email == demo.Email, cancellationToken)
                         ?? db.People.Add(new Person { Email = demo.Email, DisplayName = demo.DisplayName, CreatedAt = now }).Entity;
            db.EnterpriseMemberships.Add(new EnterpriseMembership { EnterpriseId = enterprise.Id, PersonId = person.Id, Role = demo.EnterpriseRole, HandRole = demo.EnterpriseRole, CreatedAt = now });
            if (demo.Organization is { } slug && demo.OrganizationRole is { } role)
            {
                db.OrganizationMemberships.Add(new OrganizationMembership { OrganizationId = organizations[slug].Id, PersonId = person.Id, Role = role, HandRole = role, CreatedAt = now });
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        return true;
    }
}
