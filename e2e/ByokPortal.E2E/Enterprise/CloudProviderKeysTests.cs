using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using ByokPortal.Core.ProviderKeys;
using ByokPortal.E2E.Infrastructure;
using ByokPortal.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ByokPortal.E2E.Enterprise;

/// <summary>
/// Issue 9 in the browser: a Google Vertex AI key added by uploading its service-account file, an AWS Bedrock key with two regions,
/// Test credentials on a saved key edited with its credential left empty, and the delete dialog listing what uses the key; an organization
/// owner rotating a key while an application keeps calling the runtime.
/// </summary>
public sealed class CloudProviderKeysTests(BrowserFixture browser, PortalWithProvider portal) : BrowserTest(browser), IClassFixture<PortalWithProvider>
{
    private const string UsKeyId = "AKIABROWSERUSEAST001";
    private const string UsSecret = "browser+us-east-1+secret+access+key+0000";
    private const string GlobalKeyId = "AKIABROWSERGLOBAL002";
    private const string GlobalSecret = "browser+global+secret+access+key+000000";

    /// <summary>
    /// Chooses the key file in the upload field. The field is new after the provider changed, and a file chosen before Blazor wired it
    /// up is not read: the upload is repeated until the key file shows in the JSON field.
    /// </summary>
    private static async Task UploadAsync(ILocator dialog, string json)
    {
        var file = new FilePayload { Name = "standin-project-3f9c2a7b1d4e.json", MimeType = "application/json", Buffer = Encoding.UTF8.GetBytes(json) };
        var field = dialog.GetByLabel("Service account JSON", new() { Exact = true });
        for (var attempt = 1; ; attempt++)
        {
            await dialog.GetByLabel("Upload service account json file").SetInputFilesAsync(file);
            try
            {
                await Expect(field).ToHaveValueAsync(new Regex("service_account"), new() { Timeout = 5000 });
                return;
            }
            catch (PlaywrightException) when (attempt < 3)
            {
            }
        }
    }

