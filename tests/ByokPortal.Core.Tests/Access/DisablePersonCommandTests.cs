using ByokPortal.Core.Access;
using ByokPortal.Core.Audit;
using ByokPortal.Core.Availability;
using ByokPortal.Core.Common;
using ByokPortal.Core.Organizations;
using ByokPortal.Core.People;
using ByokPortal.Core.Sessions;
using ByokPortal.Testing;
using Microsoft.EntityFrameworkCore;

namespace ByokPortal.Core.Tests.Access;

/// <summary>Disabling a person: their sessions end, they cannot sign in, and no use case lets them act; only enterprise owners do it.</summary>
public sealed class DisablePersonCommandTests(PortalFixture fixture) : IClassFixture<PortalFixture>
{
    private static CancellationToken Ct => PortalFixture.Ct;

    private async Task<Actor> AddOwnerOfWebAsync(string prefix)
    {
        var email = $"{prefix}-{Guid.NewGuid():N}@contoso.test"[..40];
        await using var db = await fixture.DbAsync();
        var organization = await db.Organizations.SingleAsync(o => o.Slug == "contoso-web", Ct);
        var person = new Person { Email = email, DisplayName = prefix, CreatedAt = DateTimeOffset.UtcNow };
        db.People.Add(person);
        db.EnterpriseMemberships.Add(new EnterpriseMembership { EnterpriseId = organization.EnterpriseId, PersonId = person.Id, Role = EnterpriseRole.Member, CreatedAt = DateTimeOffset.UtcNow });
        db.OrganizationMemberships.Add(new OrganizationMembership { OrganizationId = organization.Id, PersonId = person.Id, Role = OrganizationRole.Owner, CreatedAt = DateTimeOffset.UtcNow });
        await db.SaveChangesAsync(Ct);
        return new Actor(person.Id, email, "203.0.113.8");
    }

    private async Task<Result<SignedInPerson>> SignInAsync(Actor person) =>
        await fixture.Get<SignInPersonCommand>().ExecuteAsync(new ExternalIdentity(person.Name, null, null, "203.0.113.8"), SignInMethod.Demo, Ct);

    private async Task<Result<Done>> DisableAsync(string by, Guid personId, string enterprise = "contoso") =>
        await fixture.Get<DisablePersonCommand>().ExecuteAsync(await fixture.ActorAsync(by), enterprise, personId, Ct);

    private async Task<Person> LoadAsync(Guid personId)
    {
        await using var db = await fixture.DbAsync();
        return await db.People.AsNoTracking().SingleAsync(p => p.Id == personId, Ct);
    }

    [Fact]
    public async Task ExecuteAsync_EnterpriseOwner_EndsSessionsRefusesSignInAndEveryUseCase()
    {
        var person = await AddOwnerOfWebAsync("olive");
        var first = (await SignInAsync(person)).Value;
        var second = (await SignInAsync(person)).Value;
        Assert.NotNull((await fixture.Get<GetModelsPermissionsQuery>().ExecuteAsync(person, "contoso-web", Ct)).Value);

        var result = await DisableAsync(DemoSignIn.EnterpriseOwner, person.PersonId);

        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.NotNull((await LoadAsync(person.PersonId)).DisabledAt);
        await using (var db = await fixture.DbAsync())
        {
            var sessions = await db.PersonSessions.AsNoTracking().Where(s => s.PersonId == person.PersonId).ToListAsync(Ct);
            Assert.Equal(2, sessions.Count);
            Assert.All(sessions, s => Assert.Equal(SessionEndReason.PersonDisabled, s.EndReason));
            Assert.False(await db.GetOrganizationAccessBySlugAsync(person.PersonId, "contoso-web", Ct) != OrganizationAccess.None, "a disabled person kept a role");
            var audited = await db.AuditEvents.AsNoTracking().SingleAsync(e => e.Action == AuditActions.PersonDisable && e.TargetId == person.PersonId.ToString(), Ct);
            Assert.Equal((AuditOutcome.Succeeded, DemoSignIn.EnterpriseOwner, person.Name), (audited.Outcome, audited.ActorName, audited.TargetName));
            Assert.Contains("\"endedSessions\":2", audited.Details, StringComparison.Ordinal);
        }

        Assert.False(await fixture.Get<CheckSessionQuery>().IsActiveAsync(first.SessionId, person.PersonId, Ct));
        Assert.False(await fixture.Get<CheckSessionQuery>().IsActiveAsync(second.SessionId, person.PersonId, Ct));
        Assert.IsType<PersonDisabledError>((await SignInAsync(person)).Error);
        Assert.IsType<NotFoundError>((await fixture.Get<GetModelsPermissionsQuery>().ExecuteAsync(person, "contoso-web", Ct)).Error);
        Assert.IsType<NotFoundError>((await fixture.Get<GetModelPickerQuery>().ExecuteAsync(person, "contoso-web", Ct)).Error);
    }

