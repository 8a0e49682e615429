using Microsoft.Playwright;

namespace ByokPortal.E2E.Infrastructure;

/// <summary>
/// Base of the browser tests: pages come from here and their browser contexts are closed when the test ends, so finished tests
/// leave no live circuits behind in the shared Chromium (they would keep the server and the CPU busy for the rest of the run).
/// </summary>
public abstract class BrowserTest(BrowserFixture browser) : IAsyncDisposable
{
    private readonly List<IBrowserContext> _contexts = [];

    protected async Task<IPage> NewPageAsync(Uri baseAddress)
    {
        var page = await browser.NewPageAsync(baseAddress);
        _contexts.Add(page.Context);
        return page;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var context in _contexts)
        {
            await context.CloseAsync();
        }

        GC.SuppressFinalize(this);
    }
}
