using System.Net;
using System.Text.Json;
using ByokPortal.Testing;

namespace ByokPortal.Web.Tests.Hosting;

/// <summary><c>/healthz</c> says healthy or not to anyone, and which check is which only to enterprise owners.</summary>
public sealed class HealthTests(PortalFixture portal) : IClassFixture<PortalFixture>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(null)]
    [InlineData(DemoSignIn.WebMember)]
    [InlineData(DemoSignIn.WebOwner)]
    public async Task Healthz_NotEnterpriseOwner_SaysOnlyHealthy(string? email)
    {
        var client = email is null ? portal.Anonymous : portal.As(email);

        using var response = await client.GetAsync(new Uri("/healthz", UriKind.Relative), Cancel);
        var body = await response.Content.ReadAsStringAsync(Cancel);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(body);
        Assert.Equal(["status"], json.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal("Healthy", json.RootElement.GetProperty("status").GetString());
        Assert.DoesNotContain("database", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("secret", body, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Healthz_EnterpriseOwner_SeesEachCheck()
    {
        using var response = await portal.As(DemoSignIn.EnterpriseOwner).GetAsync(new Uri("/healthz", UriKind.Relative), Cancel);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancel));

        Assert.Equal("Healthy", json.RootElement.GetProperty("status").GetString());
        var checks = json.RootElement.GetProperty("checks");
        Assert.Equal("Healthy", checks.GetProperty("database").GetString());
        Assert.Equal("Healthy", checks.GetProperty("secrets").GetString());
    }
}
