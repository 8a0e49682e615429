using System.Net;
using ByokPortal.Core.People;
using ByokPortal.Testing;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;

namespace ByokPortal.Web.Tests.Authentication;

/// <summary>Entra ID sign-in with the authorization code flow (AzureAd:ResponseType=code plus AzureAd:ClientSecret).</summary>
public sealed class EntraCodeFlowSignInTests(EntraCodeFlowPortalFixture portal) : IClassFixture<EntraCodeFlowPortalFixture>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EntraChallenge_CodeFlow_AsksForCodeWithPkce()
    {
        using var browser = portal.CreateBrowser();

        using var response = await browser.Portal.GetAsync(new Uri("/signin/entra?returnUrl=%2F", UriKind.Relative), Cancel);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var query = QueryHelpers.ParseQuery(response.Headers.Location!.Query);
        Assert.Equal(portal.Provider.ClientId, query["client_id"].ToString());
        Assert.Equal("code", query["response_type"].ToString());
        Assert.Equal("S256", query["code_challenge_method"].ToString());
        Assert.False(string.IsNullOrEmpty(query["code_challenge"]));
    }

    [Fact]
    public async Task SignIn_CodeFlow_RedeemsCodeWithSecretAndPkceAndSignsIn()
    {
        using var browser = portal.CreateBrowser();
        var owner = portal.BootstrapOwner;

        var outcome = await browser.SignInAsync(owner);

        Assert.True(outcome is { Status: HttpStatusCode.Redirect, Location.OriginalString: "/" }, $"Sign-in answered {outcome}");
        Assert.NotEmpty(portal.Provider.TokenRequests);
        Assert.All(portal.Provider.TokenRequests, redemption =>
        {
            Assert.Equal("authorization_code", redemption["grant_type"]);
            Assert.Equal(portal.Provider.ClientSecret, redemption.GetValueOrDefault("client_secret"));
            Assert.False(string.IsNullOrEmpty(redemption.GetValueOrDefault("code_verifier")));
        });
        using var home = await browser.Portal.GetAsync(new Uri("/", UriKind.Relative), Cancel);
        Assert.Contains($"Welcome, {owner.Name}", await home.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
        var person = await portal.QueryAsync(db => db.People.SingleAsync(p => p.ExternalObjectId == owner.ObjectId, Cancel));
        Assert.True(await portal.QueryAsync(db => db.EnterpriseMemberships.AnyAsync(m => m.PersonId == person.Id && m.Role == EnterpriseRole.Owner, Cancel)));
        Assert.DoesNotContain(portal.Provider.ClientSecret, portal.Factory.Logs.AllText, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(IdTokenDefect.WrongAudience)]
    [InlineData(IdTokenDefect.BadSignature)]
    [InlineData(IdTokenDefect.OtherTenant)]
    [InlineData(IdTokenDefect.WrongNonce)]
    [InlineData(IdTokenDefect.Expired)]
    public async Task SignIn_CodeFlowDefectiveIdToken_SignsNobodyIn(IdTokenDefect defect)
    {
        using var browser = portal.CreateBrowser();
        var stranger = portal.Provider.AddUser(OidcTestUser.Create($"code-{defect.ToString().ToLowerInvariant()}@entra.test", "Mallory"));

        var outcome = await browser.SignInAsync(stranger, defect: defect);

        Assert.True(outcome is { Status: HttpStatusCode.Redirect, Location.OriginalString: "/signin?error=entra-failed" }, $"Sign-in with a {defect} token answered {outcome}");
        using var home = await browser.Portal.GetAsync(new Uri("/", UriKind.Relative), Cancel);
        Assert.Equal(HttpStatusCode.Redirect, home.StatusCode);
        Assert.False(await portal.QueryAsync(db => db.People.AnyAsync(p => p.ExternalObjectId == stranger.ObjectId, Cancel)));
        var logs = portal.Factory.Logs.AllText;
        Assert.All(portal.Provider.IssuedIdTokens, token => Assert.DoesNotContain(token.Split('.')[2], logs, StringComparison.Ordinal));
    }

    [Fact]
    public async Task SignIn_CodeFlowWrongClientSecret_SignsNobodyInAndLogsNoSecret()
    {
        await using var provider = await OidcProviderStandIn.StartAsync();
        const string wrongSecret = "not-the-registered-secret-5f1c";
        await using var factory = EntraPortalFixture.CreateEntraPortal(provider)
            .WithSetting("AzureAd:ResponseType", "code")
            .WithSetting("AzureAd:ClientSecret", wrongSecret);
        var person = provider.AddUser(OidcTestUser.Create("wrong.secret@entra.test", "Wrong Secret"));
        using var browser = new EntraBrowser(factory, provider);

        var outcome = await browser.SignInAsync(person);

        Assert.True(outcome is { Status: HttpStatusCode.Redirect, Location.OriginalString: "/signin?error=entra-failed" }, $"Sign-in answered {outcome}");
        Assert.Single(provider.TokenRequests);
        var page = await browser.Portal.GetStringAsync(outcome.Location, Cancel);
        Assert.Contains("Sign-in with Microsoft did not complete", page, StringComparison.Ordinal);
        Assert.DoesNotContain(wrongSecret, factory.Logs.AllText, StringComparison.Ordinal);
    }
}
