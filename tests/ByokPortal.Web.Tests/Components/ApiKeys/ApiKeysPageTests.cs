using AngleSharp.Dom;
using Bunit;
using ByokPortal.Core.ApiKeys;
using ByokPortal.Core.Common;
using ByokPortal.Testing;
using ByokPortal.Web.Components.Organizations.ApiKeys;
using ByokPortal.Web.Components.Shared;
using Microsoft.EntityFrameworkCore;
using MudBlazor;

namespace ByokPortal.Web.Tests.Components.ApiKeys;

/// <summary>
/// The organization's API keys page over the real use cases: each key's last use and rate limit, the rate limit dialog (the same
/// validator as the use case, conflicts shown with the stored value), and the usage of each key.
/// </summary>
public sealed class ApiKeysPageTests(PortalFixture portal) : IClassFixture<PortalFixture>
{
    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    private sealed class Context(IServiceProvider services) : PortalBunitContext(services)
    {
        public Task SignInAsync(Actor actor) => SignInAsAsync(actor.Name);
    }

    private async Task<IssuedApiKey> IssueAsync(string prefix)
    {
        var oscar = await portal.ActorAsync(DemoSignIn.WebOwner);
        var issued = await portal.RunAsync<IssueApiKeyCommand, Result<IssuedApiKey>>(c =>
            c.ExecuteAsync(oscar, "contoso-web", new IssueApiKeyInput { Name = $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 7)] }, Ct));
        Assert.True(issued.IsSuccess, issued.Error?.Message);
        return issued.Value;
    }

    private async Task<(Context Context, IRenderedComponent<MudDialogProvider> Dialogs, IRenderedComponent<ApiKeysPage> Page)> RenderAsync(string who = DemoSignIn.WebOwner)
    {
        var context = new Context(portal.Factory.Services);
        await context.SignInAsync(await portal.ActorAsync(who));
        context.Render<MudPopoverProvider>();
        var dialogs = context.Render<MudDialogProvider>();
        var page = context.Render<ApiKeysPage>(p => p.Add(x => x.Org, "contoso-web"));
        return (context, dialogs, page);
    }

    private static IElement RowOf(IRenderedComponent<ApiKeysPage> page, string table, string name) =>
        page.FindAll($"table[aria-label='{table}'] tbody tr").Single(r => r.TextContent.Contains(name, StringComparison.Ordinal));

    private static string[] Cells(IElement row) => row.QuerySelectorAll("td").Select(c => c.TextContent.Trim()).ToArray();

    private async Task<int?> StoredLimitAsync(Guid id)
    {
        await using var db = await portal.DbAsync();
        return await db.OrganizationApiKeys.Where(k => k.Id == id).Select(k => k.RateLimitPerMinute).SingleAsync(Ct);
    }

    [Fact]
    public async Task Page_KeyWithCalls_ShowsLastUsedTheDefaultRateLimitAndItsRequestsTokensAndErrors()
    {
        var issued = await IssueAsync("used");
        var at = new DateTimeOffset(DateTimeOffset.UtcNow.Ticks / TimeSpan.TicksPerMinute * TimeSpan.TicksPerMinute, TimeSpan.Zero).AddMinutes(-1);
        await UsageRows.WriteAsync(portal, "contoso-web", issued.Id, "gpt-4o", at, (200, 11, 7), (200, 11, 7), (502, null, null));

        var (context, _, page) = await RenderAsync();
        await using var _ = context;

        page.WaitForAssertion(() => RowOf(page, "Organization API keys", issued.Name));
        var row = RowOf(page, "Organization API keys", issued.Name);
        Assert.Contains(PortalTime.Minute(at), row.TextContent, StringComparison.Ordinal);
        Assert.Contains("Default (600/min)", row.TextContent, StringComparison.Ordinal);
        page.WaitForAssertion(() => RowOf(page, "Usage by API key", issued.Name));
        Assert.Equal([issued.Name, "3", "22", "14", "36", "1"], Cells(RowOf(page, "Usage by API key", issued.Name)));
        Assert.NotEmpty(page.FindAll("table[aria-label='Requests per hour by API key'] tbody tr"));
        Assert.NotEmpty(page.FindAll(".mud-chart"));
    }

    [Fact]
    public async Task RateLimitDialog_OutOfRangeThenValid_MessageOnTheFieldThenSavedAndShown()
    {
        var issued = await IssueAsync("limited");
        var (context, dialogs, page) = await RenderAsync();
        await using var _ = context;
        page.WaitForAssertion(() => RowOf(page, "Organization API keys", issued.Name));

        page.Find($"button[aria-label='Change rate limit of {issued.Name}']").Click();
        dialogs.WaitForAssertion(() => dialogs.Find("input"));
        dialogs.Find("input").Change("0");
        dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Save").Click();
        dialogs.WaitForAssertion(() => Assert.Contains(dialogs.FindAll(".mud-input-error"), e => e.TextContent.Contains(SetApiKeyRateLimitInputValidator.OutOfRange, StringComparison.Ordinal)));
        Assert.Null(await StoredLimitAsync(issued.Id));

        dialogs.Find("input").Change("250");
        dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Save").Click();

        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll("input")));
        Assert.Equal(250, await StoredLimitAsync(issued.Id));
        page.WaitForAssertion(() => Assert.Contains("250/min", RowOf(page, "Organization API keys", issued.Name).TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public async Task RateLimitDialog_AnotherOwnerSavedFirst_ConflictShowsTheirLimitAndNothingIsOverwritten()
    {
        var issued = await IssueAsync("contested");
        var (context, dialogs, page) = await RenderAsync();
        await using var _ = context;
        page.WaitForAssertion(() => RowOf(page, "Organization API keys", issued.Name));
        page.Find($"button[aria-label='Change rate limit of {issued.Name}']").Click();
        dialogs.WaitForAssertion(() => dialogs.Find("input"));

        // Ada changes the limit while Oscar's dialog is open.
        var ada = await portal.ActorAsync(DemoSignIn.EnterpriseOwner);
        Guid version;
        await using (var db = await portal.DbAsync())
        {
            version = await db.OrganizationApiKeys.Where(k => k.Id == issued.Id).Select(k => k.Version).SingleAsync(Ct);
        }

        Assert.True((await portal.RunAsync<SetApiKeyRateLimitCommand, Result<Done>>(c => c.ExecuteAsync(ada, "contoso-web", issued.Id, new SetApiKeyRateLimitInput("900", version), Ct))).IsSuccess);

        dialogs.Find("input").Change("5");
        dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Save").Click();

        dialogs.WaitForAssertion(() => Assert.Contains("was changed by someone else", dialogs.Find("[role=alert]").TextContent, StringComparison.Ordinal));
        Assert.Equal("900", dialogs.Find("input").GetAttribute("value"));
        Assert.Equal(900, await StoredLimitAsync(issued.Id));
    }
}
