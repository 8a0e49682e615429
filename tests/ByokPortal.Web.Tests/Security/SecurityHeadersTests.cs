using System.Text.RegularExpressions;

namespace ByokPortal.Web.Tests.Security;

public sealed class SecurityHeadersTests(PortalFixture portal) : IClassFixture<PortalFixture>
{
    [Theory]
    [InlineData("/signin")]
    [InlineData("/")]
    [InlineData("/healthz")]
    public async Task Response_AnyPage_CarriesSecurityHeaders(string path)
    {
        using var response = await portal.As(ByokPortal.Testing.DemoSignIn.EnterpriseOwner).GetAsync(new Uri(path, UriKind.Relative), TestContext.Current.CancellationToken);

        var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
    }

    [Fact]
    public async Task ApiReference_AllowsOnlyTheScriptsCarryingTheNonceOfThatAnswer_PortalPagesKeepSelfOnly()
    {
        var ct = TestContext.Current.CancellationToken;
        async Task<(string Csp, string Html)> GetAsync(string path)
        {
            using var response = await portal.Anonymous.GetAsync(new Uri(path, UriKind.Relative), ct);
            return (string.Join(";", response.Headers.GetValues("Content-Security-Policy")), await response.Content.ReadAsStringAsync(ct));
        }

        var (csp, html) = await GetAsync("/api/reference/v1");
        var nonce = Regex.Match(csp, "script-src 'self' 'nonce-([A-Za-z0-9_\\-]{16,})';").Groups[1].Value;
        Assert.NotEmpty(nonce);
        var scripts = Regex.Matches(html, "<script[^>]*>").Select(m => m.Value).ToList();
        Assert.NotEmpty(scripts);
        Assert.All(scripts, tag => Assert.Contains($"nonce=\"{nonce}\"", tag, StringComparison.Ordinal));
        Assert.Equal($"script-src 'self' 'nonce-{nonce}'", csp.Split(';').Select(d => d.Trim()).Single(d => d.StartsWith("script-src", StringComparison.Ordinal)));
        Assert.Contains("style-src 'self' 'unsafe-inline'", csp, StringComparison.Ordinal);

        var (again, _) = await GetAsync("/api/reference/v1");
        Assert.DoesNotContain(nonce, again, StringComparison.Ordinal);

        var (signIn, _) = await GetAsync("/signin");
        Assert.Contains("script-src 'self';", signIn, StringComparison.Ordinal);
        Assert.DoesNotContain("nonce-", signIn, StringComparison.Ordinal);
    }
}
