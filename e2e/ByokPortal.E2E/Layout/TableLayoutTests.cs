using ByokPortal.E2E.Infrastructure;
using ByokPortal.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ByokPortal.E2E.Layout;

/// <summary>The portal with keys, models, an API key and audit events in every table, with names as long as people give them.</summary>
public sealed class PortalWithTables : PortalServer
{
    public ProviderStandIn Provider { get; private set; } = default!;

    public override async ValueTask InitializeAsync()
    {
        Provider = await ProviderStandIn.StartAsync(models: ["gpt-4o", "gpt-4o-mini-2024-07-18", "text-embedding-3-small"]);
        await base.InitializeAsync();
        await Factory.AddEnterpriseModelsForAllAsync(Provider, "Contoso production OpenAI (EU data zone)", "gpt-4o", "gpt-4o-mini-2024-07-18", "text-embedding-3-small");
        await Factory.IssueApiKeyAsync("support-bot (production, EU)");
        await Factory.AddOrganizationKeyAsync(Provider, "Contoso Web team OpenAI for support bots", "gpt-4o", "gpt-4o-mini-2024-07-18");
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Provider.DisposeAsync();
    }
}

/// <summary>
/// Issue 7: no table on any page scrolls sideways, on a desktop (1440×900) or a phone (390 pixels wide): every column, the
/// "Last test" chip and the row actions stay in view. Each page with a table is visited with data in its tables, every tab opened.
/// </summary>
public sealed class TableLayoutTests(BrowserFixture browser, PortalWithTables portal) : BrowserTest(browser), IClassFixture<PortalWithTables>
{
    /// <summary>Each table's (and its scrolling container's) scrollWidth against its clientWidth; only the ones that overflow.</summary>
    private const string OverflowingTables = """
        () => [...document.querySelectorAll('table')].flatMap(table => {
          const box = table.closest('.mud-table-container') ?? table.parentElement;
          const name = table.getAttribute('aria-label') ?? table.closest('[aria-label]')?.getAttribute('aria-label') ?? '(unnamed)';
          const found = [];
          if (table.scrollWidth > table.clientWidth + 1) found.push(`${name}: table ${table.scrollWidth} > ${table.clientWidth}`);
          if (box.scrollWidth > box.clientWidth + 1) found.push(`${name}: container ${box.scrollWidth} > ${box.clientWidth}`);
          return found;
        })
        """;

    [Theory]
    [InlineData(1440, 900)]
    [InlineData(390, 844)]
    public async Task EveryTable_OnEveryPage_FitsWithoutScrollingSideways(int width, int height)
    {
        var problems = new List<string>();

        var owner = await NewPageAsync(portal.Address);
        await owner.SetViewportSizeAsync(width, height);
        await owner.SignInAsync(DemoSignIn.EnterpriseOwner, "/");
        await CheckAsync(owner, "home", "(contoso-research)", problems);
        await owner.GoToInteractiveAsync("/enterprises/contoso/ai-controls/copilot/models");
        await CheckAsync(owner, "enterprise API keys", "Contoso production OpenAI (EU data zone)", problems);
        await owner.GetByRole(AriaRole.Tab, new() { Name = "Added models" }).ClickAsync();
        await CheckAsync(owner, "enterprise added models", "gpt-4o-mini-2024-07-18", problems);
        await owner.GoToInteractiveAsync("/enterprises/contoso/audit-log");
        await CheckAsync(owner, "audit log", "provider_key.create", problems);

        var web = await NewPageAsync(portal.Address);
        await web.SetViewportSizeAsync(width, height);
        foreach (var path in new[] { "/organizations/contoso-web/settings/copilot/models", "/organizations/contoso-web/settings/models/custom" })
        {
            await web.SignInAsync(DemoSignIn.WebOwner, path);
            await CheckAsync(web, path + " API keys", "Contoso Web team OpenAI for support bots", problems);
            await web.GetByRole(AriaRole.Tab, new() { Name = "Added models" }).ClickAsync();
            await CheckAsync(web, path + " added models", "gpt-4o-mini-2024-07-18", problems);
        }

        await web.GoToInteractiveAsync("/organizations/contoso-web/settings/models/development");
        await web.GetByRole(AriaRole.Radio, new() { Name = "Only select models" }).CheckAsync();
        await CheckAsync(web, "development", "Contoso production OpenAI (EU data zone)", problems);
        await web.GoToInteractiveAsync("/organizations/contoso-web/settings/api-keys");
        await CheckAsync(web, "API keys page", "support-bot (production, EU)", problems);

        Assert.True(problems.Count == 0, $"Tables that scroll sideways at {width}×{height}:\n" + string.Join("\n", problems));
    }

    private static async Task CheckAsync(IPage page, string where, string expectedText, List<string> problems)
    {
        await Expect(page.Locator("table").GetByText(expectedText).First).ToBeVisibleAsync();
        problems.AddRange((await page.EvaluateAsync<string[]>(OverflowingTables)).Select(p => $"{where}: {p}"));
    }
}
