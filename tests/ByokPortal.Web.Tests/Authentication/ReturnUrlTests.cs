using System.Net;
using ByokPortal.Testing;
using ByokPortal.Web.Authentication;

namespace ByokPortal.Web.Tests.Authentication;

/// <summary>
/// <c>returnUrl</c> after sign-in, over real HTTP (Kestrel refuses control and non-ASCII characters in a Location header, which used to
/// answer 500): only a plain path of this site is followed; anything else lands on "/".
/// </summary>
public sealed class ReturnUrlTests(KestrelPortalFixture portal) : IClassFixture<KestrelPortalFixture>
{
    public static TheoryData<string, string> Cases() => new()
    {
        { "/enterprises/contoso/audit-log?from=2026-01-01&action=person.sign_in", "/enterprises/contoso/audit-log?from=2026-01-01&action=person.sign_in" },
        { "/organizations/contoso-web/models", "/organizations/contoso-web/models" },
        { "/%2F%2Fencoded-slashes-stay-a-path", "/%2F%2Fencoded-slashes-stay-a-path" },
        { "/", "/" },
        { "", "/" },
        { "/caf\u00e9", "/" },
        { "/\u202Egnp.exe", "/" },
        { "/\u0007bell", "/" },
        { "/a\r\nSet-Cookie: injected=1", "/" },
        { "/with space", "/" },
        { "/\\evil.example", "/" },
        { "/path\\with\\backslashes", "/" },
        { "\\\\evil.example", "/" },
        { "//evil.example/", "/" },
        { "https://evil.example/", "/" },
        { "javascript:alert(1)", "/" },
        { "/%zz-bad-escape", "/" },
        { "/" + new string('a', SignInEndpoints.ReturnUrlMaxLength), "/" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task DemoSignIn_ReturnUrl_RedirectsOnlyToPlainLocalPaths(string returnUrl, string expected)
    {
        using var browser = portal.NewClient();

        using var response = await browser.SignInAsync(DemoSignIn.WebMember, returnUrl);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(expected, response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task DemoSignIn_ReturnUrlWithNul_IsRefusedBeforeSignIn()
    {
        // ASP.NET Core's form reader refuses %00 in a form body (400) before the portal sees it: no 500, nobody signed in.
        using var browser = portal.NewClient();

        using var response = await browser.SignInAsync(DemoSignIn.WebMember, "/\u0000nul");

        Assert.NotEqual(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Null(browser.CookieValue(AuthenticationSetup.CookieName));
        Assert.True(response.Headers.Location is null || response.Headers.Location.PathAndQueryOrOriginal().StartsWith("/signin", StringComparison.Ordinal),
            $"answered {(int)response.StatusCode} {response.Headers.Location}");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    [InlineData("/\u0000nul", "/")]
    public async Task SignInPage_ReturnUrl_RendersAndKeepsOnlyPlainLocalPaths(string returnUrl, string expected)
    {
        using var browser = portal.NewClient();

        using var response = await browser.Http.GetAsync(new Uri("/signin?returnUrl=" + Uri.EscapeDataString(returnUrl), UriKind.Relative), TestContext.Current.CancellationToken);
        var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains($"name=\"returnUrl\" value=\"{WebUtility.HtmlEncode(expected)}\"", html, StringComparison.Ordinal);
    }
}
