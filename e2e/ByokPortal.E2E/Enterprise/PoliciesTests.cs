using ByokPortal.E2E.Infrastructure;
using ByokPortal.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ByokPortal.E2E.Enterprise;

/// <summary>Issue 4: "Allow organizations to add their own API keys" (on by default); off, organization pages say so and offer no way to add.</summary>
public sealed class PoliciesTests(BrowserFixture browser, PortalServer portal) : BrowserTest(browser), IClassFixture<PortalServer>
{
    [Fact]
    public async Task OrganizationKeysPolicy_TurnedOff_OrganizationPagesSaySoAndHideAdding()
    {
        var owner = await NewPageAsync(portal.Address);
        await owner.SignInAsync(DemoSignIn.WebOwner, "/organizations/contoso-web/settings/models/custom");
        await Expect(owner.GetByRole(AriaRole.Button, new() { Name = "Add custom key" })).ToBeVisibleAsync();

        var ada = await NewPageAsync(portal.Address);
        await ada.SignInAsync(DemoSignIn.EnterpriseOwner);
        await ada.GetByRole(AriaRole.Navigation, new() { Name = "Main navigation" }).GetByRole(AriaRole.Link, new() { Name = "Policies" }).ClickAsync();
        var policy = ada.GetByRole(AriaRole.Switch, new() { Name = "Allow organizations to add their own API keys" });
        await Expect(policy).ToBeCheckedAsync();
        await policy.UncheckAsync();
        await ada.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(ada.GetByText("Policies saved.")).ToBeVisibleAsync();

        foreach (var path in new[] { "/organizations/contoso-web/settings/models/custom", "/organizations/contoso-web/settings/copilot/models" })
        {
            await owner.GoToInteractiveAsync(path);
            await Expect(owner.GetByText("Your enterprise does not allow organizations to add their own API keys.").First).ToBeVisibleAsync();
            await Expect(owner.GetByRole(AriaRole.Button, new() { Name = "Add custom key" })).ToHaveCountAsync(0);
            await Expect(owner.GetByRole(AriaRole.Button, new() { Name = "Add API key" })).ToHaveCountAsync(0);
        }

        await ada.ReloadAsync();
        await ada.WaitForInteractiveAsync();
        await Expect(ada.GetByRole(AriaRole.Switch, new() { Name = "Allow organizations to add their own API keys" })).Not.ToBeCheckedAsync();
    }
}
