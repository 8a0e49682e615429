using System.Text.RegularExpressions;
using ByokPortal.Core.ApiKeys;
using ByokPortal.E2E.Enterprise;
using ByokPortal.E2E.Infrastructure;
using ByokPortal.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ByokPortal.E2E.Organizations;

/// <summary>Issue 4: an owner issues an API key (shown once), assigns a provider key to it, and revokes it.</summary>
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
        Assert.Equal(System.Net.HttpStatusCode.OK, (await CallRuntimeAsync(token, System.Net.HttpStatusCode.OK)).Status);

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
        var refused = await CallRuntimeAsync(token, System.Net.HttpStatusCode.Unauthorized);
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, refused.Status);
        Assert.Contains("This API key was revoked.", refused.Body, StringComparison.Ordinal);
    }

    /// <summary>
    /// What an application holding <paramref name="token"/> is answered by the portal's runtime (<c>GET /v1/models</c>), asked again for a
    /// few seconds until it answers <paramref name="expected"/>: the runtime applies a change as soon as it sees the new policy version.
    /// </summary>
    private async Task<(System.Net.HttpStatusCode Status, string Body)> CallRuntimeAsync(string token, System.Net.HttpStatusCode expected)
    {
        using var client = new HttpClient { BaseAddress = portal.Address };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
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
