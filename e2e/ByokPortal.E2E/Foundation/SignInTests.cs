using System.Text.RegularExpressions;
using ByokPortal.E2E.Infrastructure;
using ByokPortal.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ByokPortal.E2E.Foundation;

/// <summary>Issue 2: each demo person signs in and lands on a page that shows what they may do; strangers are kept out.</summary>
public sealed partial class SignInTests(BrowserFixture browser, PortalServer portal) : BrowserTest(browser), IClassFixture<PortalServer>
{
    [Fact]
    public async Task SignIn_AsEnterpriseOwner_LandsOnHomeWithEnterpriseTools()
    {
        var page = await NewPageAsync(portal.Address);
        await page.SignInAsync(DemoSignIn.EnterpriseOwner);

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Welcome, Ada Lovelace", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.GetByText("Enterprise owner of Contoso")).ToBeVisibleAsync();
        var enterprise = page.GetByRole(AriaRole.Region, new() { Name = "Enterprise Contoso" });
        await Expect(enterprise.GetByRole(AriaRole.Link, new() { Name = "AI controls" })).ToBeVisibleAsync();
        await Expect(enterprise.GetByRole(AriaRole.Link, new() { Name = "Audit log" })).ToBeVisibleAsync();
        // Enterprise owners manage every organization.
        var organizations = page.GetByRole(AriaRole.Region, new() { Name = "Your organizations" });
        await Expect(organizations.GetByRole(AriaRole.Link, new() { Name = "Settings of Contoso Research" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Banner).GetByText("Contoso", new() { Exact = true })).ToBeVisibleAsync();
    }

    [Theory]
    [InlineData(DemoSignIn.WebOwner, "Oscar Ortiz", "Contoso Web")]
    [InlineData(DemoSignIn.DataOwner, "Olga Novak", "Contoso Data")]
    public async Task SignIn_AsOrganizationOwner_LandsOnHomeWithOwnOrganizationSettings(string email, string name, string organization)
    {
        var page = await NewPageAsync(portal.Address);
        await page.SignInAsync(email);

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"Welcome, {name}", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.GetByText("Enterprise owner of Contoso")).ToHaveCountAsync(0);
        var organizations = page.GetByRole(AriaRole.Region, new() { Name = "Your organizations" });
        await Expect(organizations.GetByRole(AriaRole.Row, new() { NameRegex = new Regex($"^{organization}.*Owner") })).ToBeVisibleAsync();
        await Expect(organizations.GetByRole(AriaRole.Link, new() { Name = $"Settings of {organization}" })).ToBeVisibleAsync();
        await Expect(organizations.GetByRole(AriaRole.Row)).ToHaveCountAsync(2);
        await Expect(page.GetByRole(AriaRole.Navigation, new() { Name = "Main navigation" }).GetByRole(AriaRole.Link, new() { Name = "AI controls" })).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task SignIn_AsMember_LandsOnHomeWithModelPickerOnly()
    {
        var page = await NewPageAsync(portal.Address);
        await page.SignInAsync(DemoSignIn.WebMember);

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Welcome, Mia Chen", Level = 1 })).ToBeVisibleAsync();
        var organizations = page.GetByRole(AriaRole.Region, new() { Name = "Your organizations" });
        await Expect(organizations.GetByRole(AriaRole.Row, new() { NameRegex = new Regex("^Contoso Web.*Member") })).ToBeVisibleAsync();
        await Expect(organizations.GetByRole(AriaRole.Link, new() { Name = "Model picker of Contoso Web" })).ToBeVisibleAsync();
        await Expect(organizations.GetByRole(AriaRole.Link, new() { Name = "Settings of Contoso Web" })).ToHaveCountAsync(0);
        await Expect(page.GetByText("Enterprise owner of Contoso")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task AnonymousVisit_ToEnterprisePage_IsSentToSignInAndBackAfterwards()
    {
        var page = await NewPageAsync(portal.Address);
        await page.GotoAsync("/enterprises/contoso/audit-log");

        await Expect(page).ToHaveURLAsync(new Regex("/signin\\?returnUrl=%2Fenterprises%2Fcontoso%2Faudit-log$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in to ByokPortal" })).ToBeVisibleAsync();
        foreach (var email in new[] { DemoSignIn.EnterpriseOwner, DemoSignIn.WebOwner, DemoSignIn.DataOwner, DemoSignIn.WebMember })
        {
            await Expect(page.GetByRole(AriaRole.Button, new() { Name = email, Exact = true })).ToBeVisibleAsync();
        }

        await page.GetByRole(AriaRole.Button, new() { Name = DemoSignIn.EnterpriseOwner, Exact = true }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/enterprises/contoso/audit-log$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Audit log", Level = 1 })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Member_OpeningEnterprisePage_GetsNoAccess()
    {
        var page = await NewPageAsync(portal.Address);
        await page.SignInAsync(DemoSignIn.WebMember);

        var response = await page.GotoAsync("/enterprises/contoso/audit-log");

        Assert.Equal(403, response!.Status);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "No access", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Audit log" })).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.Table, new() { Name = "Audit events" })).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Member_NavigatingInsideTheAppToEnterprisePage_GetsNoAccess()
    {
        // The same check when the router decides inside a running circuit, not on the first request.
        var page = await NewPageAsync(portal.Address);
        await page.SignInAsync(DemoSignIn.WebMember);
        await page.EvaluateAsync("() => Blazor.navigateTo('/enterprises/contoso/audit-log')");

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "No access", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Table, new() { Name = "Audit events" })).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task SignOut_FromAppBar_ReturnsToSignInAndEndsTheSession()
    {
        var page = await NewPageAsync(portal.Address);
        await page.SignInAsync(DemoSignIn.WebOwner);

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();

        await Expect(page.GetByText("You have signed out.")).ToBeVisibleAsync();
        await page.GotoAsync("/");
        await Expect(page).ToHaveURLAsync(new Regex("/signin\\?returnUrl="));
    }

    [Fact]
    public async Task ThemeToggle_SwitchedToDark_IsRememberedAfterReload()
    {
        var page = await NewPageAsync(portal.Address);
        await page.SignInAsync(DemoSignIn.WebMember);

        await page.GetByRole(AriaRole.Button, new() { Name = "Switch to dark mode" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Switch to light mode" })).ToBeVisibleAsync();
        await page.ReloadAsync();
        await page.WaitForInteractiveAsync();

        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Switch to light mode" })).ToBeVisibleAsync();
    }
}
