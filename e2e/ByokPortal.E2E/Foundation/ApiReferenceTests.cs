using System.Text.RegularExpressions;
using ByokPortal.E2E.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ByokPortal.E2E.Foundation;

/// <summary>
/// Issue 8: the runtime's browsable API reference (Scalar) works in a real browser under the portal's Content-Security-Policy, which
/// allows that page's own nonce-marked scripts and nothing else: it shows the runtime's routes and the browser reports no blocked resource.
/// </summary>
public sealed class ApiReferenceTests(BrowserFixture browser, PortalServer portal) : BrowserTest(browser), IClassFixture<PortalServer>
{
    [Fact]
    public async Task ApiReference_InTheBrowser_ShowsTheRuntimesRoutesWithNothingBlocked()
    {
        var page = await NewPageAsync(portal.Address);
        var blocked = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase) || message.Text.Contains("Refused to", StringComparison.Ordinal))
            {
                blocked.Add(message.Text);
            }
        };
        page.PageError += (_, error) => blocked.Add(error);

        await page.GotoAsync("/api/reference/v1");

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "ByokPortal runtime", Level = 1 })).ToBeVisibleAsync();
        // Every group of operations in the sidebar opened, so each one's list of routes is rendered.
        var sidebar = page.GetByRole(AriaRole.Complementary, new() { Name = "Sidebar for ByokPortal runtime" });
        for (var i = 0; i < 10; i++)
        {
            var closed = sidebar.Locator("button[aria-expanded=false]").Filter(new() { HasTextRegex = new Regex("^Open Group") });
            if (await closed.CountAsync() == 0)
            {
                break;
            }

            await closed.First.ClickAsync();
        }

        // Playwright passes the pattern to the browser between slashes: the route's own slashes are escaped.
        foreach (var route in new[] { "/api/v1/resolve", "/api/v1/models", "/v1/chat/completions", "/v1/messages" })
        {
            await Expect(page.GetByRole(AriaRole.Link, new() { NameRegex = new Regex(Regex.Escape(route).Replace("/", "\\/", StringComparison.Ordinal) + "$") }).First).ToBeVisibleAsync();
        }

        Assert.True(blocked.Count == 0, "The browser blocked or failed: " + string.Join("\n", blocked));
    }
}
