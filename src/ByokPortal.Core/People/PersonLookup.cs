using ByokPortal.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace ByokPortal.Core.People;

internal static class PersonLookup
{
    public static async Task<Person> FindOrCreateAsync(IPortalDbContext db, string email, string? displayName, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var normalized = Person.NormalizeEmail(email);
        var person = await db.People.FirstOrDefaultAsync(p => p.Email == normalized, cancellationToken);
        if (person is null)
        {
            person = new Person
            {
                Email = normalized,
                DisplayName = string.IsNullOrWhiteSpace(displayName) ? normalized : displayName.Trim(),
                CreatedAt = now,
            };
            db.People.Add(person);
        }

        return person;
    }

    public static Task<Person?> InEnterpriseAsync(IPortalDbContext db, Guid enterpriseId, Guid personId, CancellationToken cancellationToken) =>
        db.People.FirstOrDefaultAsync(p => p.Id == personId && db.EnterpriseMemberships.Any(m => m.PersonId == p.Id && m.EnterpriseId == enterpriseId), cancellationToken);
}
