using System.Net;
using System.Text.Json;
using ByokPortal.Testing;

namespace ByokPortal.Web.Tests.Audit;

/// <summary>The same portal started as in tests ("Testing") and as in production, each with a signed-in enterprise owner.</summary>
public sealed class TwoEnvironmentsFixture : IAsyncLifetime
{
    private readonly Dictionary<string, (PortalAppFactory Portal, HttpClient Owner)> _portals = new(StringComparer.Ordinal);

    public async ValueTask InitializeAsync()
    {
        foreach (var environment in new[] { "Testing", "Production" })
        {
            var portal = new PortalAppFactory { Environment = environment };
            _portals[environment] = (portal, await portal.CreateSignedInClientAsync(DemoSignIn.EnterpriseOwner));
        }
    }

    public HttpClient OwnerIn(string environment) => _portals[environment].Owner;

    public async ValueTask DisposeAsync()
    {
        foreach (var (portal, owner) in _portals.Values)
        {
            owner.Dispose();
            await portal.DisposeAsync();
        }
    }
}

/// <summary>
/// The CSV export over HTTP with filters that are not real days, out of range, or reversed: a 400 validation problem naming the
/// field in the portal's words, in every environment; never a 500, never a developer exception page.
/// </summary>
public sealed class AuditLogBadFilterTests(TwoEnvironmentsFixture portals) : IClassFixture<TwoEnvironmentsFixture>
{
    [Theory]
    [InlineData("Testing", "from=9999-12-31", "from", "From must be between 2000-01-01 and 2999-12-31.")]
    [InlineData("Production", "from=9999-12-31", "from", "From must be between 2000-01-01 and 2999-12-31.")]
    [InlineData("Testing", "to=9999-12-31", "to", "To must be between 2000-01-01 and 2999-12-31.")]
    [InlineData("Production", "to=9999-12-31", "to", "To must be between 2000-01-01 and 2999-12-31.")]
    [InlineData("Testing", "from=0001-01-01", "from", "From must be between 2000-01-01 and 2999-12-31.")]
    [InlineData("Production", "to=0001-01-01", "to", "To must be between 2000-01-01 and 2999-12-31.")]
    [InlineData("Testing", "from=2026-02-30", "from", "From must be a real day, written YYYY-MM-DD (e.g. 2026-03-02).")]
    [InlineData("Production", "to=2026-02-30", "to", "To must be a real day, written YYYY-MM-DD (e.g. 2026-03-02).")]
    [InlineData("Testing", "from=abc", "from", "From must be a real day, written YYYY-MM-DD (e.g. 2026-03-02).")]
    [InlineData("Production", "from=abc", "from", "From must be a real day, written YYYY-MM-DD (e.g. 2026-03-02).")]
    [InlineData("Testing", "to=%00", "to", "To must be a real day, written YYYY-MM-DD (e.g. 2026-03-02).")]
    [InlineData("Production", "from=2026-05-02&to=2026-05-01", "to", "To must be the same day as From or later.")]
    [InlineData("Testing", "actor=ada%E2%80%AEmoc", "actor", "Actor must not contain control, invisible or direction-changing characters.")]
    public async Task Export_BadFilter_Is400ProblemNamingTheField(string environment, string query, string field, string message)
    {
        using var response = await portals.OwnerIn(environment).GetAsync(
            new Uri($"/enterprises/contoso/audit-log/export.csv?{query}", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal("The audit log filter is not valid.", problem.RootElement.GetProperty("title").GetString());
        var errors = problem.RootElement.GetProperty("errors");
        Assert.Equal([message], errors.GetProperty(field).EnumerateArray().Select(e => e.GetString()));
    }

    [Theory]
    [InlineData("Testing")]
    [InlineData("Production")]
    public async Task Export_DatesAtTheEdgesOfTheRange_AreAnswered(string environment)
    {
        using var response = await portals.OwnerIn(environment).GetAsync(
            new Uri("/enterprises/contoso/audit-log/export.csv?from=2000-01-01&to=2999-12-31", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
    }
}
