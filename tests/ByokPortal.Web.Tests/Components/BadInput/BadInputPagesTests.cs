using ByokPortal.Core.Access;
using Bunit;
using ByokPortal.Core.ApiKeys;
using ByokPortal.Core.Common;
using ByokPortal.Core.Data;
using ByokPortal.Core.Enterprises;
using ByokPortal.Core.ProviderKeys;
using ByokPortal.Testing;
using ByokPortal.Web.Components.CustomModels;
using ByokPortal.Web.Components.Enterprises.AuditLog;
using ByokPortal.Web.Components.Organizations.ApiKeys;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace ByokPortal.Web.Tests.Components.BadInput;

/// <summary>
/// What a person sees for bad input, over the real use cases: the audit log's refused dates on their fields (never "Something went
/// wrong"), an unreadable API key expiry on its field (never "no expiry"), and the key actions the enterprise policy turns off
/// shown as unavailable with the reason.
/// </summary>
public sealed class BadInputPagesTests(PortalFixture portal) : IClassFixture<PortalFixture>
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

    [Theory]
    [InlineData("from=9999-12-31", "From must be between 2000-01-01 and 2999-12-31.")]
    [InlineData("to=2026-02-30", "To must be a real day, written YYYY-MM-DD (e.g. 2026-03-02).")]
    [InlineData("from=abc", "From must be a real day, written YYYY-MM-DD (e.g. 2026-03-02).")]
    [InlineData("from=2026-05-02&to=2026-05-01", "To must be the same day as From or later.")]
    public async Task AuditLogPage_BadDateInTheAddress_ShowsTheMessageOnTheField(string query, string message)
    {
        await using var context = new Context(portal.Factory.Services);
        await context.SignInAsync(await ActorAsync(DemoSignIn.EnterpriseOwner));
        context.Services.GetRequiredService<NavigationManager>().NavigateTo($"/enterprises/contoso/audit-log?{query}");

        var page = context.Render<AuditLogPage>(p => p.Add(x => x.Enterprise, "contoso"));

        page.WaitForAssertion(() => Assert.Contains(message, page.Markup, StringComparison.Ordinal));
        Assert.Contains("Correct the filters marked below; no events are listed until they are valid.", page.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain("Something went wrong", page.Markup, StringComparison.Ordinal);
        Assert.Contains(page.FindAll(".mud-input-error"), e => e.TextContent.Contains(message, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("2026-02-30", IssueApiKeyInputValidator.UnreadableExpiry)]
    [InlineData("275760-09-13", IssueApiKeyInputValidator.UnreadableExpiry)]
    [InlineData("9999-12-31", "An API key can last at most 2 years.")]
    public async Task IssueApiKeyDialog_UnreadableOrOutOfRangeExpiry_MessageOnTheFieldAndNothingIssued(string typed, string message)
    {
        await using var context = new Context(portal.Factory.Services);
        await context.SignInAsync(await ActorAsync(DemoSignIn.WebOwner));
        var before = await ApiKeyCountAsync();
        var provider = context.Render<MudDialogProvider>();
        await provider.InvokeAsync(() => context.Services.GetRequiredService<IDialogService>().ShowAsync<IssueApiKeyDialog>("Issue API key",
            new DialogParameters<IssueApiKeyDialog> { { d => d.Organization, "contoso-web" } }));
        provider.WaitForAssertion(() => Assert.NotEmpty(provider.FindAll("input")));

        var inputs = provider.FindAll("input");
        inputs[0].Change("deploy-bot");
        provider.Find("input[type=date]").Change(typed);
        provider.FindAll("button").Single(b => b.TextContent.Trim() == "Issue API key").Click();

        provider.WaitForAssertion(() => Assert.Contains(provider.FindAll(".mud-input-error"), e => e.TextContent.Contains(message, StringComparison.Ordinal)));
        Assert.DoesNotContain("Copy this API key now", provider.Markup, StringComparison.Ordinal);
        Assert.Equal(before, await ApiKeyCountAsync());
    }

    private async Task<int> ApiKeyCountAsync()
    {
        await using var db = await portal.Factory.Services.GetRequiredService<IPortalDbContextFactory>().CreateAsync(Ct);
        return await db.OrganizationApiKeys.CountAsync(Ct);
    }

    [Fact]
    public async Task ProviderKeysTab_OrganizationKeysNotAllowed_EditAndTestUnavailableWithTheReasonDeleteAvailable()
    {
        var oscar = await ActorAsync(DemoSignIn.WebOwner);
        var name = "Locked " + Guid.NewGuid().ToString("N")[..6];
        using (var scope = portal.Factory.Services.CreateScope())
        {
            var input = new ProviderKeyInput { Provider = ProviderKind.Ollama, Name = name, BaseUrl = "http://127.0.0.1:11434/v1" };
            Assert.True((await scope.ServiceProvider.GetRequiredService<AddProviderKeyCommand>().ExecuteAsync(oscar, KeyScope.Organization("contoso-web"), input, Ct)).IsSuccess);
        }

        await SetOrganizationKeysAllowedAsync(false);
        try
        {
            await using var context = new Context(portal.Factory.Services);
            await context.SignInAsync(oscar);
            context.Render<MudPopoverProvider>();

            var tab = context.Render<ProviderKeysTab>(p => p
                .Add(x => x.Scope, KeyScope.Organization("contoso-web"))
                .Add(x => x.AddDisabledReason, OrganizationKeysPolicy.AddRefused)
                .Add(x => x.ChangeDisabledReason, OrganizationKeysPolicy.ChangeRefused));

            tab.WaitForAssertion(() => Assert.NotNull(tab.Find($"button[aria-label='Edit {name}']")));
            Assert.True(tab.Find($"button[aria-label='Edit {name}']").HasAttribute("disabled"), "Edit is available");
            Assert.True(tab.Find($"button[aria-label='Test credentials of {name}']").HasAttribute("disabled"), "Test credentials is available");
            Assert.False(tab.Find($"button[aria-label='Delete {name}']").HasAttribute("disabled"), "Delete is unavailable");
            Assert.Contains(OrganizationKeysPolicy.ChangeRefused, tab.Markup, StringComparison.Ordinal);
            Assert.DoesNotContain(tab.FindAll("button"), b => b.TextContent.Contains("Add API key", StringComparison.Ordinal));
        }
        finally
        {
            await SetOrganizationKeysAllowedAsync(true);
        }
    }

    private async Task SetOrganizationKeysAllowedAsync(bool allowed)
    {
        var ada = await ActorAsync(DemoSignIn.EnterpriseOwner);
        using var scope = portal.Factory.Services.CreateScope();
        var loaded = await scope.ServiceProvider.GetRequiredService<GetEnterprisePoliciesQuery>().ExecuteAsync(ada, "contoso", Ct);
        var saved = await scope.ServiceProvider.GetRequiredService<SaveEnterprisePoliciesCommand>().ExecuteAsync(ada, "contoso", allowed, loaded.Value.Version, Ct);
        Assert.True(saved.IsSuccess, saved.Error?.Message);
    }
}
