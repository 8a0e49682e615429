using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using ByokPortal.Core.ApiKeys;
using ByokPortal.Core.Data;
using ByokPortal.E2E.Enterprise;
using ByokPortal.E2E.Infrastructure;
using ByokPortal.Testing;
using ByokPortal.Web.Components.Shared;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ByokPortal.E2E.Organizations;

/// <summary>
/// Issue 4: an owner issues an API key (shown once), assigns a provider key to it, and revokes it. Issue 8: after an application's calls
/// the page shows the key's last use and its usage, and a rate limit set there refuses the calls over it.
/// </summary>
public sealed class ApiKeysTests(BrowserFixture browser, PortalWithProvider portal) : BrowserTest(browser), IClassFixture<PortalWithProvider>
{
    [Fact]
    public async Task IssueAssignRevoke_ApiKey_ShownOnceThenOnlyByPrefix()
    {
        var page = await NewPageAsync(portal.Address);
        await page.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"]);
        await page.SignInAsync(DemoSignIn.WebOwner, "/organizations/contoso-web/settings/api-keys");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "API keys", Level = 1 })).ToBeVisibleAsync();

        // Issue: the token is shown once, with a copy button.
        await page.GetByRole(AriaRole.Button, new() { Name = "Issue API key" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "Issue API key" });
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Issue API key" }).ClickAsync();
        await Expect(dialog.GetByText("Name is required.")).ToBeVisibleAsync();
        await dialog.GetByLabel("Name").FillAsync("support-bot");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Issue API key" }).ClickAsync();
        var tokenField = dialog.GetByLabel("Your new API key");
        await Expect(tokenField).ToHaveValueAsync(new Regex("^byok_[A-Za-z0-9]{40}$"));
        var token = await tokenField.InputValueAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Copy API key" }).ClickAsync();
        await Expect(dialog.GetByText("Copied to the clipboard.")).ToBeVisibleAsync();
        Assert.Equal(token, await page.EvaluateAsync<string>("() => navigator.clipboard.readText()"));
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Done" }).ClickAsync();
        await Expect(dialog).ToBeHiddenAsync();

        // Listed by prefix only, and it works against the portal until revoked.
        var keys = page.GetByRole(AriaRole.Table, new() { Name = "Organization API keys" });
        var row = keys.GetByRole(AriaRole.Row, new() { NameRegex = new Regex("support-bot") });
        await Expect(row).ToContainTextAsync(token[..ApiKeyToken.PrefixLength] + "…");
        await Expect(row).ToContainTextAsync("Active");
        Assert.DoesNotContain(token, await page.ContentAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await CallRuntimeAsync(token, HttpStatusCode.OK)).Status);

        // A provider key limited to this API key shows its badge.
        await portal.Factory.AddOrganizationKeyAsync(portal.Provider, "Web bots OpenAI", "gpt-4o");
        await page.ReloadAsync();
        await page.WaitForInteractiveAsync();
        var assignments = page.GetByRole(AriaRole.Table, new() { Name = "Provider key assignment" });
        var providerRow = assignments.GetByRole(AriaRole.Row, new() { NameRegex = new Regex("Web bots OpenAI") });
        await Expect(providerRow).ToContainTextAsync("Organization (all keys)");
        await providerRow.GetByRole(AriaRole.Button, new() { Name = "Change assignment of Web bots OpenAI" }).ClickAsync();
        var assign = page.GetByRole(AriaRole.Dialog, new() { Name = "Assignment of Web bots OpenAI" });
        await assign.GetByRole(AriaRole.Radio, new() { Name = "Specific API keys" }).CheckAsync();
        await assign.GetByRole(AriaRole.Checkbox, new() { Name = "support-bot" }).CheckAsync();
        await assign.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(assign).ToBeHiddenAsync();
        await Expect(providerRow).ToContainTextAsync("support-bot");
        await Expect(providerRow).Not.ToContainTextAsync("Organization (all keys)");

        // Revoke: confirmed, then refused at once.
        await row.GetByRole(AriaRole.Button, new() { Name = "Revoke support-bot" }).ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Revoke API key" }).ClickAsync();
        await Expect(row).ToContainTextAsync("Revoked");
        var refused = await CallRuntimeAsync(token, HttpStatusCode.Unauthorized);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.Status);
        Assert.Contains("This API key was revoked.", refused.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AfterRuntimeCalls_OwnerSeesLastUseAndUsage_SetsARateLimit_CallsOverItGet429()
    {
        await portal.Factory.AddEnterpriseModelsForAllAsync(portal.Provider, "Usage OpenAI", "o3-mini");
        var app = await portal.Factory.IssueApiKeyAsync("usage-bot");
        using var client = new HttpClient { BaseAddress = portal.Address };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", app.Token);
        await WaitUntilListedAsync(client, "o3-mini");

        // An application's three calls through the gateway (the provider stand-in reports 11 prompt and 7 completion tokens each).
        for (var i = 0; i < 3; i++)
        {
            using var answer = await ChatAsync(client);
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        }

        var lastUsed = await WaitForUsageAsync(app.Id, calls: 3);

        var page = await NewPageAsync(portal.Address);
        await page.SignInAsync(DemoSignIn.WebOwner, "/organizations/contoso-web/settings/api-keys");
        var row = page.GetByRole(AriaRole.Table, new() { Name = "Organization API keys" }).GetByRole(AriaRole.Row, new() { NameRegex = new Regex("usage-bot") });
        await Expect(row).ToContainTextAsync(PortalTime.Minute(lastUsed));
        await Expect(row).ToContainTextAsync("Default (600/min)");
        var usage = page.GetByRole(AriaRole.Table, new() { Name = "Usage by API key" }).GetByRole(AriaRole.Row, new() { NameRegex = new Regex("usage-bot") });
        await Expect(usage.GetByRole(AriaRole.Cell)).ToHaveTextAsync(["usage-bot", "3", "33", "21", "54", "0"]);
        await Expect(page.GetByRole(AriaRole.Table, new() { Name = "Requests per hour by API key" })).ToBeVisibleAsync();

        // The owner lowers the key's limit to 2 requests a minute.
        await row.GetByRole(AriaRole.Button, new() { Name = "Change rate limit of usage-bot" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "Rate limit of usage-bot" });
        await dialog.GetByLabel("Requests per minute").FillAsync("2");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(dialog).ToBeHiddenAsync();
        await Expect(row).ToContainTextAsync("2/min");

        // The next calls over it are refused with 429 and Retry-After (the runtime takes the new limit within moments).
        HttpResponseMessage? refused = null;
        for (var i = 0; i < 40 && refused is null; i++)
        {
            var answer = await ChatAsync(client);
            if (answer.StatusCode == HttpStatusCode.TooManyRequests)
            {
                refused = answer;
            }
            else
            {
                Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
                answer.Dispose();
                await Task.Delay(100, Ct);
            }
        }

        Assert.NotNull(refused);
        using (refused)
        {
            Assert.NotNull(refused.Headers.RetryAfter?.Delta);
            Assert.Contains("may make 2 requests per minute", await refused.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Task<HttpResponseMessage> ChatAsync(HttpClient client) =>
        client.PostAsync(new Uri("/v1/chat/completions", UriKind.Relative),
            new StringContent("{\"model\":\"o3-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}", Encoding.UTF8, "application/json"), Ct);

    /// <summary>Waits until the runtime's snapshot lists the model for this key (model lists are not counted as usage).</summary>
    private static async Task WaitUntilListedAsync(HttpClient client, string model)
    {
        for (var i = 0; i < 100; i++)
        {
            using var response = await client.GetAsync(new Uri("/v1/models", UriKind.Relative), Ct);
            if (response.IsSuccessStatusCode && (await response.Content.ReadAsStringAsync(Ct)).Contains($"\"{model}\"", StringComparison.Ordinal))
            {
                return;
            }

            await Task.Delay(100, Ct);
        }

        Assert.Fail($"The runtime never listed {model}.");
    }

    /// <summary>Waits until the usage writer has written the calls and the key's last use; returns that time.</summary>
    private async Task<DateTimeOffset> WaitForUsageAsync(Guid apiKeyId, int calls)
    {
        for (var i = 0; i < 100; i++)
        {
            await using var db = await portal.Factory.Services.GetRequiredService<IPortalDbContextFactory>().CreateAsync(Ct);
            var written = await db.UsageRecords.CountAsync(u => u.ApiKeyId == apiKeyId, Ct);
            var lastUsed = await db.OrganizationApiKeys.Where(k => k.Id == apiKeyId).Select(k => k.LastUsedAt).SingleAsync(Ct);
            if (written == calls && lastUsed is { } at)
            {
                return at;
            }

            await Task.Delay(100, Ct);
        }

        throw new InvalidOperationException("The usage writer did not write the calls.");
    }

    /// <summary>
    /// What an application holding <paramref name="token"/> is answered by the portal's runtime (<c>GET /v1/models</c>), asked again for a
    /// few seconds until it answers <paramref name="expected"/>: the runtime applies a change as soon as it sees the new policy version.
    /// </summary>
    private async Task<(HttpStatusCode Status, string Body)> CallRuntimeAsync(string token, HttpStatusCode expected)
    {
        using var client = new HttpClient { BaseAddress = portal.Address };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var deadline = DateTimeOffset.UtcNow.AddSeconds(10);
        while (true)
        {
            using var response = await client.GetAsync(new Uri("/v1/models", UriKind.Relative));
            var body = await response.Content.ReadAsStringAsync();
            if (response.StatusCode == expected || DateTimeOffset.UtcNow > deadline)
            {
                return (response.StatusCode, body);
            }

            await Task.Delay(200);
        }
    }
}
