using System.Text.RegularExpressions;
using ByokPortal.E2E.Infrastructure;
using ByokPortal.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ByokPortal.E2E.Foundation;

/// <summary>Issue 2: the enterprise audit log filters by actor and action, keeps the filters in its address, and exports what it shows.</summary>
public sealed class AuditLogPageTests(BrowserFixture browser, PortalServer portal) : BrowserTest(browser), IClassFixture<PortalServer>
{
    [Fact]
    public async Task Filters_ActorAndAction_ListOnlyMatchingEventsAndExportThem()
    {
        foreach (var email in new[] { DemoSignIn.WebOwner, DemoSignIn.WebMember })
        {
            var other = await NewPageAsync(portal.Address);
            await other.SignInAsync(email);
        }

        var page = await NewPageAsync(portal.Address);
        await page.SignInAsync(DemoSignIn.EnterpriseOwner, "/enterprises/contoso/audit-log");
        var events = page.GetByRole(AriaRole.Table, new() { Name = "Audit events" });
        await Expect(events.GetByRole(AriaRole.Row).Filter(new() { HasText = "person.sign_in" })).ToHaveCountAsync(3);

        await page.GetByLabel("Actor").FillAsync("mia@");
        await page.GetByRole(AriaRole.Combobox, new() { Name = "Action" }).ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = "person.sign_in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Combobox, new() { Name = "Action" })).ToContainTextAsync("person.sign_in");
        await page.GetByRole(AriaRole.Button, new() { Name = "Apply filters" }).ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex("actor=mia%40&action=person.sign_in"));
        await Expect(events.GetByRole(AriaRole.Row).Filter(new() { HasText = "person.sign_in" })).ToHaveCountAsync(1);
        await Expect(events).ToContainTextAsync("mia@contoso.test");
        await Expect(events).Not.ToContainTextAsync("oscar@contoso.test");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Export CSV" }))
            .ToHaveAttributeAsync("href", "/enterprises/contoso/audit-log/export.csv?actor=mia%40&action=person.sign_in");

        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Export CSV" }).ClickAsync());
        var csv = await File.ReadAllLinesAsync(await download.PathAsync(), TestContext.Current.CancellationToken);
        Assert.Equal(2, csv.Length);
        Assert.Contains("mia@contoso.test", csv[1], StringComparison.Ordinal);

        await page.GetByRole(AriaRole.Button, new() { Name = "Clear filters" }).ClickAsync();
        await Expect(events.GetByRole(AriaRole.Row).Filter(new() { HasText = "person.sign_in" })).ToHaveCountAsync(3);
    }
}
