using ByokPortal.Core.Access;
using System.Net;
using ByokPortal.Core.ApiKeys;
using ByokPortal.Core.Audit;
using ByokPortal.Core.Common;
using ByokPortal.Core.Data;
using ByokPortal.Core.ProviderKeys;
using ByokPortal.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ByokPortal.Web.Tests.Audit;

/// <summary>The audit log's filters, paging and CSV export, over the real app and database.</summary>
public sealed class AuditLogExportTests : IAsyncLifetime
{
    private readonly PortalAppFactory _factory = new();
    private HttpClient _ada = default!;

    public async ValueTask InitializeAsync()
    {
        _ada = await _factory.CreateSignedInClientAsync(DemoSignIn.EnterpriseOwner);
        using var oscar = await _factory.CreateSignedInClientAsync(DemoSignIn.WebOwner);
        using var scope = _factory.Services.CreateScope();

        // An organization event (oscar issues an API key for contoso-web) and an enterprise event whose name tries formula injection.
        var issued = await scope.ServiceProvider.GetRequiredService<IssueApiKeyCommand>().ExecuteAsync(
            await ActorAsync(DemoSignIn.WebOwner), "contoso-web", new IssueApiKeyInput { Name = "ci-bot" }, CancellationToken.None);
        Assert.True(issued.IsSuccess);
        var input = new ProviderKeyInput { Provider = ProviderKind.Ollama, Name = "=HYPERLINK(\"http://evil.test\",\"x\")", BaseUrl = "http://127.0.0.1:11434/v1" };
        input = input with { ModelIds = [.. input.ModelIds, "llama3"] };
        Assert.True((await scope.ServiceProvider.GetRequiredService<AddProviderKeyCommand>().ExecuteAsync(
            await ActorAsync(DemoSignIn.EnterpriseOwner), KeyScope.Enterprise("contoso"), input, CancellationToken.None)).IsSuccess);
    }

    public async ValueTask DisposeAsync()
    {
        _ada.Dispose();
        await _factory.DisposeAsync();
    }

    [Fact]
    public async Task Export_AsEnterpriseOwner_DownloadsCsvOfEveryEvent()
    {
        using var response = await _ada.GetAsync(new Uri("/enterprises/contoso/audit-log/export.csv", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("audit-log-contoso-", response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName?.Trim('"'), StringComparison.Ordinal);
        var lines = (await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).TrimEnd('\n').Split('\n');
        Assert.Equal(AuditCsv.HeaderLine, lines[0]);
        Assert.Contains(lines, l => l.Contains(AuditActions.SignIn, StringComparison.Ordinal) && l.Contains(DemoSignIn.WebOwner, StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains(AuditActions.ApiKeyCreate, StringComparison.Ordinal) && l.Contains("contoso-web", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains(AuditActions.ProviderKeyCreate, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Export_NameStartingWithEquals_IsNotAFormula()
    {
        var csv = await GetCsvAsync("");
        var line = Assert.Single(csv, l => l.Contains(AuditActions.ProviderKeyCreate, StringComparison.Ordinal));
        Assert.Contains(",\"'=HYPERLINK(\"\"http://evil.test\"\",\"\"x\"\")\",", line, StringComparison.Ordinal);
        Assert.DoesNotContain(",=HYPERLINK", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("?action=person.sign_in", "person.sign_in")]
    [InlineData("?organization=contoso-web", "api_key.create")]
    [InlineData("?actor=oscar", "oscar@contoso.test")]
    public async Task Export_WithFilter_ListsOnlyMatchingEvents(string query, string everyLineContains)
    {
        var rows = (await GetCsvAsync(query)).Skip(1).ToList();

        Assert.NotEmpty(rows);
        Assert.All(rows, row => Assert.Contains(everyLineContains, row, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Export_DateRange_IncludesTodayExcludesOtherDays()
    {
        var today = DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        Assert.True((await GetCsvAsync($"?from={today}&to={today}")).Count > 1);
        Assert.Single(await GetCsvAsync("?from=2000-01-01&to=2000-01-31"));
        Assert.Single(await GetCsvAsync("?from=2999-01-01"));
    }

    [Fact]
    public async Task Search_Paging_ReturnsEveryEventOnce()
    {
        using var scope = _factory.Services.CreateScope();
        var query = scope.ServiceProvider.GetRequiredService<SearchAuditLogQuery>();
        var actor = await ActorAsync(DemoSignIn.EnterpriseOwner);
        var first = await query.ExecuteAsync(actor, "contoso", new AuditLogFilter(), 0, 2, CancellationToken.None);
        Assert.True(first.IsSuccess);
        var total = first.Value.TotalCount;
        Assert.True(total >= 4);

        var seen = new List<long>();
        for (var page = 0; page * 2 < total; page++)
        {
            var result = await query.ExecuteAsync(actor, "contoso", new AuditLogFilter(), page, 2, CancellationToken.None);
            seen.AddRange(result.Value.Items.Select(i => i.Id));
        }

        Assert.Equal(total, seen.Count);
        Assert.Equal(seen.OrderDescending(), seen);
        Assert.Equal(seen.Count, seen.Distinct().Count());
    }

    [Fact]
    public async Task Search_AsOrganizationOwner_IsNotFound()
    {
        using var scope = _factory.Services.CreateScope();
        var result = await scope.ServiceProvider.GetRequiredService<SearchAuditLogQuery>().ExecuteAsync(
            await ActorAsync(DemoSignIn.WebOwner), "contoso", new AuditLogFilter(), 0, 50, CancellationToken.None);
        Assert.IsType<NotFoundError>(result.Error);
    }

    private async Task<List<string>> GetCsvAsync(string query)
    {
        using var response = await _ada.GetAsync(new Uri("/enterprises/contoso/audit-log/export.csv" + query, UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).TrimEnd('\n').Split('\n').ToList();
    }

    private async Task<Actor> ActorAsync(string email)
    {
        await using var db = await _factory.Services.GetRequiredService<IPortalDbContextFactory>().CreateAsync();
        var id = await db.People.Where(p => p.Email == email).Select(p => p.Id).SingleAsync();
        return new Actor(id, email, "127.0.0.1");
    }
}
