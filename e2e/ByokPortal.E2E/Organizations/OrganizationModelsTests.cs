using System.Text.RegularExpressions;
using ByokPortal.Core.Data;
using ByokPortal.E2E.Enterprise;
using ByokPortal.E2E.Infrastructure;
using ByokPortal.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ByokPortal.E2E.Organizations;

/// <summary>Issue 4, end to end: custom keys, models permissions, the member's model picker, and strangers kept out.</summary>
public sealed class OrganizationModelsTests(BrowserFixture browser, PortalWithProvider portal) : BrowserTest(browser), IClassFixture<PortalWithProvider>
{
    [Fact]
    public async Task CustomKeyAndModelsPermissions_OwnerChoosesModels_MemberPickerFollows()
    {
        await portal.Factory.AddEnterpriseModelsForAllAsync(portal.Provider, "Contoso OpenAI", "gpt-4o", "gpt-4o-mini");
        var key = portal.Provider.AcceptedKey;
        var owner = await NewPageAsync(portal.Address);
        await owner.SignInAsync(DemoSignIn.WebOwner);

        // Settings → Models → Custom models.
        await owner.GetByRole(AriaRole.Link, new() { Name = "Settings of Contoso Web" }).ClickAsync();
        var sidebar = owner.GetByRole(AriaRole.Navigation, new() { Name = "Organization settings" });
        await sidebar.GetByRole(AriaRole.Link, new() { Name = "Custom models" }).ClickAsync();
        await Expect(owner).ToHaveURLAsync(new Regex("/organizations/contoso-web/settings/models/custom$"));
        await Expect(owner.GetByRole(AriaRole.Heading, new() { Name = "Custom models", Level = 1 })).ToBeVisibleAsync();

        await owner.GetByRole(AriaRole.Button, new() { Name = "Add custom key" }).ClickAsync();
        var dialog = owner.GetByRole(AriaRole.Dialog, new() { Name = "Add a custom key" });
        await dialog.GetByRole(AriaRole.Combobox, new() { Name = "Provider" }).ClickAsync();
        await Expect(owner.GetByRole(AriaRole.Option, new() { Name = "OpenAI", Exact = true })).ToBeVisibleAsync();
        await Expect(owner.GetByRole(AriaRole.Option, new() { Name = "Azure AI", Exact = true })).ToBeVisibleAsync();
        await Expect(owner.GetByRole(AriaRole.Option)).ToHaveCountAsync(2);
        await owner.GetByRole(AriaRole.Option, new() { Name = "OpenAI", Exact = true }).ClickAsync();

        // Name empty: a clear message, nothing stored.
        await dialog.GetByLabel("Key", new() { Exact = true }).FillAsync(key);
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(dialog.GetByText("Name is required.")).ToBeVisibleAsync();
        Assert.Equal(0, await OrganizationKeyCountAsync());

        // Key empty: a clear message, nothing stored.
        await dialog.GetByLabel("Key", new() { Exact = true }).FillAsync("");
        await dialog.GetByLabel("Name").FillAsync("Web team OpenAI");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(dialog.GetByText("API key is required.")).ToBeVisibleAsync();
        await Expect(dialog.GetByText("Name is required.")).ToHaveCountAsync(0);
        Assert.Equal(0, await OrganizationKeyCountAsync());

        // Both: saved and masked (with one model of its own, fetched from the provider).
        await dialog.GetByLabel("Key", new() { Exact = true }).FillAsync(key);
        await dialog.GetByLabel("Base URL").FillAsync(portal.Provider.OpenAIBaseUrl);
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Fetch new models" }).ClickAsync();
        await dialog.GetByRole(AriaRole.Group, new() { Name = "Available models" }).GetByRole(AriaRole.Checkbox, new() { Name = "o3-mini" }).CheckAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(dialog).ToBeHiddenAsync();
        var row = owner.GetByRole(AriaRole.Table, new() { Name = "API keys" }).GetByRole(AriaRole.Row, new() { NameRegex = new Regex("Web team OpenAI") });
        await Expect(row).ToContainTextAsync("••••" + key[^4..]);
        await Expect(row).ToContainTextAsync("Organization (all keys)");
        Assert.DoesNotContain(key, await owner.ContentAsync(), StringComparison.Ordinal);
        Assert.Equal(1, await OrganizationKeyCountAsync());

        // Development → Only select models → disable gpt-4o-mini.
        await sidebar.GetByRole(AriaRole.Link, new() { Name = "Development" }).ClickAsync();
        await Expect(owner.GetByRole(AriaRole.Heading, new() { Name = "Models permissions" })).ToBeVisibleAsync();
        await Expect(owner.GetByRole(AriaRole.Radio, new() { Name = "All publishers" })).ToBeCheckedAsync();
        await owner.GetByRole(AriaRole.Radio, new() { Name = "Only select models" }).CheckAsync();
        var models = owner.GetByRole(AriaRole.Table, new() { Name = "Models" });
        await Expect(models.GetByRole(AriaRole.Switch)).ToHaveCountAsync(3);
        await Expect(models.GetByRole(AriaRole.Switch, new() { Name = "gpt-4o-mini" })).ToBeCheckedAsync();
        await models.GetByRole(AriaRole.Switch, new() { Name = "gpt-4o-mini" }).UncheckAsync();
        await owner.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(owner.GetByText("2 model(s) enabled, 1 disabled")).ToBeVisibleAsync();
        await owner.ReloadAsync();
        await owner.WaitForInteractiveAsync();
        await Expect(owner.GetByRole(AriaRole.Radio, new() { Name = "Only select models" })).ToBeCheckedAsync();
        await Expect(owner.GetByRole(AriaRole.Table, new() { Name = "Models" }).GetByRole(AriaRole.Switch, new() { Name = "gpt-4o-mini" })).Not.ToBeCheckedAsync();

        // The member's model picker: the organization's model first, enterprise models at the bottom under the enterprise name.
        var member = await NewPageAsync(portal.Address);
        await member.SignInAsync(DemoSignIn.WebMember);
        await member.GetByRole(AriaRole.Link, new() { Name = "Model picker of Contoso Web" }).ClickAsync();
        await Expect(member.GetByRole(AriaRole.Heading, new() { Name = "Models in Contoso Web", Level = 1 })).ToBeVisibleAsync();
        var groups = member.GetByRole(AriaRole.Region);
        await Expect(groups).ToHaveCountAsync(2);
        var own = groups.Nth(0);
        var enterprise = groups.Nth(1);
        await Expect(own.GetByRole(AriaRole.Heading, new() { Name = "Contoso Web" })).ToBeVisibleAsync();
        await Expect(own.GetByRole(AriaRole.Listitem)).ToHaveCountAsync(1);
        await Expect(own.GetByRole(AriaRole.Listitem).First).ToContainTextAsync("o3-mini");
        await Expect(own.GetByRole(AriaRole.Listitem).First).ToContainTextAsync("Web team OpenAI");
        await Expect(enterprise.GetByRole(AriaRole.Heading, new() { Name = "Contoso", Exact = true })).ToBeVisibleAsync();
        await Expect(enterprise.GetByRole(AriaRole.Listitem)).ToHaveCountAsync(1);
        await Expect(enterprise.GetByRole(AriaRole.Listitem).First).ToContainTextAsync("gpt-4o");
        await Expect(enterprise.GetByRole(AriaRole.Listitem).First).ToContainTextAsync("Contoso OpenAI");
        await Expect(member.GetByText("gpt-4o-mini")).ToHaveCountAsync(0);
    }

