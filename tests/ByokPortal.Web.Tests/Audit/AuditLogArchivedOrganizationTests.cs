using Bunit;
using ByokPortal.Core.Common;
using ByokPortal.Core.Data;
using ByokPortal.Core.Organizations;
using ByokPortal.Testing;
using ByokPortal.Web.Components.Enterprises.AuditLog;
using ByokPortal.Web.Tests.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace ByokPortal.Web.Tests.Audit;

/// <summary>The audit log's Organization filter still offers an archived organization (its history stays), marked "(archived)".</summary>
public sealed class AuditLogArchivedOrganizationTests(PortalFixture portal) : IClassFixture<PortalFixture>
{
    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    private sealed class Context(IServiceProvider services) : PortalBunitContext(services)
    {
        public Task SignInAsync(Actor actor) => SignInAsAsync(actor.Name);
    }

    private async Task<Actor> ActorAsync(string email)
    {
        await using var db = await portal.Factory.Services.GetRequiredService<IPortalDbContextFactory>().CreateAsync(Ct);
        var id = await db.People.Where(p => p.Email == email).Select(p => p.Id).SingleAsync(Ct);
        return new Actor(id, email, "127.0.0.1");
    }

    [Fact]
    public async Task OrganizationFilter_ListsTheArchivedOrganizationMarkedArchived_AndTheActiveOneUnmarked()
    {
        var ada = await ActorAsync(DemoSignIn.EnterpriseOwner);
        var suffix = Guid.NewGuid().ToString("N")[..6];
        using (var scope = portal.Factory.Services.CreateScope())
        {
            var create = scope.ServiceProvider.GetRequiredService<CreateOrganizationCommand>();
            var archived = await create.ExecuteAsync(ada, "contoso", new CreateOrganizationInput($"Attic {suffix}", $"attic-{suffix}-old"), Ct);
            var active = await create.ExecuteAsync(ada, "contoso", new CreateOrganizationInput($"Attic {suffix} new", $"attic-{suffix}-new"), Ct);
            Assert.True(archived.IsSuccess && active.IsSuccess);
            Assert.True((await scope.ServiceProvider.GetRequiredService<ArchiveOrganizationCommand>().ExecuteAsync(ada, "contoso", archived.Value.Id, Ct)).IsSuccess);
        }

        await using var context = new Context(portal.Factory.Services);
        await context.SignInAsync(ada);
        var popovers = context.Render<MudPopoverProvider>();
        var page = context.Render<AuditLogPage>(p => p.Add(x => x.Enterprise, "contoso"));

        var field = page.FindAll("label").First(l => l.TextContent.Trim() == "Organization").GetAttribute("for");
        page.Find("#" + field).Input($"attic-{suffix}");

        popovers.WaitForAssertion(() =>
        {
            var items = popovers.FindAll(".mud-list-item").Select(i => i.TextContent.Trim()).ToList();
            Assert.Contains($"attic-{suffix}-old (archived)", items);
            Assert.Contains($"attic-{suffix}-new", items);
        }, TimeSpan.FromSeconds(20));
    }
}
