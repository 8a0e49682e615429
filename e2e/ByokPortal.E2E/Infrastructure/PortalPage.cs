using Microsoft.Playwright;

namespace ByokPortal.E2E.Infrastructure;

/// <summary>Steps every browser test takes, the way a person does them: by roles and visible labels.</summary>
public static class PortalPage
{
    public const string InteractiveMarker = "[data-portal-interactive]";

    public static async Task<IPage> NewPageAsync(this BrowserFixture browser, Uri baseAddress)
    {
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 1366, Height = 900 },
        });
        context.SetDefaultTimeout(15_000);
        return await context.NewPageAsync();
    }

    /// <summary>Signs in with demo sign-in, by the button labelled with the person's e-mail address.</summary>
    public static async Task SignInAsync(this IPage page, string email, string path = "/")
    {
        await page.GotoAsync(path);
        if (!page.Url.Contains("/signin", StringComparison.Ordinal))
        {
            await page.GotoAsync("/signin?returnUrl=" + Uri.EscapeDataString(path));
        }

        await page.GetByRole(AriaRole.Button, new() { Name = email, Exact = true }).ClickAsync();
        await page.WaitForInteractiveAsync();
    }

    /// <summary>Waits until the page's Blazor circuit is up: clicks before that would be lost.</summary>
    public static Task WaitForInteractiveAsync(this IPage page) =>
        page.Locator(InteractiveMarker).WaitForAsync(new() { State = WaitForSelectorState.Attached });

    public static async Task GoToInteractiveAsync(this IPage page, string path)
    {
        await page.GotoAsync(path);
        await page.WaitForInteractiveAsync();
    }
}
