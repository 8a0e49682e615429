using ByokPortal.Core.Access;
using Bunit;
using ByokPortal.Core.Common;
using ByokPortal.Core.CustomModels;
using ByokPortal.Core.Data;
using ByokPortal.Core.ProviderKeys;
using ByokPortal.Testing;
using ByokPortal.Web.Components.CustomModels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace ByokPortal.Web.Tests.Components.CustomModels;

/// <summary>The model modal over the real use cases: the Access tab is available only while the model is set to Enabled.</summary>
public sealed class ModelSettingsDialogTests(PortalFixture portal) : IClassFixture<PortalFixture>
{
    private sealed class Context(IServiceProvider services) : PortalBunitContext(services)
    {
        public Task SignInAsync(string email) => SignInAsAsync(email);
    }

    [Fact]
    public async Task Open_EnabledModel_AccessTabAvailableWithChoices()
    {
        var (actor, modelId) = await AddModelAsync(enabled: true);
        await using var context = new Context(portal.Factory.Services);
        await context.SignInAsync(actor.Name);

        var provider = await OpenAsync(context, modelId);

        var access = provider.FindAll("[role=tab]").Single(t => t.TextContent.Trim() == "Access");
        Assert.DoesNotContain("mud-disabled", access.ClassName, StringComparison.Ordinal);
        access.Click();
        provider.WaitForAssertion(() => Assert.Contains("Allow for all organizations", provider.Markup, StringComparison.Ordinal));
        Assert.Contains("Choose per organization", provider.Markup, StringComparison.Ordinal);
        Assert.Contains("Contoso Web", provider.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain("The model must be set to Enabled before the Access tab is available.", provider.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_DisabledModel_AccessTabUnavailableAndExplained()
    {
        var (actor, modelId) = await AddModelAsync(enabled: false);
        await using var context = new Context(portal.Factory.Services);
        await context.SignInAsync(actor.Name);

        var provider = await OpenAsync(context, modelId);

        var access = provider.FindAll("[role=tab]").Single(t => t.TextContent.Trim() == "Access");
        Assert.Contains("mud-disabled", access.ClassName, StringComparison.Ordinal);
        Assert.Contains("The model must be set to Enabled before the Access tab is available.", provider.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain("Allow for all organizations", provider.Markup, StringComparison.Ordinal);

        // Clicking the unavailable tab does not open it.
        access.Click();
        Assert.DoesNotContain("Allow for all organizations", provider.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ToggleEnabled_DisabledToEnabled_AccessTabBecomesAvailable()
    {
        var (actor, modelId) = await AddModelAsync(enabled: false);
        await using var context = new Context(portal.Factory.Services);
        await context.SignInAsync(actor.Name);
        var provider = await OpenAsync(context, modelId);

        provider.Find("input[role=switch], .mud-switch input").Change(true);

        provider.WaitForAssertion(() =>
        {
            var access = provider.FindAll("[role=tab]").Single(t => t.TextContent.Trim() == "Access");
            Assert.DoesNotContain("mud-disabled", access.ClassName, StringComparison.Ordinal);
        });
        Assert.DoesNotContain("The model must be set to Enabled before the Access tab is available.", provider.Markup, StringComparison.Ordinal);
        provider.FindAll("[role=tab]").Single(t => t.TextContent.Trim() == "Access").Click();
        provider.WaitForAssertion(() => Assert.Contains("Allow for all organizations", provider.Markup, StringComparison.Ordinal));
    }

    private static async Task<IRenderedComponent<MudDialogProvider>> OpenAsync(Context context, Guid modelId)
    {
        var provider = context.Render<MudDialogProvider>();
        var dialogs = context.Services.GetRequiredService<IDialogService>();
        await provider.InvokeAsync(() => dialogs.ShowAsync<ModelSettingsDialog>("model",
            new DialogParameters<ModelSettingsDialog> { { d => d.Scope, KeyScope.Enterprise("contoso") }, { d => d.ModelId, modelId } }));
        provider.WaitForAssertion(() => Assert.NotEmpty(provider.FindAll("[role=tab]")));
        return provider;
    }

    /// <summary>A model added through the real use cases, enabled or disabled.</summary>
    private async Task<(Actor Actor, Guid ModelId)> AddModelAsync(bool enabled)
    {
        using var scope = portal.Factory.Services.CreateScope();
        var services = scope.ServiceProvider;
        Guid personId;
        await using (var db = await services.GetRequiredService<IPortalDbContextFactory>().CreateAsync(Xunit.TestContext.Current.CancellationToken))
        {
            personId = await db.People.Where(p => p.Email == DemoSignIn.EnterpriseOwner).Select(p => p.Id).SingleAsync(Xunit.TestContext.Current.CancellationToken);
        }

        var actor = new Actor(personId, DemoSignIn.EnterpriseOwner, "127.0.0.1");
        var input = new ProviderKeyInput { Provider = ProviderKind.Ollama, Name = "Local " + Guid.NewGuid().ToString("N")[..6], BaseUrl = "http://127.0.0.1:11434/v1" };
        input = input with { ModelIds = [.. input.ModelIds, "llama3"] };
        var saved = await services.GetRequiredService<AddProviderKeyCommand>().ExecuteAsync(actor, KeyScope.Enterprise("contoso"), input, Xunit.TestContext.Current.CancellationToken);
        Assert.True(saved.IsSuccess);

        var models = await services.GetRequiredService<ListCustomModelsQuery>().ExecuteAsync(actor, KeyScope.Enterprise("contoso"), Xunit.TestContext.Current.CancellationToken);
        var model = models.Value.Models.Single(m => m.KeyId == saved.Value.Id);
        if (!enabled)
        {
            var disable = new ModelSettingsInput { Enabled = false, AccessMode = model.AccessMode, ExpectedVersion = model.Version };
            Assert.True((await services.GetRequiredService<SaveModelSettingsCommand>().ExecuteAsync(actor, KeyScope.Enterprise("contoso"), model.Id, disable, Xunit.TestContext.Current.CancellationToken)).IsSuccess);
        }

        return (actor, model.Id);
    }
}
