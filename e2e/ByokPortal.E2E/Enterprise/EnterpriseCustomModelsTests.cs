using System.Text.RegularExpressions;
using ByokPortal.E2E.Infrastructure;
using ByokPortal.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ByokPortal.E2E.Enterprise;

/// <summary>The portal with a local stand-in LLM provider (OpenAI-compatible /models accepting one key) on loopback.</summary>
public sealed class PortalWithProvider : PortalServer
{
    public ProviderStandIn Provider { get; private set; } = default!;

    public override async ValueTask InitializeAsync()
    {
        Provider = await ProviderStandIn.StartAsync(models: ["gpt-4o", "gpt-4o-mini", "o3-mini", "text-embedding-3-small"]);
        Factory.WithSetting("Portal:Providers:Timeout", "00:00:30");
        await base.InitializeAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Provider.DisposeAsync();
    }
}

/// <summary>Issue 3, end to end: an enterprise owner adds a key, fetches and picks models, grants access, and it all persists and is audited.</summary>
public sealed class EnterpriseCustomModelsTests(BrowserFixture browser, PortalWithProvider portal) : BrowserTest(browser), IClassFixture<PortalWithProvider>
{
    private const string WrongKey = "sk-test-wrong-key-9999888877776666";

    [Fact]
    public async Task AddKeyFetchModelsGrantAccess_WholeFlow_PersistsWithoutRevealingTheKey()
    {
        var key = portal.Provider.AcceptedKey;
        var page = await NewPageAsync(portal.Address);
        var frames = new CircuitFrames(page);
        await page.SignInAsync(DemoSignIn.EnterpriseOwner);

        // AI controls → Copilot → Configure allowed models → Custom models → API keys.
        await page.GetByRole(AriaRole.Region, new() { Name = "Enterprise Contoso" }).GetByRole(AriaRole.Link, new() { Name = "AI controls" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "AI controls", Level = 1 })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Navigation, new() { Name = "AI controls" }).GetByRole(AriaRole.Link, new() { Name = "Copilot" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Configure allowed models" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/enterprises/contoso/ai-controls/copilot/models$"));
        await page.GetByRole(AriaRole.Tab, new() { Name = "Custom models" }).ClickAsync();
        await page.GetByRole(AriaRole.Tab, new() { Name = "API keys" }).ClickAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Add API key" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "Add API key" });
        await Expect(dialog.GetByText("principle of least privilege")).ToBeVisibleAsync();
        await Expect(dialog.GetByRole(AriaRole.Combobox, new() { Name = "Provider" })).ToContainTextAsync("OpenAI");
        await Expect(dialog.GetByLabel("Base URL")).ToHaveValueAsync("https://api.openai.com/v1");
        await dialog.GetByLabel("Name").FillAsync("Stand-in OpenAI");
        await dialog.GetByLabel("Base URL").FillAsync(portal.Provider.OpenAIBaseUrl);

        // A wrong key: the fetch says why, and never echoes the key (the stand-in's 401 body does echo it).
        await dialog.GetByLabel("API key").FillAsync(WrongKey);
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Fetch new models" }).ClickAsync();
        var failure = dialog.GetByRole(AriaRole.Alert).Filter(new() { HasText = "rejected the API key" });
        await Expect(failure).ToBeVisibleAsync();
        Assert.DoesNotContain(WrongKey, await failure.InnerTextAsync(), StringComparison.Ordinal);

        // The right key: fetch, then choose two of the available models.
        await dialog.GetByLabel("API key").FillAsync(key);
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Fetch new models" }).ClickAsync();
        var available = dialog.GetByRole(AriaRole.Group, new() { Name = "Available models" });
        await Expect(available.GetByRole(AriaRole.Checkbox)).ToHaveCountAsync(4);
        await available.GetByRole(AriaRole.Checkbox, new() { Name = "gpt-4o", Exact = true }).CheckAsync();
        await available.GetByRole(AriaRole.Checkbox, new() { Name = "gpt-4o-mini", Exact = true }).CheckAsync();
        await Expect(dialog.GetByText("2 models selected")).ToBeVisibleAsync();

        frames.Start();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(dialog).ToBeHiddenAsync();

        // Listed by masked hint only; the key is nowhere in the page or in what the circuit sent after Save.
        var keys = page.GetByRole(AriaRole.Table, new() { Name = "API keys" });
        var row = keys.GetByRole(AriaRole.Row, new() { NameRegex = new Regex("Stand-in OpenAI") });
        await Expect(row).ToContainTextAsync("••••" + key[^4..]);
        await Expect(row).ToContainTextAsync("OpenAI");
        Assert.DoesNotContain(key, await page.ContentAsync(), StringComparison.Ordinal);
        Assert.True(frames.Count > 0, "the circuit sent no frames after Save");
        Assert.False(frames.AnyContains(key), "a render batch sent after Save carried the key");

