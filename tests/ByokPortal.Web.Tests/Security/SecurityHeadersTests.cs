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
}
