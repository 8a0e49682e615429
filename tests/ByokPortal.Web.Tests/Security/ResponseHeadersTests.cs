using System.Net;
using System.Text.RegularExpressions;
using ByokPortal.Testing;

namespace ByokPortal.Web.Tests.Security;

/// <summary>
/// What every answer says about itself, over real HTTP (Kestrel adds a Server header unless told not to): no Server header anywhere;
/// <c>Cache-Control: no-store</c> on pages (those showing keys and tokens included), downloads and APIs, but not on static assets.
/// </summary>
public sealed partial class ResponseHeadersTests(KestrelPortalFixture portal) : IClassFixture<KestrelPortalFixture>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("/")]
    [InlineData("/signin")]
    [InlineData("/enterprises/contoso/ai-controls/copilot/models")]
    [InlineData("/organizations/contoso-web/settings/api-keys")]
    [InlineData("/organizations/contoso-web/settings/models/custom")]
    [InlineData("/enterprises/contoso/audit-log/export.csv")]
    [InlineData("/healthz")]
    [InlineData("/api/v1/no-such-route")]
    [InlineData("/no-such-page")]
    public async Task Answer_PageDownloadOrApi_HasNoServerHeaderAndIsNotStored(string path)
    {
        using var browser = portal.NewClient();
        (await browser.SignInAsync(DemoSignIn.EnterpriseOwner)).Dispose();

        using var response = await browser.Http.GetAsync(new Uri(path, UriKind.Relative), Cancel);

        Assert.False(response.Headers.Contains("Server"), $"{path} answered {(int)response.StatusCode} with Server: {string.Join(",", response.Headers.TryGetValues("Server", out var s) ? s : [])}");
        Assert.True(response.Headers.CacheControl?.NoStore == true, $"{path} answered {(int)response.StatusCode} with Cache-Control: {response.Headers.CacheControl}");
    }

    [Fact]
    public async Task Answer_AnonymousRedirect_HasNoServerHeaderAndIsNotStored()
    {
        using var browser = portal.NewClient();

        using var response = await browser.Http.GetAsync(new Uri("/enterprises/contoso/audit-log", UriKind.Relative), Cancel);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.False(response.Headers.Contains("Server"));
        Assert.True(response.Headers.CacheControl?.NoStore == true);
    }

    [Fact]
    public async Task StaticAsset_Fingerprinted_StaysCacheableWithoutServerHeader()
    {
        using var browser = portal.NewClient();
        var signIn = await browser.Http.GetStringAsync(new Uri("/signin", UriKind.Relative), Cancel);
        var stylesheet = StylesheetPattern().Match(signIn);
        Assert.True(stylesheet.Success, "the sign-in page links no fingerprinted app.css");

        using var response = await browser.Http.GetAsync(new Uri("/" + stylesheet.Groups["href"].Value, UriKind.Relative), Cancel);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("Server"));
        Assert.False(response.Headers.CacheControl?.NoStore == true, $"a static asset answered Cache-Control: {response.Headers.CacheControl}");
    }

    [GeneratedRegex("href=\"(?<href>app\\.[a-z0-9]+\\.css)\"")]
    private static partial Regex StylesheetPattern();
}
