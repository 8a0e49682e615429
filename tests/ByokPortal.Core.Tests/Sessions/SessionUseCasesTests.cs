using ByokPortal.Core.Audit;
using ByokPortal.Core.Common;
using ByokPortal.Core.People;
using ByokPortal.Core.Sessions;
using ByokPortal.Testing;
using Microsoft.EntityFrameworkCore;

namespace ByokPortal.Core.Tests.Sessions;

/// <summary>Server-side sessions: sign-in starts one, sign-out ends it, the check says whether it is on and renews "last seen" sparingly.</summary>
public sealed class SessionUseCasesTests(FrozenClockPortalFixture fixture) : IClassFixture<FrozenClockPortalFixture>
{
    private static CancellationToken Ct => PortalFixture.Ct;

    private async Task<SignedInPerson> SignInAsync(string email) =>
        (await fixture.Get<SignInPersonCommand>().ExecuteAsync(new ExternalIdentity(email, null, null, "198.51.100.23"), SignInMethod.Demo, Ct)).Value;

    private async Task<PersonSession> LoadAsync(Guid sessionId)
    {
        await using var db = await fixture.DbAsync();
        return await db.PersonSessions.AsNoTracking().SingleAsync(s => s.Id == sessionId, Ct);
    }

    private Task<bool> IsActiveAsync(Guid sessionId, Guid personId) => fixture.Get<CheckSessionQuery>().IsActiveAsync(sessionId, personId, Ct);

    [Fact]
    public async Task SignIn_Demo_StartsASessionOfItsOwn()
    {
        var first = await SignInAsync(DemoSignIn.WebMember);
        var second = await SignInAsync(DemoSignIn.WebMember);

        Assert.NotEqual(first.SessionId, second.SessionId);
        var session = await LoadAsync(first.SessionId);
        var now = fixture.Clock.GetUtcNow();
        Assert.Equal((first.PersonId, SignInMethod.Demo, now, now, "198.51.100.23"), (session.PersonId, session.SignInMethod, session.CreatedAt, session.LastSeenAt, session.ClientAddress));
        Assert.Null(session.EndedAt);
        Assert.True(await IsActiveAsync(first.SessionId, first.PersonId));
    }

    [Fact]
    public async Task EndSession_Active_EndsOnlyThatSessionAndIsAudited()
    {
        var ended = await SignInAsync(DemoSignIn.DataOwner);
        var other = await SignInAsync(DemoSignIn.DataOwner);
        var actor = await fixture.ActorAsync(DemoSignIn.DataOwner);

        var result = await fixture.Get<EndSessionCommand>().ExecuteAsync(actor, ended.SessionId, Ct);

        Assert.True(result.IsSuccess, result.Error?.Message);
        var session = await LoadAsync(ended.SessionId);
        Assert.Equal((fixture.Clock.GetUtcNow(), SessionEndReason.SignedOut), (session.EndedAt, session.EndReason));
        Assert.False(await IsActiveAsync(ended.SessionId, ended.PersonId));
        Assert.True(await IsActiveAsync(other.SessionId, other.PersonId));
        await using var db = await fixture.DbAsync();
        Assert.True(await db.AuditEvents.AnyAsync(e => e.Action == AuditActions.SignOut && e.ActorId == actor.PersonId, Ct));

        Assert.True((await fixture.Get<EndSessionCommand>().ExecuteAsync(actor, ended.SessionId, Ct)).IsSuccess);
        Assert.Equal(session.EndedAt, (await LoadAsync(ended.SessionId)).EndedAt);
    }

    [Fact]
    public async Task EndSession_SomeoneElsesSession_IsNotFoundAndLeavesItOn()
    {
        var victim = await SignInAsync(DemoSignIn.WebOwner);

        var result = await fixture.Get<EndSessionCommand>().ExecuteAsync(await fixture.ActorAsync(DemoSignIn.WebMember), victim.SessionId, Ct);

        Assert.IsType<NotFoundError>(result.Error);
        Assert.True(await IsActiveAsync(victim.SessionId, victim.PersonId));
    }

    [Fact]
    public async Task CheckSession_AnotherPersonsId_IsNotActive()
    {
        var session = await SignInAsync(DemoSignIn.WebOwner);
        var other = await fixture.ActorAsync(DemoSignIn.WebMember);

        Assert.False(await IsActiveAsync(session.SessionId, other.PersonId));
        Assert.False(await IsActiveAsync(Guid.NewGuid(), session.PersonId));
    }

    [Fact]
    public async Task CheckSession_Repeated_RenewsLastSeenAtMostOnceAMinute()
    {
        var signedIn = await SignInAsync(DemoSignIn.EnterpriseOwner);
        var start = fixture.Clock.GetUtcNow();

        fixture.Clock.Advance(TimeSpan.FromSeconds(30));
        Assert.True(await IsActiveAsync(signedIn.SessionId, signedIn.PersonId));
        Assert.Equal(start, (await LoadAsync(signedIn.SessionId)).LastSeenAt);

        fixture.Clock.Advance(TimeSpan.FromSeconds(31));
        Assert.True(await IsActiveAsync(signedIn.SessionId, signedIn.PersonId));
        Assert.Equal(fixture.Clock.GetUtcNow(), (await LoadAsync(signedIn.SessionId)).LastSeenAt);
    }
}
