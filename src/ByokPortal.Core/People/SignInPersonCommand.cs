using ByokPortal.Core.Access;
using ByokPortal.Core.Audit;
using ByokPortal.Core.Common;
using ByokPortal.Core.Data;
using ByokPortal.Core.Sessions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ByokPortal.Core.People;

/// <summary>An identity proven by a sign-in scheme: demo sign-in knows only the e-mail; Entra ID also gives the object ID and name.</summary>
public sealed record ExternalIdentity(string Email, string? DisplayName, string? ObjectId, string? ClientAddress);

/// <summary>The person who signed in and the server-side session their cookie carries.</summary>
public sealed record SignedInPerson(Guid PersonId, string Email, string DisplayName, Guid SessionId);

/// <summary>
/// Maps a signed-in identity to a person: by Entra object ID, then by e-mail (only people not yet linked to another object ID).
/// People named in <c>Portal:BootstrapOwners</c> are created on first sign-in and made owners of the enterprise.
/// Entra ID sign-in creates a person record for a new colleague (with no roles); demo sign-in never does. A disabled person is refused.
/// Starts a <see cref="PersonSession"/> and records the sign-in in the audit log, in one SaveChanges.
/// </summary>
public sealed class SignInPersonCommand(IPortalDbContextFactory dbFactory, AuditTrail audit, TimeProvider time, IOptions<PortalOptions> options)
{
    public async Task<Result<SignedInPerson>> ExecuteAsync(ExternalIdentity identity, SignInMethod method, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(identity);
        var createUnknown = method == SignInMethod.EntraId;
        if (string.IsNullOrWhiteSpace(identity.Email))
        {
            return ValidationError.For(nameof(identity.Email), "The identity has no e-mail address.");
        }

        var email = Person.NormalizeEmail(identity.Email);
        var isBootstrapOwner = options.Value.BootstrapOwners.Any(o => string.Equals(Person.NormalizeEmail(o), email, StringComparison.Ordinal));
        await using var db = await dbFactory.CreateAsync(cancellationToken);
        var now = time.GetUtcNow();

        Person? person = null;
        if (!string.IsNullOrEmpty(identity.ObjectId))
        {
            person = await db.People.FirstOrDefaultAsync(p => p.ExternalObjectId == identity.ObjectId, cancellationToken);
            if (person is not null)
            {
                // The directory is the source of truth for a linked person: keep the name, and the e-mail unless someone else holds it.
                if (!string.IsNullOrWhiteSpace(identity.DisplayName))
                {
                    person.DisplayName = identity.DisplayName.Trim();
                }

                if (person.Email != email && !await db.People.AnyAsync(p => p.Email == email && p.Id != person.Id, cancellationToken))
                {
                    person.Email = email;
                }
            }
        }

        person ??= await db.People.FirstOrDefaultAsync(p => p.Email == email, cancellationToken);
        if (person is { ExternalObjectId: { } linkedObjectId } && !string.IsNullOrEmpty(identity.ObjectId)
            && !string.Equals(linkedObjectId, identity.ObjectId, StringComparison.Ordinal))
        {
            // The e-mail only finds people who have never signed in with Entra ID. Once linked, a person is their object ID:
            // another account that has (or was given) the same address must not inherit that person's roles.
            return new ForbiddenError("This e-mail address belongs to a person who signs in with another Microsoft Entra ID account.");
        }

        if (person is { DisabledAt: not null })
        {
            // Nothing about the person changes (no name refresh, no "last sign-in"); the refusal alone is recorded.
            await using var refusal = await dbFactory.CreateAsync(cancellationToken);
            if (await refusal.PrimaryEnterpriseOfAsync(person.Id, cancellationToken) is { } enterprise)
            {
                await audit.RecordDeniedAsync(refusal, new Actor(person.Id, person.Email, identity.ClientAddress), AuditActions.SignIn,
                    new AuditTarget("person", person.Id.ToString(), person.Email, enterprise), cancellationToken);
            }

            return new PersonDisabledError();
        }

        if (person is null)
        {
            if (!createUnknown && !isBootstrapOwner)
            {
                return new NotFoundError("No person with this e-mail address is known to the portal.");
            }

            person = new Person
            {
                Email = email,
                DisplayName = string.IsNullOrWhiteSpace(identity.DisplayName) ? email : identity.DisplayName.Trim(),
                CreatedAt = now,
            };
            db.People.Add(person);
        }

        if (person.ExternalObjectId is null && !string.IsNullOrEmpty(identity.ObjectId))
        {
            person.ExternalObjectId = identity.ObjectId;
        }

        person.LastSignInAt = now;

        if (isBootstrapOwner)
        {
            await EnsureEnterpriseOwnerAsync(db, person, now, cancellationToken);
        }

        var session = new PersonSession
        {
            PersonId = person.Id,
            SignInMethod = method,
            CreatedAt = now,
            LastSeenAt = now,
            ClientAddress = identity.ClientAddress is { Length: > PersonSession.ClientAddressMaxLength } address
                ? address[..PersonSession.ClientAddressMaxLength]
                : identity.ClientAddress,
        };
        db.PersonSessions.Add(session);

        var enterpriseId = await db.PrimaryEnterpriseOfAsync(person.Id, cancellationToken)
            ?? db.EnterpriseMemberships.Local.FirstOrDefault(m => m.PersonId == person.Id)?.EnterpriseId;
        if (enterpriseId is { } id)
        {
            audit.Record(db, new Actor(person.Id, person.Email, identity.ClientAddress), AuditActions.SignIn,
                new AuditTarget("person", person.Id.ToString(), person.Email, id));
        }

        await db.SaveChangesAsync(cancellationToken);
        return new SignedInPerson(person.Id, person.Email, person.DisplayName, session.Id);
    }

    private async Task EnsureEnterpriseOwnerAsync(IPortalDbContext db, Person person, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var slug = options.Value.Enterprise.Slug;
        var enterprise = await db.Enterprises.FirstOrDefaultAsync(e => e.Slug == slug, cancellationToken)
                         ?? await db.Enterprises.OrderBy(e => e.CreatedAt).FirstOrDefaultAsync(cancellationToken);
        if (enterprise is null)
        {
            return;
        }

        var membership = await db.EnterpriseMemberships.FirstOrDefaultAsync(m => m.PersonId == person.Id && m.EnterpriseId == enterprise.Id, cancellationToken);
        if (membership is null)
        {
            db.EnterpriseMemberships.Add(new EnterpriseMembership { EnterpriseId = enterprise.Id, PersonId = person.Id, Role = EnterpriseRole.Owner, CreatedAt = now });
        }
        else
        {
            membership.Role = EnterpriseRole.Owner;
        }
    }
}
