using ByokPortal.Core.Access;
using Bunit;
using ByokPortal.Core.Common;
using ByokPortal.Core.CustomModels;
using ByokPortal.Core.ProviderKeys;
using ByokPortal.Web.Components.CustomModels;
using ByokPortal.Web.Components.Shared;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace ByokPortal.Web.Tests.Components.CustomModels;

/// <summary>
/// A key the provider refused on a gateway request: its row says "Invalid since …" and why in words (not only in a tooltip), and the
/// key's and its models' dialogs say an owner must fix it or test it again.
/// </summary>
public sealed class RefusedKeyTests(PortalFixture portal) : IClassFixture<PortalFixture>
{
    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    private static readonly KeyScope Contoso = KeyScope.Enterprise("contoso");

    private sealed class Context(IServiceProvider services) : PortalBunitContext(services)
    {
        public Task SignInAsync(Actor actor) => SignInAsAsync(actor.Name);
    }

    /// <summary>An enterprise key with one model, refused (401) by its provider on a gateway request; its stored mark.</summary>
    private async Task<(ProviderKeyRow Key, Guid ModelId)> RefusedKeyAsync(Actor ada)
    {
        var input = new ProviderKeyInput { Provider = ProviderKind.Ollama, Name = "Refused " + Guid.NewGuid().ToString("N")[..6], BaseUrl = "http://127.0.0.1:11434/v1", ModelIds = ["llama3"] };
        var added = await portal.RunAsync<AddProviderKeyCommand, Result<ProviderKeySaved>>(c => c.ExecuteAsync(ada, Contoso, input, Ct));
        Assert.True(added.IsSuccess, added.Error?.Message);
        Assert.True((await portal.RunAsync<RecordProviderRefusalCommand, Result<Done>>(c => c.ExecuteAsync(Actor.System, added.Value.Id, 401, Ct))).IsSuccess);
        var keys = await portal.RunAsync<ListProviderKeysQuery, Result<ProviderKeyList>>(q => q.ExecuteAsync(ada, Contoso, Ct));
        await using var db = await portal.DbAsync();
        var modelId = await db.CustomModels.Where(m => m.ProviderKeyId == added.Value.Id).Select(m => m.Id).SingleAsync(Ct);
        return (keys.Value.Keys.Single(k => k.Id == added.Value.Id), modelId);
    }

    [Fact]
    public async Task RefusedKey_RowSaysInvalidSinceWhenAndWhy_DialogsSayAnOwnerMustFixOrRetestIt()
    {
        var ada = await portal.ActorAsync(Testing.DemoSignIn.EnterpriseOwner);
        var (key, modelId) = await RefusedKeyAsync(ada);
        var refusal = key.Refusal!;
        await using var context = new Context(portal.Factory.Services);
        await context.SignInAsync(ada);
        context.Render<MudPopoverProvider>();
        var dialogs = context.Render<MudDialogProvider>();

        var tab = context.Render<ProviderKeysTab>(p => p.Add(x => x.Scope, Contoso));

        tab.WaitForAssertion(() => Assert.Contains(tab.FindAll("tbody tr"), r => r.TextContent.Contains(key.Name, StringComparison.Ordinal)));
        var row = tab.FindAll("tbody tr").Single(r => r.TextContent.Contains(key.Name, StringComparison.Ordinal));
        var lastTest = row.QuerySelector("td[data-label='Last test']")!.TextContent;
        Assert.Contains($"Invalid since {PortalTime.Minute(refusal.Since!.Value)}", lastTest, StringComparison.Ordinal);
        Assert.Contains(refusal.Reason, lastTest, StringComparison.Ordinal);
        Assert.Contains("rejected (401) this key on a gateway request", lastTest, StringComparison.Ordinal);

        // The key's edit dialog.
        tab.Find($"button[aria-label='Edit {key.Name}']").Click();
        dialogs.WaitForAssertion(() => Assert.Contains(KeyRefusal.OwnerMustAct, dialogs.Markup, StringComparison.Ordinal));
        Assert.Contains($"invalid since {PortalTime.Minute(refusal.Since.Value)}", dialogs.Markup, StringComparison.Ordinal);
        await dialogs.InvokeAsync(() => context.Services.GetRequiredService<IDialogService>().ShowAsync<ModelSettingsDialog>("model",
            new DialogParameters<ModelSettingsDialog> { { d => d.Scope, Contoso }, { d => d.ModelId, modelId } }));

        // The model's dialog.
        dialogs.WaitForAssertion(() => Assert.Equal(2, dialogs.FindAll("[role=note]").Count(n => n.TextContent.Contains(KeyRefusal.OwnerMustAct, StringComparison.Ordinal))));
    }
}