        // Added models: both models, no organization has access yet.
        await page.GetByRole(AriaRole.Tab, new() { Name = "Added models" }).ClickAsync();
        var models = page.GetByRole(AriaRole.Table, new() { Name = "Added models" });
        var gpt4o = models.GetByRole(AriaRole.Row).Filter(new() { Has = page.GetByText("gpt-4o", new() { Exact = true }) });
        var mini = models.GetByRole(AriaRole.Row).Filter(new() { Has = page.GetByText("gpt-4o-mini", new() { Exact = true }) });
        await Expect(gpt4o).ToContainTextAsync("Stand-in OpenAI");
        await Expect(gpt4o).ToContainTextAsync("Enabled");
        await Expect(gpt4o.GetByRole(AriaRole.Button, new() { Name = "Configure" })).ToBeVisibleAsync();
        await Expect(mini.GetByRole(AriaRole.Button, new() { Name = "Configure" })).ToBeVisibleAsync();

        // gpt-4o → all organizations.
        await gpt4o.GetByRole(AriaRole.Button, new() { Name = "Configure" }).ClickAsync();
        var modal = page.GetByRole(AriaRole.Dialog, new() { Name = "gpt-4o" });
        await modal.GetByRole(AriaRole.Tab, new() { Name = "Access" }).ClickAsync();
        await modal.GetByRole(AriaRole.Radio, new() { Name = "Allow for all organizations" }).CheckAsync();
        await modal.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(modal).ToBeHiddenAsync();
        await Expect(gpt4o.GetByRole(AriaRole.Button, new() { Name = "All organizations" })).ToBeVisibleAsync();

        // gpt-4o-mini → one organization, found with the search box.
        await mini.GetByRole(AriaRole.Button, new() { Name = "Configure" }).ClickAsync();
        modal = page.GetByRole(AriaRole.Dialog, new() { Name = "gpt-4o-mini" });
        await modal.GetByRole(AriaRole.Tab, new() { Name = "Access" }).ClickAsync();
        await Expect(modal.GetByRole(AriaRole.Radio, new() { Name = "Choose per organization" })).ToBeCheckedAsync();
        await modal.GetByLabel("Search organizations").FillAsync("web");
        var organizations = modal.GetByRole(AriaRole.Group, new() { Name = "Organizations" });
        await Expect(organizations.GetByRole(AriaRole.Checkbox)).ToHaveCountAsync(1);
        await organizations.GetByRole(AriaRole.Checkbox, new() { Name = "Contoso Web" }).CheckAsync();
        await Expect(modal.GetByText("1 of 3 organizations selected")).ToBeVisibleAsync();
        await modal.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(modal).ToBeHiddenAsync();
        await Expect(mini.GetByRole(AriaRole.Button, new() { Name = "1 organization" })).ToBeVisibleAsync();

        // Disable gpt-4o-mini: the Access tab becomes unavailable and says why.
        await mini.GetByRole(AriaRole.Button, new() { Name = "1 organization" }).ClickAsync();
        modal = page.GetByRole(AriaRole.Dialog, new() { Name = "gpt-4o-mini" });
        await modal.GetByRole(AriaRole.Tab, new() { Name = "General" }).ClickAsync();
        await modal.GetByRole(AriaRole.Switch, new() { Name = "Enabled" }).UncheckAsync();
        await Expect(modal.GetByText("The model must be set to Enabled before the Access tab is available.")).ToBeVisibleAsync();
        var accessTab = modal.GetByRole(AriaRole.Tab, new() { Name = "Access" });
        await Expect(accessTab).ToHaveAttributeAsync("aria-disabled", "true");
        await accessTab.ClickAsync(new() { Force = true });
        await Expect(modal.GetByRole(AriaRole.Radio, new() { Name = "Allow for all organizations" })).ToHaveCountAsync(0);
        await modal.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(modal).ToBeHiddenAsync();
        await Expect(mini).ToContainTextAsync("Disabled");

        // Reload: everything is still there.
        await page.ReloadAsync();
        await page.WaitForInteractiveAsync();
        await page.GetByRole(AriaRole.Tab, new() { Name = "Added models" }).ClickAsync();
        await Expect(gpt4o.GetByRole(AriaRole.Button, new() { Name = "All organizations" })).ToBeVisibleAsync();
        await Expect(mini.GetByRole(AriaRole.Button, new() { Name = "1 organization" })).ToBeVisibleAsync();
        await Expect(mini).ToContainTextAsync("Disabled");
        await page.GetByRole(AriaRole.Tab, new() { Name = "API keys" }).ClickAsync();
        await Expect(row).ToContainTextAsync("••••" + key[^4..]);
        Assert.DoesNotContain(key, await page.ContentAsync(), StringComparison.Ordinal);

        // The audit log shows each step.
        await page.GotoAsync("/enterprises/contoso/audit-log");
        await page.WaitForInteractiveAsync();
        var audit = page.GetByRole(AriaRole.Table, new() { Name = "Audit events" });
        await Expect(audit.GetByRole(AriaRole.Row).Filter(new() { HasText = "provider_key.create" })).ToHaveCountAsync(1);
        await Expect(audit.GetByRole(AriaRole.Row).Filter(new() { HasText = "model.access_update" })).ToHaveCountAsync(2);
        await Expect(audit.GetByRole(AriaRole.Row).Filter(new() { HasText = "model.disable" })).ToHaveCountAsync(1);
        Assert.DoesNotContain(key, await page.ContentAsync(), StringComparison.Ordinal);
    }
}
