using System.Text.RegularExpressions;
using ByokPortal.E2E.Infrastructure;
using ByokPortal.E2E.Layout;
using ByokPortal.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ByokPortal.E2E.Accessibility;

/// <summary>
/// Issue 7: every dialog opens with the keyboard focus on its first field and closes with Esc — except the one that shows a new API
/// key once, which only its own button closes. The focus is read the way a screen reader reads it: the focused element's accessible name.
/// </summary>
public sealed class DialogKeyboardTests(BrowserFixture browser, PortalWithTables portal) : BrowserTest(browser), IClassFixture<PortalWithTables>
{
    private const string EnterpriseKey = "Contoso production OpenAI (EU data zone)";
    private const string OrganizationKey = "Contoso Web team OpenAI for support bots";

    [Fact]
    public async Task EnterpriseDialogs_OpenOnTheirFirstFieldAndCloseWithEscape()
    {
        var page = await NewPageAsync(portal.Address);
        await page.SignInAsync(DemoSignIn.EnterpriseOwner, "/enterprises/contoso/ai-controls/copilot/models");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add API key" }).ClickAsync();
        await EscapeClosesAsync(page, page.GetByRole(AriaRole.Dialog, new() { Name = "Add API key" }), firstField: "Provider");

        await page.GetByRole(AriaRole.Button, new() { Name = "Edit " + EnterpriseKey }).ClickAsync();
        await EscapeClosesAsync(page, page.GetByRole(AriaRole.Dialog, new() { Name = "Edit " + EnterpriseKey }), firstField: "Name*");

        await page.GetByRole(AriaRole.Button, new() { Name = "Delete " + EnterpriseKey }).ClickAsync();
        await EscapeClosesAsync(page, page.GetByRole(AriaRole.Dialog, new() { Name = $"Delete {EnterpriseKey}?" }), firstField: null);
        await Expect(page.GetByRole(AriaRole.Table, new() { Name = "API keys" }).GetByText(EnterpriseKey)).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Tab, new() { Name = "Added models" }).ClickAsync();
        await page.GetByRole(AriaRole.Table, new() { Name = "Added models" }).GetByRole(AriaRole.Button, new() { Name = "All organizations" }).First.ClickAsync();
        await EscapeClosesAsync(page, page.GetByRole(AriaRole.Dialog, new() { NameRegex = new Regex("^gpt-4o") }), firstField: "Allow for all organizations");
    }

    [Fact]
    public async Task OrganizationDialogs_OpenOnTheirFirstFieldAndCloseWithEscapeExceptTheNewApiKey()
    {
        var page = await NewPageAsync(portal.Address);
        await page.SignInAsync(DemoSignIn.WebOwner, "/organizations/contoso-web/settings/api-keys");

        await page.GetByRole(AriaRole.Button, new() { Name = "Change assignment of " + OrganizationKey }).ClickAsync();
        await EscapeClosesAsync(page, page.GetByRole(AriaRole.Dialog, new() { Name = "Assignment of " + OrganizationKey }), firstField: "Assign to entire organization");

        await page.GetByRole(AriaRole.Button, new() { Name = "Revoke support-bot (production, EU)" }).ClickAsync();
        await EscapeClosesAsync(page, page.GetByRole(AriaRole.Dialog, new() { Name = "Revoke support-bot (production, EU)?" }), firstField: null);
        await Expect(page.GetByRole(AriaRole.Table, new() { Name = "Organization API keys" }).GetByText("Active")).ToBeVisibleAsync();

        // The new API key is shown once: Esc does not close it, only its own button does.
        await page.GetByRole(AriaRole.Button, new() { Name = "Issue API key" }).ClickAsync();
        var issue = page.GetByRole(AriaRole.Dialog, new() { Name = "Issue API key" });
        await Expect(page.Locator(":focus")).ToHaveAccessibleNameAsync("Name*");
        await page.Keyboard.TypeAsync("keyboard-bot");
        await issue.GetByRole(AriaRole.Button, new() { Name = "Issue API key" }).ClickAsync();
        var token = issue.GetByLabel("Your new API key");
        await Expect(token).ToBeVisibleAsync();
        await token.FocusAsync();
        await page.Keyboard.PressAsync("Escape");
        await Expect(issue).ToBeVisibleAsync();
        await Expect(token).ToHaveValueAsync(new Regex("^byok_"));
        await issue.GetByRole(AriaRole.Button, new() { Name = "Done" }).ClickAsync();
        await Expect(issue).ToBeHiddenAsync();

        await page.GoToInteractiveAsync("/organizations/contoso-web/settings/copilot/models");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add API key" }).ClickAsync();
        await EscapeClosesAsync(page, page.GetByRole(AriaRole.Dialog, new() { Name = "Add API key" }), firstField: "Provider");
    }

    /// <summary>The dialog is open with the focus on its first field (or, without fields, somewhere inside it); Esc closes it.</summary>
    private static async Task EscapeClosesAsync(IPage page, ILocator dialog, string? firstField)
    {
        await Expect(dialog).ToBeVisibleAsync();
        var focused = page.Locator(":focus");
        if (firstField is null)
        {
            await Expect(dialog.Locator(":focus")).ToHaveCountAsync(1);
        }
        else
        {
            await Expect(focused).ToHaveAccessibleNameAsync(firstField);
            await Expect(dialog.Locator(":focus")).ToHaveCountAsync(1);
        }

        await page.Keyboard.PressAsync("Escape");
        await Expect(dialog).ToBeHiddenAsync();
    }
}