    [Theory]
    [InlineData("/organizations/contoso-web/settings/models/custom")]
    [InlineData("/organizations/contoso-web/settings/models/development")]
    [InlineData("/organizations/contoso-web/settings/copilot/models")]
    [InlineData("/organizations/contoso-web/settings/api-keys")]
    [InlineData("/organizations/contoso-web/models")]
    public async Task OwnerOfAnotherOrganization_OpeningThesePages_GetsNoAccess(string path)
    {
        var page = await NewPageAsync(portal.Address);
        await page.SignInAsync(DemoSignIn.DataOwner);

        var response = await page.GotoAsync(path);

        Assert.Equal(403, response!.Status);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "No access", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Add custom key" })).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.Table)).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Member_OpeningAnotherOrganizationsSettings_GetsNoAccess()
    {
        var page = await NewPageAsync(portal.Address);
        await page.SignInAsync(DemoSignIn.WebMember);

        var response = await page.GotoAsync("/organizations/contoso-data/settings/models/custom");

        Assert.Equal(403, response!.Status);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "No access", Level = 1 })).ToBeVisibleAsync();
    }

    private async Task<int> OrganizationKeyCountAsync()
    {
        await using var db = await portal.Factory.Services.GetRequiredService<IPortalDbContextFactory>().CreateAsync();
        return await db.ProviderKeys.CountAsync(k => db.Organizations.Any(o => o.Id == k.OrganizationId && o.Slug == "contoso-web"));
    }
}
