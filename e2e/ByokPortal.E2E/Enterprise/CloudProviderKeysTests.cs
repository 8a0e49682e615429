using System.Text;
using System.Text.RegularExpressions;
using ByokPortal.E2E.Infrastructure;
using ByokPortal.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ByokPortal.E2E.Enterprise;

/// <summary>
/// Issue 9 in the browser: a Google Vertex AI key added by uploading its service-account file, an AWS Bedrock key with two regions,
/// Test credentials on a saved key edited with its credential left empty, and the delete dialog listing what uses the key.
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
}
