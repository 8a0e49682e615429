using ByokPortal.E2E.Infrastructure;
using ByokPortal.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ByokPortal.E2E.Enterprise;

/// <summary>
/// Issue 10 in the browser: an enterprise owner creates an organization and adds a person as its owner; that person signs in and
/// manages the organization's people; archiving the organization takes their access away on their next action.
/// </summary>
public sealed class OrganizationsAndPeopleTests(BrowserFixture browser, PortalServer portal) : BrowserTest(browser), IClassFixture<PortalServer>
{
    private const string NewOwner = "nora@contoso.test";

    [Fact]
    public async Task EnterpriseOwner_CreatesOrganizationAndAddsOwner_OwnerManagesIt_ArchivingTakesAccessAway()
    {
        var ada = await NewPageAsync(portal.Address);
        await ada.SignInAsync(DemoSignIn.EnterpriseOwner);
        var navigation = ada.GetByRole(AriaRole.Navigation, new() { Name = "Main navigation" });
        await navigation.GetByRole(AriaRole.Link, new() { Name = "Organizations" }).ClickAsync();
        await ada.GetByRole(AriaRole.Button, new() { Name = "New organization" }).ClickAsync();
        var create = ada.GetByRole(AriaRole.Dialog);
        await create.GetByLabel("Name").FillAsync("Fabrikam Labs");
        await Expect(create.GetByLabel("Slug")).ToHaveValueAsync("fabrikam-labs");
        await create.GetByRole(AriaRole.Button, new() { Name = "Create organization" }).ClickAsync();
        await Expect(ada.GetByText("Organization \"Fabrikam Labs\" created.")).ToBeVisibleAsync();
        await Expect(ada.GetByRole(AriaRole.Table, new() { Name = "Organizations" }).GetByText("fabrikam-labs")).ToBeVisibleAsync();

        await navigation.GetByRole(AriaRole.Link, new() { Name = "People", Exact = true }).ClickAsync();
        await ada.GetByRole(AriaRole.Button, new() { Name = "Add person" }).ClickAsync();
        var add = ada.GetByRole(AriaRole.Dialog);
        await add.GetByLabel("E-mail address").FillAsync(NewOwner);
        await add.GetByLabel("Add an organization").FillAsync("Fabrikam");
        await ada.GetByText("Fabrikam Labs", new() { Exact = true }).Last.ClickAsync();
        var role = add.GetByRole(AriaRole.Combobox, new() { Name = "Role in Fabrikam Labs" });
        await Expect(role).ToContainTextAsync("Member");
        await role.ClickAsync();
        await ada.GetByRole(AriaRole.Option, new() { Name = "Owner", Exact = true }).ClickAsync();
        await Expect(role).ToContainTextAsync("Owner");
        await add.GetByRole(AriaRole.Button, new() { Name = "Add person" }).ClickAsync();
        await Expect(ada.GetByText($"{NewOwner} added.")).ToBeVisibleAsync();
        await Expect(ada.GetByRole(AriaRole.Table, new() { Name = "People" }).GetByText("Owner of Fabrikam Labs")).ToBeVisibleAsync();

        // The new owner signs in (demo sign-in lists them) and manages the organization's people.
        var nora = await NewPageAsync(portal.Address);
        await nora.SignInAsync(NewOwner);
        await nora.GetByRole(AriaRole.Navigation, new() { Name = "Main navigation" }).GetByRole(AriaRole.Link, new() { Name = "People" }).ClickAsync();
        await Expect(nora.GetByRole(AriaRole.Heading, new() { Name = "People" })).ToBeVisibleAsync();
        await nora.GetByRole(AriaRole.Button, new() { Name = "Add person" }).ClickAsync();
        var addMember = nora.GetByRole(AriaRole.Dialog);
        await addMember.GetByLabel("E-mail address").FillAsync(DemoSignIn.WebMember);
        await addMember.GetByRole(AriaRole.Button, new() { Name = "Add person" }).ClickAsync();
        await Expect(nora.GetByText($"{DemoSignIn.WebMember} added.")).ToBeVisibleAsync();
        var people = nora.GetByRole(AriaRole.Table, new() { Name = "Organization people" });
        await Expect(people.GetByText(DemoSignIn.WebMember, new() { Exact = true })).ToBeVisibleAsync();

        // The enterprise owner archives the organization.
        await navigation.GetByRole(AriaRole.Link, new() { Name = "Organizations" }).ClickAsync();
        await ada.GetByRole(AriaRole.Button, new() { Name = "Archive Fabrikam Labs" }).ClickAsync();
        await ada.GetByRole(AriaRole.Button, new() { Name = "Archive organization" }).ClickAsync();
        await Expect(ada.GetByText("Organization \"Fabrikam Labs\" archived.")).ToBeVisibleAsync();

        // Nora's open page: her next action shows that she has no access any more.
        await people.GetByRole(AriaRole.Combobox, new() { Name = $"Role of {DemoSignIn.WebMember}" }).ClickAsync();
        await nora.GetByRole(AriaRole.Option, new() { Name = "Owner", Exact = true }).ClickAsync();
        await Expect(nora.GetByRole(AriaRole.Heading, new() { Name = "No access" })).ToBeVisibleAsync();
        await nora.GotoAsync("/organizations/fabrikam-labs/models");
        await Expect(nora.GetByRole(AriaRole.Heading, new() { Name = "No access" })).ToBeVisibleAsync();
    }
}
