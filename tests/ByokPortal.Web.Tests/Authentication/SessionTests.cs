using System.Net;
using ByokPortal.Core.Audit;
using ByokPortal.Core.People;
using ByokPortal.Core.Sessions;
using ByokPortal.Testing;
using ByokPortal.Web.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ByokPortal.Web.Tests.Authentication;

/// <summary>
/// Server-side sessions over real HTTP (Kestrel, demo sign-in): sign-out ends the session, so a copy of the cookie taken before is
/// refused afterwards; a disabled person can neither sign in nor go on with a session they had.
/// </summary>
public sealed class SessionTests(KestrelPortalFixture portal) : IClassFixture<KestrelPortalFixture>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <summary>Someone else's machine sending the cookies captured from a browser (no cookie jar of its own).</summary>
    private async Task<HttpResponseMessage> ReplayAsync(string cookieHeader, string path)
    {
        using var handler = new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false };
        using var client = new HttpClient(handler) { BaseAddress = portal.Address };
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Cookie", cookieHeader);
        return await client.SendAsync(request, Cancel);
    }

    [Fact]
    public async Task SignOut_CookieCopiedBefore_IsRefusedAfterwards()
    {
        using var browser = portal.NewClient();
        using (var signIn = await browser.SignInAsync(DemoSignIn.WebOwner))
        {
            Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        }

        var stolen = browser.Cookies.GetCookieHeader(portal.Address);
        Assert.Contains(AuthenticationSetup.CookieName + "=", stolen, StringComparison.Ordinal);
        using (var before = await ReplayAsync(stolen, "/"))
        {
            // The copy works while the session is on (and this instance now remembers the session as checked).
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        using (var signOut = await browser.SignOutAsync())
        {
            Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
            Assert.Equal("/signin?signed-out=1", signOut.Headers.Location?.OriginalString);
        }

        using var page = await ReplayAsync(stolen, "/");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/signin?returnUrl=", page.Headers.Location?.PathAndQueryOrOriginal(), StringComparison.Ordinal);
        Assert.Contains(page.Headers.GetValues("Set-Cookie"), c => c.StartsWith(AuthenticationSetup.CookieName + "=;", StringComparison.Ordinal));
        using var download = await ReplayAsync(stolen, "/enterprises/contoso/audit-log/export.csv");
        Assert.Equal(HttpStatusCode.Unauthorized, download.StatusCode);

        var oscar = (await portal.ActorAsync(DemoSignIn.WebOwner)).PersonId;
        var sessions = await portal.QueryAsync(db => db.PersonSessions.AsNoTracking().Where(s => s.PersonId == oscar).ToListAsync(Cancel));
        var session = Assert.Single(sessions);
        Assert.Equal((SignInMethod.Demo, SessionEndReason.SignedOut), (session.SignInMethod, session.EndReason));
        Assert.NotNull(session.EndedAt);
        Assert.True(await portal.QueryAsync(db => db.AuditEvents.AnyAsync(e => e.Action == AuditActions.SignOut && e.ActorId == oscar, Cancel)));
    }

    [Fact]
    public async Task SignOut_OneBrowser_LeavesThePersonsOtherSessionsOn()
    {
        using var laptop = portal.NewClient();
        using var phone = portal.NewClient();
        (await laptop.SignInAsync(DemoSignIn.DataOwner)).Dispose();
        (await phone.SignInAsync(DemoSignIn.DataOwner)).Dispose();

        (await laptop.SignOutAsync()).Dispose();

        using var stillOn = await phone.Http.GetAsync(new Uri("/", UriKind.Relative), Cancel);
        Assert.Equal(HttpStatusCode.OK, stillOn.StatusCode);
        using var signedOut = await laptop.Http.GetAsync(new Uri("/", UriKind.Relative), Cancel);
        Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);
    }

    [Fact]
    public async Task SignOut_WithoutAntiforgeryToken_Is400AndTheSessionStaysOn()
    {
        using var browser = portal.NewClient();
        (await browser.SignInAsync(DemoSignIn.WebMember)).Dispose();

        using var forged = await browser.SignOutAsync(withAntiforgeryToken: false);

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.False(forged.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith(AuthenticationSetup.CookieName, StringComparison.Ordinal)));
        using var home = await browser.Http.GetAsync(new Uri("/", UriKind.Relative), Cancel);
        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
    }

    [Fact]
    public async Task DisabledPerson_DemoSignIn_IsRefusedWithAMessage()
    {
        var person = await AddMemberAsync("dora.disabled@contoso.test");
        await DisableAsync(person);
        using var browser = portal.NewClient();

        using var signIn = await browser.SignInAsync("dora.disabled@contoso.test");

        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal(AuthenticationSetup.DisabledPath, signIn.Headers.Location?.OriginalString);
        Assert.Null(browser.CookieValue(AuthenticationSetup.CookieName));
        var page = await browser.Http.GetStringAsync(new Uri(AuthenticationSetup.DisabledPath, UriKind.Relative), Cancel);
        Assert.Contains("Your access to the portal has been disabled.", page, StringComparison.Ordinal);
        Assert.Empty(await portal.QueryAsync(db => db.PersonSessions.Where(s => s.PersonId == person).ToListAsync(Cancel)));
        Assert.True(await portal.QueryAsync(db => db.AuditEvents.AnyAsync(
            e => e.Action == AuditActions.SignIn && e.ActorId == person && e.Outcome == AuditOutcome.Denied, Cancel)));
    }

    [Fact]
    public async Task DisabledPerson_SessionStartedBefore_IsRefused()
    {
        // The instance has not checked this session yet; one that checked it within Portal:Auth:SessionCheckCacheDuration may let
        // plain requests through for that long (open pages check at once: see the browser tests).
        var person = await AddMemberAsync("dina.disabled@contoso.test");
        using var browser = portal.NewClient();
        (await browser.SignInAsync("dina.disabled@contoso.test")).Dispose();

        await DisableAsync(person);

        using var home = await browser.Http.GetAsync(new Uri("/organizations/contoso-web/models", UriKind.Relative), Cancel);
        Assert.Equal(HttpStatusCode.Redirect, home.StatusCode);
        Assert.StartsWith("/signin?returnUrl=", home.Headers.Location?.PathAndQueryOrOriginal(), StringComparison.Ordinal);
        var session = await portal.QueryAsync(db => db.PersonSessions.AsNoTracking().SingleAsync(s => s.PersonId == person, Cancel));
        Assert.Equal(SessionEndReason.PersonDisabled, session.EndReason);
    }

    private Task<Guid> AddMemberAsync(string email) => portal.QueryAsync(async db =>
    {
        var organization = await db.Organizations.SingleAsync(o => o.Slug == "contoso-web", Cancel);
        var person = new Person { Email = email, DisplayName = email, CreatedAt = DateTimeOffset.UtcNow };
        db.People.Add(person);
        db.OrganizationMemberships.Add(new OrganizationMembership { OrganizationId = organization.Id, PersonId = person.Id, Role = OrganizationRole.Member, CreatedAt = DateTimeOffset.UtcNow });
        await db.SaveChangesAsync(Cancel);
        return person.Id;
    });

    private async Task DisableAsync(Guid person)
    {
        using var scope = portal.Factory.Services.CreateScope();
        var result = await scope.ServiceProvider.GetRequiredService<DisablePersonCommand>()
            .ExecuteAsync(await portal.ActorAsync(DemoSignIn.EnterpriseOwner), "contoso", person, Cancel);
        Assert.True(result.IsSuccess, result.Error?.Message);
    }
}