    [Fact]
    public async Task VertexByFileUpload_BedrockWithTwoRegions_EditKeepingTheCredential_AndDeleteListsWhatUsesIt()
    {
        var standIn = portal.Provider;
        standIn.BedrockKeys[UsKeyId] = UsSecret;
        standIn.BedrockKeys[GlobalKeyId] = GlobalSecret;
        var serviceAccount = standIn.ServiceAccountJson();
        var page = await NewPageAsync(portal.Address);
        await page.SignInAsync(DemoSignIn.EnterpriseOwner);
        await page.GotoAsync("/enterprises/contoso/ai-controls/copilot/models");
        await page.WaitForInteractiveAsync();
        await page.GetByRole(AriaRole.Tab, new() { Name = "Custom models" }).ClickAsync();
        await page.GetByRole(AriaRole.Tab, new() { Name = "API keys" }).ClickAsync();
        var keys = page.GetByRole(AriaRole.Table, new() { Name = "API keys" });

        // Google Vertex AI: the key file uploaded, the project filled in from it, credentials tested, a model fetched and chosen.
        await page.GetByRole(AriaRole.Button, new() { Name = "Add API key" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "Add API key" });
        await dialog.GetByRole(AriaRole.Combobox, new() { Name = "Provider" }).ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = "Google Vertex AI", Exact = true }).ClickAsync();
        await dialog.GetByLabel("Name").FillAsync("Vertex stand-in");
        await UploadAsync(dialog, serviceAccount);
        await Expect(dialog.GetByLabel("Project ID")).ToHaveValueAsync(ProviderStandIn.VertexProject);
        await dialog.GetByLabel("Endpoint URL").FillAsync(standIn.VertexBaseUrl);
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Test credentials" }).ClickAsync();
        await Expect(dialog.GetByRole(AriaRole.Status).Filter(new() { HasText = "The credentials work" })).ToBeVisibleAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Fetch new models" }).ClickAsync();
        var available = dialog.GetByRole(AriaRole.Group, new() { Name = "Available models" });
        await available.GetByRole(AriaRole.Checkbox, new() { Name = "google/gemini-2.0-flash-001", Exact = true }).CheckAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(dialog).ToBeHiddenAsync();
        var vertexRow = keys.GetByRole(AriaRole.Row, new() { NameRegex = new Regex("Vertex stand-in") });
        await Expect(vertexRow).ToContainTextAsync($"{ProviderStandIn.ServiceAccountEmail} · key {ProviderStandIn.ServiceAccountKeyId}");
        Assert.DoesNotContain("PRIVATE KEY", await page.ContentAsync(), StringComparison.Ordinal);

        // AWS Bedrock: two regions, one of them global; each region's ListFoundationModels answers.
        await page.GetByRole(AriaRole.Button, new() { Name = "Add API key" }).ClickAsync();
        dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "Add API key" });
        await dialog.GetByRole(AriaRole.Combobox, new() { Name = "Provider" }).ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = "AWS Bedrock", Exact = true }).ClickAsync();
        await dialog.GetByLabel("Name").FillAsync("Bedrock stand-in");
        await dialog.GetByLabel("Endpoint URL").FillAsync(standIn.BedrockBaseUrl);
        var first = dialog.GetByRole(AriaRole.Group, new() { Name = "Regions row 1" });
        await first.GetByLabel("Region").FillAsync("us-east-1");
        await first.GetByLabel("Access Key ID").FillAsync(UsKeyId);
        await first.GetByLabel("Secret Access Key").FillAsync(UsSecret);
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Add region" }).ClickAsync();
        var second = dialog.GetByRole(AriaRole.Group, new() { Name = "Regions row 2" });
        await second.GetByLabel("Region").FillAsync("global");
        await second.GetByLabel("Access Key ID").FillAsync(GlobalKeyId);
        await second.GetByLabel("Secret Access Key").FillAsync(GlobalSecret);
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Fetch new models" }).ClickAsync();
        available = dialog.GetByRole(AriaRole.Group, new() { Name = "Available models" });
        await available.GetByRole(AriaRole.Checkbox, new() { Name = "us-east-1/anthropic.claude-3-haiku-20240307-v1:0", Exact = true }).CheckAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(dialog).ToBeHiddenAsync();
        var bedrockRow = keys.GetByRole(AriaRole.Row, new() { NameRegex = new Regex("Bedrock stand-in") });
        await Expect(bedrockRow).ToContainTextAsync("global ••••L002, us-east-1 ••••T001");
        var content = await page.ContentAsync();
        Assert.DoesNotContain(UsSecret, content, StringComparison.Ordinal);
        Assert.DoesNotContain(GlobalSecret, content, StringComparison.Ordinal);

        // Edit with the credential left empty: the form says it is kept, and Test credentials uses the stored one.
        await vertexRow.GetByRole(AriaRole.Button, new() { Name = "Edit Vertex stand-in" }).ClickAsync();
        dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "Edit Vertex stand-in" });
        await Expect(dialog.GetByText("Leave empty to keep the stored credential")).ToBeVisibleAsync();
        await Expect(dialog.GetByLabel("Service account JSON", new() { Exact = true })).ToHaveValueAsync("");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Test credentials" }).ClickAsync();
        await Expect(dialog.GetByRole(AriaRole.Status).Filter(new() { HasText = "The credentials work" })).ToBeVisibleAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await Expect(dialog).ToBeHiddenAsync();

        // Delete: the dialog lists the model that goes with the key.
        await bedrockRow.GetByRole(AriaRole.Button, new() { Name = "Delete Bedrock stand-in" }).ClickAsync();
        var confirm = page.GetByRole(AriaRole.Dialog, new() { Name = "Delete Bedrock stand-in?" });
        await Expect(confirm.GetByRole(AriaRole.List, new() { Name = "Models removed" })).ToContainTextAsync("us-east-1/anthropic.claude-3-haiku-20240307-v1:0");
        await Expect(confirm.GetByText("Use in the last 7 days")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task RotateAKeyInUse_ApplicationsCallsKeepWorking_WithTheNewCredential_SameKeyAndModels()
    {
        const string oldKeyId = "AKIAROTATEBROWSER001";
        const string oldSecret = "rotate+browser+old+secret+access+key+01";
        const string newKeyId = "AKIAROTATEBROWSER002";
        const string newSecret = "rotate+browser+new+secret+access+key+02";
        const string model = "eu-west-1/anthropic.claude-3-haiku-20240307-v1:0";
        var standIn = portal.Provider;
        standIn.BedrockKeys[oldKeyId] = oldSecret;
        var keyId = await portal.Factory.AddOrganizationKeyAsync(new ProviderKeyInput
        {
            Provider = ProviderKind.AwsBedrock,
            Name = "Web Bedrock",
            BaseUrl = standIn.BedrockBaseUrl,
            CredentialRows = [new Dictionary<string, string?> { ["region"] = "global", ["accessKeyId"] = oldKeyId, ["secretAccessKey"] = oldSecret }],
            ModelIds = [model],
        });
        var app = await portal.Factory.IssueApiKeyAsync("rotation-app");
        using var client = new HttpClient { BaseAddress = portal.Address };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", app.Token);

        // The application resolves the model and calls it through the gateway, signed with the current access key.
        var resolvedBefore = await ResolveAsync(client, model, expectedKeyId: keyId);
        Assert.Equal(oldKeyId, await ChatSignedWithAsync(client, model));

        // The organization owner rotates the key on its row: the new credential is tested at the stand-in, then saved.
        var page = await NewPageAsync(portal.Address);
        await page.SignInAsync(DemoSignIn.WebOwner, "/organizations/contoso-web/settings/copilot/models");
        var row = page.GetByRole(AriaRole.Table, new() { Name = "API keys" }).GetByRole(AriaRole.Row, new() { NameRegex = new Regex("Web Bedrock") });
        await Expect(row).ToContainTextAsync("global ••••R001");
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "Rotate Web Bedrock" });
        await OpenAsync(row.GetByRole(AriaRole.Button, new() { Name = "Rotate Web Bedrock" }), dialog);
        var region = dialog.GetByRole(AriaRole.Group, new() { Name = "Regions row 1" });
        await region.GetByLabel("Region").FillAsync("global");
        await region.GetByLabel("Access Key ID").FillAsync(newKeyId);
        await region.GetByLabel("Secret Access Key").FillAsync(newSecret);
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Test and rotate" }).ClickAsync();
        await Expect(dialog.GetByRole(AriaRole.Alert)).ToContainTextAsync("global: AWS Bedrock refused the credentials"); // not accepted yet
        standIn.BedrockKeys[newKeyId] = newSecret; // now the provider knows the new access key
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Test and rotate" }).ClickAsync();
        await Expect(dialog).ToBeHiddenAsync();
        await Expect(row).ToContainTextAsync("global ••••R002");
        Assert.DoesNotContain(newSecret, await page.ContentAsync(), StringComparison.Ordinal);

        // Every call keeps succeeding; soon they are signed with the new access key, and then the old one can go at the provider.
        for (var attempt = 0; await ChatSignedWithAsync(client, model) != newKeyId; attempt++)
        {
            Assert.True(attempt < 50, "the gateway never signed with the rotated access key");
            await Task.Delay(200, Ct);
        }

        standIn.BedrockKeys.TryRemove(oldKeyId, out _);
        Assert.Equal(newKeyId, await ChatSignedWithAsync(client, model));
        var resolvedAfter = await ResolveAsync(client, model, expectedKeyId: keyId);
        Assert.Equal(resolvedBefore, resolvedAfter); // same key ID, name and source for the application
        await Expect(row.GetByRole(AriaRole.Cell).Nth(3)).ToHaveTextAsync("1"); // its model stays
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>
    /// Clicks a row's button until its dialog opens: the list reloads once the page turns interactive, and on a loaded machine a click
    /// on the row being replaced is lost.
    /// </summary>
    private static async Task OpenAsync(ILocator button, ILocator dialog)
    {
        for (var attempt = 1; ; attempt++)
        {
            await button.ClickAsync();
            try
            {
                await Expect(dialog).ToBeVisibleAsync(new() { Timeout = 10000 });
                return;
            }
            catch (PlaywrightException) when (attempt < 3)
            {
            }
        }
    }

    /// <summary>POST /api/v1/resolve, asked again for a few seconds until the runtime's snapshot serves the model with this key.</summary>
    private static async Task<string> ResolveAsync(HttpClient client, string model, Guid expectedKeyId)
    {
        for (var attempt = 0; ; attempt++)
        {
            using var response = await client.PostAsync(new Uri("/api/v1/resolve", UriKind.Relative),
                new StringContent(JsonSerializer.Serialize(new { model }), Encoding.UTF8, "application/json"), Ct);
            var body = await response.Content.ReadAsStringAsync(Ct);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                var key = JsonDocument.Parse(body).RootElement.GetProperty("key");
                Assert.Equal(expectedKeyId, key.GetProperty("id").GetGuid());
                return key.GetRawText();
            }

            Assert.True(attempt < 50, $"resolve answered {(int)response.StatusCode}: {body}");
            await Task.Delay(200, Ct);
        }
    }

    /// <summary>One chat completion through the gateway, which must succeed; returns the access key ID the stand-in verified it with.</summary>
    private async Task<string> ChatSignedWithAsync(HttpClient client, string model)
    {
        var before = portal.Provider.BedrockSignatures.Count;
        using var response = await client.PostAsync(new Uri("/v1/chat/completions", UriKind.Relative),
            new StringContent(JsonSerializer.Serialize(new { model, messages = new[] { new { role = "user", content = "Hi" } } }), Encoding.UTF8, "application/json"), Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"the gateway answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(Ct)}");
        return portal.Provider.BedrockSignatures.Skip(before).Last(s => s.Path == "/bedrock/openai/v1/chat/completions").AccessKeyId;
    }
}
