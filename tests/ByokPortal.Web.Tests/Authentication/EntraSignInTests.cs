using System.Net;
using ByokPortal.Core.Audit;
using ByokPortal.Core.People;
using ByokPortal.Core.Sessions;
using ByokPortal.Web.Authentication;
using ByokPortal.Testing;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;

namespace ByokPortal.Web.Tests.Authentication;

/// <summary>The Entra ID sign-in path end to end, against a local OpenID Connect provider shaped like the Microsoft identity platform.</summary>
public sealed class EntraSignInTests(EntraPortalFixture portal) : IClassFixture<EntraPortalFixture>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SignInPage_EntraMode_OffersMicrosoftAndNoDemoPeople()
    {
        using var browser = portal.CreateBrowser();

        using var response = await browser.Portal.GetAsync(new Uri("/signin?returnUrl=%2Fenterprises%2Fenterprise%2Faudit-log", UriKind.Relative), Cancel);
        var html = await response.Content.ReadAsStringAsync(Cancel);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Sign in with Microsoft", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/signin/entra?returnUrl=%2Fenterprises%2Fenterprise%2Faudit-log\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Demo sign-in", html, StringComparison.Ordinal);
        Assert.DoesNotContain("/signin/demo", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Demo people", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EntraChallenge_WithReturnUrl_RedirectsToProviderWithPortalClientId()
    {
        using var browser = portal.CreateBrowser();

        using var response = await browser.Portal.GetAsync(new Uri("/signin/entra?returnUrl=%2F", UriKind.Relative), Cancel);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!;
        Assert.Equal(portal.Provider.AuthorizeEndpoint.GetLeftPart(UriPartial.Path), location.GetLeftPart(UriPartial.Path));
        var query = QueryHelpers.ParseQuery(location.Query);
        Assert.Equal(portal.Provider.ClientId, query["client_id"].ToString());
        Assert.Equal("https://localhost/signin-oidc", query["redirect_uri"].ToString());
        Assert.Contains("openid", query["scope"].ToString().Split(' '));
        Assert.False(string.IsNullOrEmpty(query["state"]));
        Assert.False(string.IsNullOrEmpty(query["nonce"]));
    }

    [Fact]
    public async Task SignIn_BootstrapOwner_SignsInAndBecomesEnterpriseOwner()
    {
        using var browser = portal.CreateBrowser();
        var owner = portal.BootstrapOwner;

        var outcome = await browser.SignInAsync(owner, returnUrl: "/");

        Assert.True(outcome is { Status: HttpStatusCode.Redirect, Location.OriginalString: "/" }, $"Sign-in answered {outcome}");
        using var home = await browser.Portal.GetAsync(new Uri("/", UriKind.Relative), Cancel);
        var homeHtml = await home.Content.ReadAsStringAsync(Cancel);
        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
        Assert.Contains($"Welcome, {owner.Name}", homeHtml, StringComparison.Ordinal);

        var person = await portal.QueryAsync(db => db.People.SingleAsync(p => p.ExternalObjectId == owner.ObjectId, Cancel));
        Assert.Equal(owner.Email, person.Email);
        Assert.Equal(owner.Name, person.DisplayName);
        var roles = await portal.QueryAsync(db => db.EnterpriseMemberships
            .Where(m => m.PersonId == person.Id)
            .Join(db.Enterprises, m => m.EnterpriseId, e => e.Id, (m, e) => new { e.Slug, m.Role })
            .ToListAsync(Cancel));
        var role = Assert.Single(roles);
        Assert.Equal(EntraPortalFixture.EnterpriseSlug, role.Slug);
        Assert.Equal(EnterpriseRole.Owner, role.Role);

        using var auditLog = await browser.Portal.GetAsync(new Uri($"/enterprises/{EntraPortalFixture.EnterpriseSlug}/audit-log", UriKind.Relative), Cancel);
        Assert.Equal(HttpStatusCode.OK, auditLog.StatusCode);
        Assert.Contains("<h1", await auditLog.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);

        // The page loads its rows once interactive; its CSV export (same log, same policy) lists them for a plain HTTP client.
        var export = await browser.Portal.GetStringAsync(
            new Uri($"/enterprises/{EntraPortalFixture.EnterpriseSlug}/audit-log/export.csv?action={AuditActions.SignIn}", UriKind.Relative), Cancel);
        Assert.Contains(export.Split('\n'), line => line.Contains(AuditActions.SignIn, StringComparison.Ordinal) && line.Contains(owner.Email, StringComparison.Ordinal));
    }

    [Fact]
    public async Task SignIn_ExternalReturnUrl_LandsOnPortalHome()
    {
        using var browser = portal.CreateBrowser();

        var outcome = await browser.SignInAsync(portal.BootstrapOwner, returnUrl: "https://phishing.example/");

        Assert.True(outcome is { Status: HttpStatusCode.Redirect, Location.OriginalString: "/" }, $"Sign-in answered {outcome}");
    }

    [Fact]
    public async Task SignIn_ColleagueNotBootstrapOwner_GetsPersonWithoutRolesAndNoAccess()
    {
        using var browser = portal.CreateBrowser();
        var colleague = portal.Provider.AddUser(OidcTestUser.Create("lin.colleague@entra.test", "Lin Colleague"));

        var outcome = await browser.SignInAsync(colleague);

        Assert.True(outcome is { Status: HttpStatusCode.Redirect, Location.OriginalString: "/" }, $"Sign-in answered {outcome}");
        using var home = await browser.Portal.GetAsync(new Uri("/", UriKind.Relative), Cancel);
        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
        Assert.Contains($"Welcome, {colleague.Name}", await home.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);

        var person = await portal.QueryAsync(db => db.People.SingleAsync(p => p.ExternalObjectId == colleague.ObjectId, Cancel));
        Assert.Equal(colleague.Email, person.Email);
        Assert.False(await portal.QueryAsync(db => db.EnterpriseMemberships.AnyAsync(m => m.PersonId == person.Id, Cancel)));
        Assert.False(await portal.QueryAsync(db => db.OrganizationMemberships.AnyAsync(m => m.PersonId == person.Id, Cancel)));

        using var auditLog = await browser.Portal.GetAsync(new Uri($"/enterprises/{EntraPortalFixture.EnterpriseSlug}/audit-log", UriKind.Relative), Cancel);
        var body = await auditLog.Content.ReadAsStringAsync(Cancel);
        Assert.Equal(HttpStatusCode.Forbidden, auditLog.StatusCode);
        Assert.Contains("No access", body, StringComparison.Ordinal);
        using var export = await browser.Portal.GetAsync(new Uri($"/enterprises/{EntraPortalFixture.EnterpriseSlug}/audit-log/export.csv", UriKind.Relative), Cancel);
        Assert.Equal(HttpStatusCode.Forbidden, export.StatusCode);
    }

    [Fact]
    public async Task SignIn_SameObjectIdWithChangedEmail_MapsToSamePerson()
    {
        var before = portal.Provider.AddUser(OidcTestUser.Create("sam.before@entra.test", "Sam Renamed"));
        using (var first = portal.CreateBrowser())
        {
            var outcome = await first.SignInAsync(before);
            Assert.True(outcome is { Status: HttpStatusCode.Redirect, Location.OriginalString: "/" }, $"First sign-in answered {outcome}");
        }

        var personId = await portal.QueryAsync(db => db.People.Where(p => p.ExternalObjectId == before.ObjectId).Select(p => p.Id).SingleAsync(Cancel));

        // The directory changed the account's e-mail (UPN); the object ID stays.
        var after = portal.Provider.AddUser(before with { Email = "sam.after@entra.test" });
        using var second = portal.CreateBrowser();
        var again = await second.SignInAsync(after);

        Assert.True(again is { Status: HttpStatusCode.Redirect, Location.OriginalString: "/" }, $"Second sign-in answered {again}");
        var matches = await portal.QueryAsync(db => db.People.Where(p => p.ExternalObjectId == before.ObjectId).Select(p => p.Id).ToListAsync(Cancel));
        Assert.Equal(personId, Assert.Single(matches));
        Assert.False(await portal.QueryAsync(db => db.People.AnyAsync(p => p.Email == after.Email && p.Id != personId, Cancel)));
        Assert.Equal(after.Email, await portal.QueryAsync(db => db.People.Where(p => p.Id == personId).Select(p => p.Email).SingleAsync(Cancel)));
        using var home = await second.Portal.GetAsync(new Uri("/", UriKind.Relative), Cancel);
        Assert.Contains($"Welcome, {before.Name}", await home.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignIn_AnotherAccountWithLinkedPersonsEmail_IsRefused()
    {
        var original = portal.Provider.AddUser(OidcTestUser.Create("kim.linked@entra.test", "Kim Original"));
        using (var first = portal.CreateBrowser())
        {
            var outcome = await first.SignInAsync(original);
            Assert.True(outcome is { Status: HttpStatusCode.Redirect, Location.OriginalString: "/" }, $"First sign-in answered {outcome}");
        }

        // Another directory account (another object ID) now has the same e-mail, e.g. the address was given to a new account.
        var newcomer = portal.Provider.AddUser(OidcTestUser.Create(original.Email, "Kim Newcomer"));
        using var second = portal.CreateBrowser();
        var again = await second.SignInAsync(newcomer);

        Assert.True(again is { Status: HttpStatusCode.Redirect, Location.OriginalString: "/signin?error=entra-failed" }, $"Sign-in of the other account answered {again}");
        using var home = await second.Portal.GetAsync(new Uri("/", UriKind.Relative), Cancel);
        Assert.Equal(HttpStatusCode.Redirect, home.StatusCode);
        var linked = await portal.QueryAsync(db => db.People.Where(p => p.Email == original.Email).Select(p => p.ExternalObjectId).ToListAsync(Cancel));
        Assert.Equal(original.ObjectId, Assert.Single(linked));
    }

    [Fact]
    public async Task SignIn_AccountWithoutEmail_IsRefused()
    {
        using var browser = portal.CreateBrowser();
        var nameless = portal.Provider.AddUser(OidcTestUser.Create("", "No Mailbox"));

        var outcome = await browser.SignInAsync(nameless);

        Assert.True(outcome is { Status: HttpStatusCode.Redirect, Location.OriginalString: "/signin?error=entra-failed" }, $"Sign-in answered {outcome}");
        Assert.False(await portal.QueryAsync(db => db.People.AnyAsync(p => p.ExternalObjectId == nameless.ObjectId, Cancel)));
        Assert.Contains("no e-mail address or user principal name", portal.Factory.Logs.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignOut_EntraMode_EndsPortalSessionAndRedirectsToEndSessionEndpoint()
    {
        using var browser = portal.CreateBrowser();
        var outcome = await browser.SignInAsync(portal.BootstrapOwner);
        Assert.True(outcome is { Status: HttpStatusCode.Redirect, Location.OriginalString: "/" }, $"Sign-in answered {outcome}");

        var visited = await browser.SignOutAsync();

        Assert.NotEmpty(visited);
        Assert.Equal(portal.Provider.EndSessionEndpoint.GetLeftPart(UriPartial.Path), visited[0].GetLeftPart(UriPartial.Path));
        var endSession = QueryHelpers.ParseQuery(visited[0].Query);
        Assert.Equal("https://localhost/signout-callback-oidc", endSession["post_logout_redirect_uri"].ToString());
        Assert.Equal("/signin?signed-out=1", visited[^1].PathAndQuery);

        using var home = await browser.Portal.GetAsync(new Uri("/", UriKind.Relative), Cancel);
        Assert.Equal(HttpStatusCode.Redirect, home.StatusCode);
        Assert.StartsWith("/signin?returnUrl=", home.Headers.Location?.PathAndQueryOrOriginal(), StringComparison.Ordinal);

        // The sign-in started a server-side session (Entra ID); the sign-out ended it, so a copy of the cookie is worth nothing.
        var ownerId = await portal.QueryAsync(db => db.People.Where(p => p.ExternalObjectId == portal.BootstrapOwner.ObjectId).Select(p => p.Id).SingleAsync(Cancel));
        var sessions = await portal.QueryAsync(db => db.PersonSessions.AsNoTracking().Where(s => s.PersonId == ownerId).ToListAsync(Cancel));
        Assert.Contains(sessions, s => s is { SignInMethod: SignInMethod.EntraId, EndReason: SessionEndReason.SignedOut });
    }

    [Fact]
    public async Task SignIn_DisabledPerson_IsRefusedWithTheDisabledMessage()
    {
        var colleague = portal.Provider.AddUser(OidcTestUser.Create("dee.disabled@entra.test", "Dee Disabled"));
        using (var first = portal.CreateBrowser())
        {
            var outcome = await first.SignInAsync(colleague);
            Assert.True(outcome is { Status: HttpStatusCode.Redirect, Location.OriginalString: "/" }, $"First sign-in answered {outcome}");
            var personId = await portal.QueryAsync(db => db.People.Where(p => p.ExternalObjectId == colleague.ObjectId).Select(p => p.Id).SingleAsync(Cancel));
            await portal.QueryAsync(async db =>
            {
                await db.People.Where(p => p.Id == personId).ExecuteUpdateAsync(u => u.SetProperty(p => p.DisabledAt, DateTimeOffset.UtcNow), Cancel);
                return true;
            });

            // A session started before the person was disabled (set directly, as SCIM deprovisioning will) is refused too.
            using var home = await first.Portal.GetAsync(new Uri("/", UriKind.Relative), Cancel);
            Assert.Equal(HttpStatusCode.Redirect, home.StatusCode);
        }

        using var second = portal.CreateBrowser();
        var again = await second.SignInAsync(colleague);

        Assert.True(again is { Status: HttpStatusCode.Redirect, Location.OriginalString: AuthenticationSetup.DisabledPath }, $"Sign-in of a disabled person answered {again}");
        using var after = await second.Portal.GetAsync(new Uri("/", UriKind.Relative), Cancel);
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
    }

    [Theory]
    [InlineData(IdTokenDefect.WrongAudience)]
    [InlineData(IdTokenDefect.BadSignature)]
    [InlineData(IdTokenDefect.OtherTenant)]
    [InlineData(IdTokenDefect.WrongNonce)]
    [InlineData(IdTokenDefect.Expired)]
    public async Task SignIn_DefectiveIdToken_SignsNobodyIn(IdTokenDefect defect)
    {
        using var browser = portal.CreateBrowser();
        var stranger = portal.Provider.AddUser(OidcTestUser.Create($"{defect.ToString().ToLowerInvariant()}@entra.test", "Mallory"));

        var outcome = await browser.SignInAsync(stranger, defect: defect);

        Assert.True(outcome is { Status: HttpStatusCode.Redirect, Location.OriginalString: "/signin?error=entra-failed" }, $"Sign-in with a {defect} token answered {outcome}");
        using var home = await browser.Portal.GetAsync(new Uri("/", UriKind.Relative), Cancel);
        Assert.Equal(HttpStatusCode.Redirect, home.StatusCode);
        Assert.False(await portal.QueryAsync(db => db.People.AnyAsync(p => p.ExternalObjectId == stranger.ObjectId || p.Email == stranger.Email, Cancel)));
        var logs = portal.Factory.Logs.AllText;
        Assert.All(portal.Provider.IssuedIdTokens, token => Assert.DoesNotContain(token.Split('.')[2], logs, StringComparison.Ordinal));
    }
}
