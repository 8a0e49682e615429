using ByokPortal.Core.Access;
using ByokPortal.Core.Audit;
using ByokPortal.Core.Common;
using ByokPortal.Core.Data;
using ByokPortal.Core.Identity;
using ByokPortal.Core.Sessions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ByokPortal.Core.People;

/// <summary>
/// An identity proven by a sign-in scheme: demo sign-in knows only the e-mail; Entra ID also gives the object ID, the name and the
/// person's groups (the <c>groups</c> claim, and app roles or groups emitted as role claims). <see cref="Groups"/> null: the scheme
/// says nothing about groups (roles from groups stay). <see cref="GroupsOverage"/>: the token had too many groups to list them.
/// </summary>
public sealed record ExternalIdentity(
    string Email, string? DisplayName, string? ObjectId, string? ClientAddress, IReadOnlyCollection<string>? Groups = null, bool GroupsOverage = false);

/// <summary>The person who signed in and the server-side session their cookie carries.</summary>
public sealed record SignedInPerson(Guid PersonId, string Email, string DisplayName, Guid SessionId);

/// <summary>
/// Maps a signed-in identity to a person: by Entra object ID, then by e-mail (only people not yet linked to another object ID).
/// People named in <c>Portal:BootstrapOwners</c> are created on first sign-in and made owners of the enterprise.
/// Entra ID sign-in creates a person record for a new colleague (with no roles); demo sign-in never does. A disabled person (by an owner,
/// or by SCIM <c>active=false</c>) is refused. With Entra ID, the groups of the token set the roles that come from mapped groups (roles
/// given by hand stay); when the token has too many groups to list them (groups overage), the roles from sign-in groups are taken away
/// rather than trusted stale, and the overage is recorded so the identity page can say what to configure.
/// Starts a <see cref="PersonSession"/> and records the sign-in in the audit log, in one SaveChanges.
/// </summary>
public sealed class SignInPersonCommand(IPortalDbContextFactory dbFactory, AuditTrail audit, TimeProvider time, IOptions<PortalOptions> options)
{
    /// <summary>At most this many groups from one token are kept (Entra ID lists at most 200 in a token, then signals overage).</summary>
    public const int MaxGroups = 250;

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

        if (identity.Groups is not null)
        {
            await ApplyGroupsAsync(db, person, identity, now, cancellationToken);
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

    private async Task ApplyGroupsAsync(IPortalDbContext db, Person person, ExternalIdentity identity, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var groups = identity.GroupsOverage
            ? new HashSet<string>(StringComparer.OrdinalIgnoreCase)
            : identity.Groups!.Where(g => !string.IsNullOrWhiteSpace(g) && g.Length <= GroupMapping.GroupIdMaxLength).Select(g => g.Trim())
                .Distinct(StringComparer.OrdinalIgnoreCase).Take(MaxGroups).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var stored = await db.SignInGroups.Where(g => g.PersonId == person.Id).ToListAsync(cancellationToken);
        db.SignInGroups.RemoveRange(stored.Where(g => !groups.Contains(g.GroupId)));
        foreach (var group in groups.Where(g => !stored.Any(s => string.Equals(s.GroupId, g, StringComparison.OrdinalIgnoreCase))))
        {
            db.SignInGroups.Add(new SignInGroup { PersonId = person.Id, GroupId = group });
        }

        var enterpriseIds = await db.GroupMappings.Select(m => m.EnterpriseId)
            .Union(db.EnterpriseMemberships.Where(m => m.PersonId == person.Id).Select(m => m.EnterpriseId))
            .ToListAsync(cancellationToken);
        var actor = new Actor(person.Id, person.Email, identity.ClientAddress);
        foreach (var enterpriseId in enterpriseIds.Distinct())
        {
            var changes = await GroupRoles.ApplyAsync(db, enterpriseId, [person.Id], now, new GroupSync(audit, actor, "entra_sign_in"), cancellationToken);
            var target = new AuditTarget("person", person.Id.ToString(), person.Email, enterpriseId);
            if (identity.GroupsOverage && await db.GroupMappings.AnyAsync(m => m.EnterpriseId == enterpriseId, cancellationToken))
            {
                audit.Record(db, actor, AuditActions.GroupsOverage, target,
                    System.Text.Json.JsonSerializer.Serialize(new { reason = "The ID token had too many groups to list them (_claim_names / hasgroups); roles from sign-in groups were not granted." }));
            }

            if (changes.Count > 0)
            {
                audit.Record(db, actor, AuditActions.PersonGroupRolesUpdate, target,
                    System.Text.Json.JsonSerializer.Serialize(new { source = "entra_sign_in", roles = changes.Select(c => c.Change) }));
            }
        }
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
