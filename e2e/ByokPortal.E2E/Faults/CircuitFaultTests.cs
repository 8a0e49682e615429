using System.Text.RegularExpressions;
using ByokPortal.E2E.Infrastructure;
using ByokPortal.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ByokPortal.E2E.Faults;

/// <summary>The portal with a provider stand-in, on a SQLite file that waits one second for a lock before a write fails.</summary>
public sealed class PortalWithBusyTimeout : PortalServer
{
    public ProviderStandIn Provider { get; private set; } = default!;

    public override async ValueTask InitializeAsync()
    {
        Provider = await ProviderStandIn.StartAsync(models: ["gpt-4o", "gpt-4o-mini"]);
        Factory.WithSetting("Portal:Providers:Timeout", "00:00:30").WithSetting("Portal:Database:BusyTimeout", "00:00:01");
        await base.InitializeAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Provider.DisposeAsync();
    }
}

/// <summary>
/// Issue 7, in a real browser over the real circuit: a fault during a save keeps the dialog open with what was typed and says what
/// happened, and the circuit lives on, so the same dialog saves once the fault is gone; a value larger than the circuit accepts is
/// cut by the browser and refused with the field's own message instead of a silent reconnect.
/// </summary>
public sealed class CircuitFaultTests(BrowserFixture browser, PortalWithBusyTimeout portal) : BrowserTest(browser), IClassFixture<PortalWithBusyTimeout>
{
    private const string Busy = "The database is busy; nothing was saved. Try again.";

    [Fact]
    public async Task LockedDatabase_AddApiKeyThenModelAccessSave_SayWhyKeepTheInputAndSaveOnceReleased()
    {
        var key = portal.Provider.AcceptedKey;
        var page = await NewPageAsync(portal.Address);
        await page.SignInAsync(DemoSignIn.EnterpriseOwner, "/enterprises/contoso/ai-controls/copilot/models");

        await page.GetByRole(AriaRole.Button, new() { Name = "Add API key" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "Add API key" });
        await dialog.GetByLabel("Name").FillAsync("Locked OpenAI");
        await dialog.GetByLabel("API key", new() { Exact = true }).FillAsync(key);
        await dialog.GetByLabel("Base URL").FillAsync(portal.Provider.OpenAIBaseUrl);
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Fetch new models" }).ClickAsync();
        await dialog.GetByRole(AriaRole.Group, new() { Name = "Available models" }).GetByRole(AriaRole.Checkbox, new() { Name = "gpt-4o", Exact = true }).CheckAsync();

        await using (await SqliteWriteLock.TakeAsync(portal.Factory.DataDirectory))
        {
            await dialog.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
            await Expect(dialog.GetByRole(AriaRole.Alert).Filter(new() { HasText = Busy })).ToBeVisibleAsync();
        }

        await Expect(dialog.GetByLabel("Name")).ToHaveValueAsync("Locked OpenAI");
        Assert.True(await dialog.GetByLabel("API key", new() { Exact = true }).InputValueAsync() == key, "the typed key was lost");
        await Expect(dialog.GetByText("1 model selected")).ToBeVisibleAsync();

        await dialog.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(dialog).ToBeHiddenAsync();
        var row = page.GetByRole(AriaRole.Table, new() { Name = "API keys" }).GetByRole(AriaRole.Row, new() { NameRegex = new Regex("Locked OpenAI") });
        await Expect(row).ToContainTextAsync("••••" + key[^4..]);

        // The model's access, saved while the file is locked, then again once it is released.
        await page.GetByRole(AriaRole.Tab, new() { Name = "Added models" }).ClickAsync();
        await page.GetByRole(AriaRole.Table, new() { Name = "Added models" }).GetByRole(AriaRole.Button, new() { Name = "Configure" }).ClickAsync();
        var modal = page.GetByRole(AriaRole.Dialog, new() { Name = "gpt-4o" });
        await modal.GetByRole(AriaRole.Radio, new() { Name = "Allow for all organizations" }).CheckAsync();
        await using (await SqliteWriteLock.TakeAsync(portal.Factory.DataDirectory))
        {
            await modal.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
            await Expect(modal.GetByRole(AriaRole.Alert).Filter(new() { HasText = Busy })).ToBeVisibleAsync();
        }

        await Expect(modal.GetByRole(AriaRole.Radio, new() { Name = "Allow for all organizations" })).ToBeCheckedAsync();
        await modal.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(modal).ToBeHiddenAsync();
        await Expect(page.GetByRole(AriaRole.Table, new() { Name = "Added models" }).GetByRole(AriaRole.Button, new() { Name = "All organizations" })).ToBeVisibleAsync();
        Assert.False(portal.Factory.Logs.AllText.Contains(key, StringComparison.Ordinal), "the logs (every level) hold the key typed into the form");
    }

    [Fact]
    public async Task OversizedValues_PastedIntoTextFields_CutByTheBrowserAndRefusedWithTheFieldsMessage()
    {
        var huge = new string('x', 100_000);
        var page = await NewPageAsync(portal.Address);
        await page.SignInAsync(DemoSignIn.WebOwner, "/organizations/contoso-web/settings/copilot/models");

        await page.GetByRole(AriaRole.Button, new() { Name = "Add API key" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "Add API key" });
        await dialog.GetByLabel("Name").FillAsync(huge);
        await dialog.GetByLabel("API key", new() { Exact = true }).FillAsync(huge);
        await dialog.GetByLabel("Base URL").FillAsync("https://" + huge);
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();

        await Expect(dialog.GetByText("Name must be at most 100 characters.")).ToBeVisibleAsync();
        await Expect(dialog.GetByText("API key is too long.")).ToBeVisibleAsync();
        await Expect(dialog.GetByText("Base URL is too long.")).ToBeVisibleAsync();
        Assert.Equal(101, (await dialog.GetByLabel("Name").InputValueAsync()).Length);

        // The circuit is alive: the dialog closes and the page goes on answering.
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await Expect(dialog).ToBeHiddenAsync();
        await page.GetByRole(AriaRole.Tab, new() { Name = "Added models" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Table, new() { Name = "Added models" })).ToBeVisibleAsync();

        await page.GoToInteractiveAsync("/organizations/contoso-web/settings/api-keys");
        await page.GetByRole(AriaRole.Button, new() { Name = "Issue API key" }).ClickAsync();
        var issue = page.GetByRole(AriaRole.Dialog, new() { Name = "Issue API key" });
        await issue.GetByLabel("Name").FillAsync(huge);
        await issue.GetByRole(AriaRole.Button, new() { Name = "Issue API key" }).ClickAsync();
        await Expect(issue.GetByText("Name must be at most 100 characters.")).ToBeVisibleAsync();
        await issue.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await Expect(issue).ToBeHiddenAsync();
    }
}