    [Fact]
    public async Task ExecuteAsync_AlreadyDisabled_SucceedsAndKeepsTheFirstTime()
    {
        var person = await AddOwnerOfWebAsync("otto");
        Assert.True((await DisableAsync(DemoSignIn.EnterpriseOwner, person.PersonId)).IsSuccess);
        var disabledAt = (await LoadAsync(person.PersonId)).DisabledAt;

        var again = await DisableAsync(DemoSignIn.EnterpriseOwner, person.PersonId);

        Assert.True(again.IsSuccess);
        Assert.Equal(disabledAt, (await LoadAsync(person.PersonId)).DisabledAt);
    }

    [Fact]
    public async Task ExecuteAsync_Themselves_IsRefused()
    {
        var ada = await fixture.ActorAsync(DemoSignIn.EnterpriseOwner);

        var result = await DisableAsync(DemoSignIn.EnterpriseOwner, ada.PersonId);

        Assert.Equal("You can't disable yourself.", Assert.IsType<ForbiddenError>(result.Error).Message);
        Assert.Null((await LoadAsync(ada.PersonId)).DisabledAt);
    }

    [Theory]
    [InlineData(DemoSignIn.WebOwner)]
    [InlineData(DemoSignIn.WebMember)]
    public async Task ExecuteAsync_NotEnterpriseOwner_LooksLikeNothingAndIsAudited(string who)
    {
        var person = await AddOwnerOfWebAsync("opal");
        var session = (await SignInAsync(person)).Value;

        var result = await DisableAsync(who, person.PersonId);

        Assert.IsType<NotFoundError>(result.Error);
        Assert.Null((await LoadAsync(person.PersonId)).DisabledAt);
        Assert.True(await fixture.Get<CheckSessionQuery>().IsActiveAsync(session.SessionId, person.PersonId, Ct));
        await using var db = await fixture.DbAsync();
        Assert.True(await db.AuditEvents.AnyAsync(e => e.Action == AuditActions.PersonDisable && e.Outcome == AuditOutcome.Denied && e.ActorName == who
                                                       && e.TargetId == person.PersonId.ToString(), Ct));
    }

    [Fact]
    public async Task ExecuteAsync_PersonOfAnotherEnterprise_IsNotFound()
    {
        var organizationId = await fixture.OtherEnterpriseOrganizationIdAsync();
        var stranger = new Person { Email = $"stranger-{Guid.NewGuid():N}@fabrikam.test", DisplayName = "Stranger", CreatedAt = DateTimeOffset.UtcNow };
        await using (var db = await fixture.DbAsync())
        {
            db.People.Add(stranger);
            db.OrganizationMemberships.Add(new OrganizationMembership { OrganizationId = organizationId, PersonId = stranger.Id, Role = OrganizationRole.Owner, CreatedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync(Ct);
        }

        var result = await DisableAsync(DemoSignIn.EnterpriseOwner, stranger.Id);

        Assert.IsType<NotFoundError>(result.Error);
        Assert.Null((await LoadAsync(stranger.Id)).DisabledAt);
    }

    [Fact]
    public async Task ExecuteAsync_PersonWithoutAnyRole_IsDisabled()
    {
        var loner = new Person { Email = $"loner-{Guid.NewGuid():N}@entra.test", DisplayName = "Loner", CreatedAt = DateTimeOffset.UtcNow };
        await using (var db = await fixture.DbAsync())
        {
            db.People.Add(loner);
            await db.SaveChangesAsync(Ct);
        }

        var result = await DisableAsync(DemoSignIn.EnterpriseOwner, loner.Id);

        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.NotNull((await LoadAsync(loner.Id)).DisabledAt);
    }
}
