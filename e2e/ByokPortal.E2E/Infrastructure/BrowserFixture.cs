using Microsoft.Playwright;

[assembly: AssemblyFixture(typeof(ByokPortal.E2E.Infrastructure.BrowserFixture))]

namespace ByokPortal.E2E.Infrastructure;

/// <summary>
/// One headless Chromium for the whole run: Debian's chromium (test.sh installs it), driven by Playwright for .NET.
/// Playwright cannot download its own browser here, so it launches /usr/bin/chromium.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = default!;

    public static string ChromiumPath => Environment.GetEnvironmentVariable("BYOKPORTAL_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"Chromium was not found at {ChromiumPath}. Run ./test.sh, which installs Debian's chromium, or set BYOKPORTAL_CHROMIUM.");
        }

        // Assertions wait up to 15 s (Playwright's default is 5 s): a busy 2-core CI machine can take longer than that to render.
        Assertions.SetDefaultExpectTimeout(15_000);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--disable-dev-shm-usage", "--disable-quic",
            ],
        });
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }
}
