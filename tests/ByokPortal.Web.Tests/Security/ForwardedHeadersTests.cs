using System.Net;
using ByokPortal.Testing;
using ByokPortal.Web.Authentication;

namespace ByokPortal.Web.Tests.Security;

/// <summary>
/// Behind a proxy that terminates TLS, the sign-in cookie is Secure when the public scheme is https (X-Forwarded-Proto) and the proxy is
/// trusted; the header of anyone else is ignored. Real HTTP on Kestrel (the proxy is this test, on loopback).
/// </summary>
public sealed class ForwardedHeadersTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public static TheoryData<string, string?, string, bool> Setups() => new()
    {
        // setting, value, description, expect Secure
        { "Portal:ForwardedHeaders:Enabled", "true", "Portal:ForwardedHeaders with loopback trusted by default", true },
        { "FORWARDEDHEADERS_ENABLED", "true", "ASPNETCORE_FORWARDEDHEADERS_ENABLED", true },
        { "Portal:ForwardedHeaders:Enabled", "false", "no forwarded headers", false },
    };

    [Theory]
    [MemberData(nameof(Setups))]
    public async Task SignIn_ForwardedHttps_CookieSecureOnlyWhenTheProxyIsTrusted(string setting, string? value, string setup, bool expectSecure)
    {
        await using var factory = new PortalAppFactory().WithSetting(setting, value);
        var address = factory.StartOnFreePort();

        var cookies = await SignInBehindProxyAsync(address);

        var auth = cookies.Single(c => c.StartsWith(AuthenticationSetup.CookieName + "=", StringComparison.Ordinal));
        Assert.True(IsSecure(auth) == expectSecure, $"{setup}: {auth[..auth.IndexOf('=', StringComparison.Ordinal)]} cookie attributes {Attributes(auth)}");
        var antiforgery = cookies.Single(c => c.StartsWith(".AspNetCore.Antiforgery.", StringComparison.Ordinal));
        Assert.True(IsSecure(antiforgery) == expectSecure, $"{setup}: antiforgery cookie attributes {Attributes(antiforgery)}");
    }

    [Fact]
    public async Task SignIn_ForwardedHttpsFromAnUnlistedProxy_IsIgnored()
    {
        await using var factory = new PortalAppFactory()
            .WithSetting("Portal:ForwardedHeaders:Enabled", "true")
            .WithSetting("Portal:ForwardedHeaders:KnownProxies:0", "10.0.0.4");
        var address = factory.StartOnFreePort();

        var cookies = await SignInBehindProxyAsync(address);

        Assert.False(IsSecure(cookies.Single(c => c.StartsWith(AuthenticationSetup.CookieName + "=", StringComparison.Ordinal))));
    }

    /// <summary>Demo sign-in as the proxy would pass it on: plain HTTP to the portal, X-Forwarded-Proto: https, cookies passed back by hand.</summary>
    private static async Task<IReadOnlyList<string>> SignInBehindProxyAsync(Uri address)
    {
        using var handler = new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false };
        using var client = new HttpClient(handler) { BaseAddress = address };
        client.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
        client.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.9");

        using var page = await client.GetAsync(new Uri("/signin", UriKind.Relative), Cancel);
        var antiforgery = page.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(".AspNetCore.Antiforgery.", StringComparison.Ordinal));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/signin/demo")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["email"] = DemoSignIn.WebMember,
                ["returnUrl"] = "/",
                ["__RequestVerificationToken"] = DemoSignIn.AntiforgeryToken(await page.Content.ReadAsStringAsync(Cancel)),
            }),
        };
        request.Headers.Add("Cookie", antiforgery.Split(';')[0]);
        using var signIn = await client.SendAsync(request, Cancel);
        Assert.True(signIn.StatusCode == HttpStatusCode.Redirect, $"demo sign-in answered {(int)signIn.StatusCode}");
        return [antiforgery, .. signIn.Headers.GetValues("Set-Cookie")];
    }

    private static string[] Attributes(string setCookie) => [.. setCookie.Split(';').Skip(1).Select(a => a.Trim())];

    private static bool IsSecure(string setCookie) => Attributes(setCookie).Contains("secure", StringComparer.OrdinalIgnoreCase);
}
