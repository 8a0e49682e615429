using AngleSharp.Dom;
using Bunit;
using ByokPortal.Core.ApiKeys;
using ByokPortal.Core.Common;
using ByokPortal.Testing;
using ByokPortal.Web.Components.Enterprises.Usage;
using MudBlazor;

namespace ByokPortal.Web.Tests.Components.Usage;

/// <summary>
/// The enterprise's usage page over the real query: per organization first, then per model at a click; the period switch from hours to
/// days; the chart's numbers also as a table, and each switch pressed for assistive technology.
/// </summary>
public sealed class UsagePanelTests(PortalFixture portal) : IClassFixture<PortalFixture>
{
    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    private sealed class Context(IServiceProvider services) : PortalBunitContext(services)
    {
        public Task SignInAsync(Actor actor) => SignInAsAsync(actor.Name);
    }

    /// <summary>A switch's button, found by the group's visible name and the button's label.</summary>
    private static IElement Button(IRenderedComponent<EnterpriseUsagePage> page, string group, string label) =>
        page.FindAll("[role=group][aria-labelledby]")
            .Single(g => g.QuerySelector("#" + g.GetAttribute("aria-labelledby"))?.TextContent.Trim() == group)
            .QuerySelectorAll("button").Single(b => b.TextContent.Trim() == label);

    private static string[][] BodyRows(IRenderedComponent<EnterpriseUsagePage> page, string table) =>
        page.FindAll($"table[aria-label='{table}'] tbody tr").Select(r => r.QuerySelectorAll("td").Select(c => c.TextContent.Trim()).ToArray()).ToArray();

    [Fact]
    public async Task EnterpriseUsage_SwitchBreakdownAndPeriod_TablesFollowAndTheChoiceIsPressed()
    {
        var olga = await portal.ActorAsync(DemoSignIn.DataOwner);
        var issued = await portal.RunAsync<IssueApiKeyCommand, Result<IssuedApiKey>>(c => c.ExecuteAsync(olga, "contoso-data", new IssueApiKeyInput { Name = "panel-" + Guid.NewGuid().ToString("N")[..6] }, Ct));
        var model = "panel-model-" + Guid.NewGuid().ToString("N")[..6];
        await UsageRows.WriteAsync(portal, "contoso-data", issued.Value.Id, model, DateTimeOffset.UtcNow, (200, 40, 2), (200, 40, 2));
        await using var context = new Context(portal.Factory.Services);
        await context.SignInAsync(await portal.ActorAsync(DemoSignIn.EnterpriseOwner));
        context.Render<MudPopoverProvider>();

        var page = context.Render<EnterpriseUsagePage>(p => p.Add(x => x.Enterprise, "contoso"));

        page.WaitForAssertion(() => Assert.Contains(BodyRows(page, "Usage by organization"), r => r[0] == "Contoso Data"));
        Assert.Equal("true", Button(page, "Per", "Organization").GetAttribute("aria-pressed"));
        Assert.Equal("true", Button(page, "Period", "Last 24 hours").GetAttribute("aria-pressed"));
        Assert.Equal(24, BodyRows(page, "Requests per hour by organization").Length);

        Button(page, "Per", "Model").Click();
        page.WaitForAssertion(() => Assert.Contains(BodyRows(page, "Usage by model"), r => r.SequenceEqual([model, "2", "80", "4", "84", "0"])));
        Assert.Equal("false", Button(page, "Per", "Organization").GetAttribute("aria-pressed"));
        Assert.Equal("true", Button(page, "Per", "Model").GetAttribute("aria-pressed"));

        Button(page, "Period", "Last 7 days").Click();
        page.WaitForAssertion(() => Assert.Equal(7, BodyRows(page, "Requests per day by model").Length));
        Assert.Equal("Day (UTC)", page.Find("table[aria-label='Requests per day by model'] thead th").TextContent.Trim());

        Button(page, "Chart", "Tokens").Click();
        page.WaitForAssertion(() => Assert.NotEmpty(BodyRows(page, "Tokens per day by model")));
        var header = page.FindAll("table[aria-label='Tokens per day by model'] thead th").Select(h => h.TextContent.Trim()).ToList();
        var today = BodyRows(page, "Tokens per day by model")[0];
        Assert.Equal("84", today[header.IndexOf(model)]);
        Assert.NotEmpty(page.FindAll(".mud-chart"));
    }

    [Fact]
    public async Task EnterpriseUsage_ErrorsChartWithoutErrors_SaysSoInWords()
    {
        await using var context = new Context(portal.Factory.Services);
        await context.SignInAsync(await portal.ActorAsync(DemoSignIn.EnterpriseOwner));
        context.Render<MudPopoverProvider>();
        var page = context.Render<EnterpriseUsagePage>(p => p.Add(x => x.Enterprise, "contoso"));
        page.WaitForAssertion(() => page.Find("table[aria-label='Usage by organization']"));

        Button(page, "Chart", "Errors").Click();

        page.WaitForAssertion(() => Assert.Contains(page.FindAll("[role=status]"), e => e.TextContent.Contains("No errors in this period.", StringComparison.Ordinal)));
        Assert.Empty(page.FindAll("table[aria-label='Errors per hour by organization']"));
    }
}
