using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using ByokPortal.E2E.Enterprise;
using ByokPortal.E2E.Infrastructure;
using ByokPortal.Testing;
using Microsoft.Playwright;

namespace ByokPortal.E2E.Accessibility;

/// <summary>
/// axe-core on every page, as the person who uses it: no control without an accessible name, no broken ARIA, no missing labels.
/// Screen readers and customers' own acceptance automation depend on it.
/// </summary>
public sealed class AccessibilityTests(BrowserFixture browser, PortalWithProvider portal) : BrowserTest(browser), IClassFixture<PortalWithProvider>
{
    private static readonly string[] Rules =
    [
        "button-name", "link-name", "label", "aria-allowed-attr", "aria-required-attr", "aria-required-children", "aria-required-parent",
        "aria-roles", "aria-valid-attr", "aria-valid-attr-value", "aria-input-field-name", "aria-toggle-field-name", "aria-command-name",
        "duplicate-id-aria", "form-field-multiple-labels", "input-button-name", "select-name", "document-title", "html-has-lang", "list", "listitem",
        "nested-interactive", "page-has-heading-one", "role-img-alt", "image-alt", "th-has-data-cells", "td-headers-attr",
    ];

    [Theory]
    [InlineData(DemoSignIn.EnterpriseOwner, "/")]
    [InlineData(DemoSignIn.EnterpriseOwner, "/enterprises/contoso/ai-controls")]
    [InlineData(DemoSignIn.EnterpriseOwner, "/enterprises/contoso/ai-controls/copilot")]
    [InlineData(DemoSignIn.EnterpriseOwner, "/enterprises/contoso/ai-controls/copilot/models")]
    [InlineData(DemoSignIn.EnterpriseOwner, "/enterprises/contoso/settings/policies")]
    [InlineData(DemoSignIn.EnterpriseOwner, "/enterprises/contoso/audit-log")]
    [InlineData(DemoSignIn.EnterpriseOwner, "/enterprises/contoso/organizations")]
    [InlineData(DemoSignIn.EnterpriseOwner, "/enterprises/contoso/people")]
    [InlineData(DemoSignIn.EnterpriseOwner, "/enterprises/contoso/settings/identity")]
    [InlineData(DemoSignIn.WebOwner, "/organizations/contoso-web/settings/people")]
    [InlineData(DemoSignIn.WebOwner, "/organizations/contoso-web/settings/copilot/models")]
    [InlineData(DemoSignIn.WebOwner, "/organizations/contoso-web/settings/models/custom")]
    [InlineData(DemoSignIn.WebOwner, "/organizations/contoso-web/settings/models/development")]
    [InlineData(DemoSignIn.WebOwner, "/organizations/contoso-web/settings/api-keys")]
    [InlineData(DemoSignIn.WebMember, "/organizations/contoso-web/models")]
    [InlineData(DemoSignIn.WebMember, "/enterprises/contoso/audit-log")]
    public async Task Page_AsItsUser_HasNoAccessibilityViolations(string email, string path)
    {
        var page = await NewPageAsync(portal.Address);
        var policyViolations = RecordPolicyViolations(page);
        await page.SignInAsync(email, path);
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);

        await AssertNoViolationsAsync(page, path);
        Assert.True(policyViolations.IsEmpty, "Content Security Policy violations: " + string.Join("\n", policyViolations));
    }

    [Fact]
    public async Task SignInPage_Anonymous_HasNoAccessibilityViolations()
    {
        var page = await NewPageAsync(portal.Address);
        await page.GotoAsync("/signin");
        await AssertNoViolationsAsync(page, "/signin");
    }

    [Fact]
    public async Task Dialogs_AddKeyAndModelSettings_HaveNoAccessibilityViolations()
    {
        await portal.Factory.AddEnterpriseModelsForAllAsync(portal.Provider, "Axe OpenAI", "gpt-4o");
        var page = await NewPageAsync(portal.Address);
        await page.SignInAsync(DemoSignIn.EnterpriseOwner, "/enterprises/contoso/ai-controls/copilot/models");

        await page.GetByRole(AriaRole.Button, new() { Name = "Add API key" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "Add API key" });
        await dialog.GetByLabel("API key").FillAsync(portal.Provider.AcceptedKey);
        await dialog.GetByLabel("Base URL").FillAsync(portal.Provider.OpenAIBaseUrl);
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Fetch new models" }).ClickAsync();
        await dialog.GetByRole(AriaRole.Group, new() { Name = "Available models" }).WaitForAsync();
        await AssertNoViolationsAsync(page, "Add API key dialog");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();

        await page.GetByRole(AriaRole.Tab, new() { Name = "Added models" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "All organizations" }).First.ClickAsync();
        await page.GetByRole(AriaRole.Dialog, new() { Name = "gpt-4o" }).GetByRole(AriaRole.Radio, new() { Name = "Choose per organization" }).CheckAsync();
        await AssertNoViolationsAsync(page, "model settings dialog");
    }

    /// <summary>The browser reports what the portal's Content-Security-Policy blocked: nothing the portal needs may be blocked.</summary>
    private static System.Collections.Concurrent.ConcurrentQueue<string> RecordPolicyViolations(IPage page)
    {
        var violations = new System.Collections.Concurrent.ConcurrentQueue<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                violations.Enqueue(message.Text);
            }
        };
        return violations;
    }

    private static async Task AssertNoViolationsAsync(IPage page, string where)
    {
        var results = await page.RunAxe(new AxeRunOptions { RunOnly = new RunOnlyOptions { Type = "rule", Values = [.. Rules] } });
        var problems = results.Violations
            .SelectMany(v => v.Nodes.Select(n => $"{v.Id} ({v.Impact}): {n.Target} — {n.Html[..Math.Min(160, n.Html.Length)]}"))
            .ToList();
        Assert.True(problems.Count == 0, $"Accessibility violations on {where}:\n" + string.Join("\n", problems));
    }
}
