using ByokPortal.Core.Access;
using AngleSharp.Dom;
using Bunit;
using ByokPortal.Core.Common;
using ByokPortal.Core.CustomModels;
using ByokPortal.Core.Data;
using ByokPortal.Core.Identity;
using ByokPortal.Core.Organizations;
using ByokPortal.Core.People;
using ByokPortal.Core.ProviderKeys;
using ByokPortal.Testing;
using ByokPortal.Web.Components.CustomModels;
using ByokPortal.Web.Components.Enterprises.Identity;
using ByokPortal.Web.Components.Enterprises.Organizations;
using ByokPortal.Web.Components.Enterprises.People;
using ByokPortal.Web.Tests.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace ByokPortal.Web.Tests.Faults;

/// <summary>
/// A fault during a dialog's Save (the database locked by another connection past the busy timeout; the secret store down) keeps the
/// dialog open with what was entered and says what happened; once the fault is gone the same dialog saves. The dialogs run over the
/// real use cases, the real SQLite file and the real Key Vault client (see <see cref="FaultPortalFixture"/>).
/// </summary>
public sealed class DialogFaultTests(FaultPortalFixture portal) : IClassFixture<FaultPortalFixture>
{
    private const string Busy = "The database is busy; nothing was saved. Try again.";
    private const string StoreDown = "The secret store is not available; nothing was saved. Try again.";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    private sealed class Context(IServiceProvider services) : PortalBunitContext(services)
    {
        public Task SignInAsync(Actor actor) => SignInAsAsync(actor.Name);
    }

    [Fact]
    public async Task ModelAccessSave_DatabaseLocked_DialogStaysOpenWithTheChoiceAndSavesOnceReleased()
    {
        var (ada, modelId) = await AddEnterpriseModelAsync();
        await using var context = new Context(portal.Factory.Services);
        await context.SignInAsync(ada);
        var (provider, dialog) = await ShowAsync<ModelSettingsDialog>(context, "gpt-4o", new DialogParameters<ModelSettingsDialog>
        {
            { d => d.Scope, KeyScope.Enterprise("contoso") }, { d => d.ModelId, modelId }, { d => d.OpenAccessTab, true },
        });
        provider.WaitForAssertion(() => Assert.Contains("Allow for all organizations", provider.Markup, StringComparison.Ordinal), Patience);
        await ClickAsync(provider, () => Radio(provider, "Allow for all organizations"));

        await using (await SqliteWriteLock.TakeAsync(portal.Factory.DataDirectory))
        {
            await ClickAsync(provider, () => Button(provider, "Save"));
            provider.WaitForAssertion(() => Assert.Contains(Busy, provider.Markup, StringComparison.Ordinal), Patience);
        }

        Assert.False(dialog.Result.IsCompleted, "the dialog closed");
        Assert.True(((AngleSharp.Html.Dom.IHtmlInputElement)Radio(provider, "Allow for all organizations")).IsChecked, "the choice was lost");
        Assert.Equal(ModelAccessMode.ChoosePerOrganization, await AccessModeAsync(modelId));
        Assert.Contains(portal.Factory.Logs.Lines, l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains("DatabaseBusy", StringComparison.Ordinal));

        await ClickAsync(provider, () => Button(provider, "Save"));
        var result = await dialog.Result.WaitAsync(Patience, Ct);

        Assert.False(result!.Canceled);
        Assert.Equal(ModelAccessMode.AllOrganizations, await AccessModeAsync(modelId));
    }

    [Fact]
    public async Task AddApiKey_DatabaseLockedAfterTheSecretWrite_KeepsTheInputTakesTheSecretBackAndSavesOnceReleased()
    {
        var oscar = await portal.ActorAsync(DemoSignIn.WebOwner);
        await using var context = new Context(portal.Factory.Services);
        await context.SignInAsync(oscar);
        var (provider, dialog) = await ShowKeyDialogAsync(context);
        var name = "Locked " + Guid.NewGuid().ToString("N")[..6];
        var credential = "sk-test-" + Guid.NewGuid().ToString("N");
        Field(provider, "Name").Change(name);
        Field(provider, "API key").Change(credential);
        var secretsBefore = portal.Vault.SecretNames.Count;
        var (setsBefore, deletesBefore) = (portal.Vault.Count(KeyVaultOperation.SetSecret), portal.Vault.Count(KeyVaultOperation.DeleteSecret));

        await using (await SqliteWriteLock.TakeAsync(portal.Factory.DataDirectory))
        {
            await ClickAsync(provider, () => Button(provider, "Save"));
            provider.WaitForAssertion(() => Assert.Contains(Busy, provider.Markup, StringComparison.Ordinal), Patience);
        }

        Assert.False(dialog.Result.IsCompleted, "the dialog closed");
        Assert.Equal(name, Field(provider, "Name").GetAttribute("value"));
        Assert.True(Field(provider, "API key").GetAttribute("value") == credential, "the typed key was lost");
        Assert.Equal(setsBefore + 1, portal.Vault.Count(KeyVaultOperation.SetSecret));
        Assert.Equal(deletesBefore + 1, portal.Vault.Count(KeyVaultOperation.DeleteSecret));
        Assert.Equal(secretsBefore, portal.Vault.SecretNames.Count);
        Assert.False(await KeyExistsAsync(name), "a key row was written");
        Assert.False(portal.Factory.Logs.AllText.Contains(credential, StringComparison.Ordinal), "the logs hold the credential");

        await ClickAsync(provider, () => Button(provider, "Save"));
        var result = await dialog.Result.WaitAsync(Patience, Ct);

        Assert.IsType<ProviderKeySaved>(result!.Data);
        Assert.True(await KeyExistsAsync(name), "the key was not saved once the lock was gone");
        Assert.Equal(secretsBefore + 1, portal.Vault.SecretNames.Count);
    }

    [Fact]
    public async Task AddApiKey_SecretStoreDown_KeepsTheInputSaysSoAndSavesOnceItIsBack()
    {
        var oscar = await portal.ActorAsync(DemoSignIn.WebOwner);
        await using var context = new Context(portal.Factory.Services);
        await context.SignInAsync(oscar);
        var (provider, dialog) = await ShowKeyDialogAsync(context);
        var name = "Vault down " + Guid.NewGuid().ToString("N")[..6];
        var credential = "sk-test-" + Guid.NewGuid().ToString("N");
        Field(provider, "Name").Change(name);
        Field(provider, "API key").Change(credential);

        portal.Vault.Down = true;
        try
        {
            await ClickAsync(provider, () => Button(provider, "Save"));
            provider.WaitForAssertion(() => Assert.Contains(StoreDown, provider.Markup, StringComparison.Ordinal), Patience);
        }
        finally
        {
            portal.Vault.Down = false;
        }

        Assert.False(dialog.Result.IsCompleted, "the dialog closed");
        Assert.Equal(name, Field(provider, "Name").GetAttribute("value"));
        Assert.True(Field(provider, "API key").GetAttribute("value") == credential, "the typed key was lost");
        Assert.False(await KeyExistsAsync(name), "a key row was written without its secret");
        Assert.False(portal.Factory.Logs.AllText.Contains(credential, StringComparison.Ordinal), "the logs hold the credential");

        await ClickAsync(provider, () => Button(provider, "Save"));
        var result = await dialog.Result.WaitAsync(Patience, Ct);

        Assert.IsType<ProviderKeySaved>(result!.Data);
        Assert.True(await KeyExistsAsync(name), "the key was not saved once the vault was back");
    }

    [Fact]
    public async Task NewOrganization_DatabaseLocked_KeepsNameAndSlugSaysSoAndCreatesOnceReleased()
    {
        var ada = await portal.ActorAsync(DemoSignIn.EnterpriseOwner);
        await using var context = new Context(portal.Factory.Services);
        await context.SignInAsync(ada);
        var (provider, dialog) = await ShowAsync(context, "New organization", new DialogParameters<NewOrganizationDialog> { { d => d.Enterprise, "contoso" } });
        var suffix = Guid.NewGuid().ToString("N")[..6];
        Field(provider, "Name").Input($"Fault Lab {suffix}");
        var slug = $"fault-lab-{suffix}";
        Assert.Equal(slug, Field(provider, "Slug").GetAttribute("value"));

        await using (await SqliteWriteLock.TakeAsync(portal.Factory.DataDirectory))
        {
            await ClickAsync(provider, () => Button(provider, "Create organization"));
            provider.WaitForAssertion(() => Assert.Contains(Busy, provider.Markup, StringComparison.Ordinal), Patience);
        }

        Assert.False(dialog.Result.IsCompleted, "the dialog closed");
        Assert.Equal($"Fault Lab {suffix}", Field(provider, "Name").GetAttribute("value"));
        Assert.Equal(slug, Field(provider, "Slug").GetAttribute("value"));
        Assert.False(await OrganizationExistsAsync(slug), "the organization was written");

        await ClickAsync(provider, () => Button(provider, "Create organization"));
        var result = await dialog.Result.WaitAsync(Patience, Ct);

        Assert.IsType<OrganizationCreated>(result!.Data);
        Assert.True(await OrganizationExistsAsync(slug), "the organization was not created once the lock was gone");
    }

    [Fact]
    public async Task PersonRoles_DatabaseLocked_KeepsTheChosenRoleSaysSoAndSavesOnceReleased()
    {
        var ada = await portal.ActorAsync(DemoSignIn.EnterpriseOwner);
        var email = $"fault.{Guid.NewGuid().ToString("N")[..6]}@contoso.test";
        PersonRow person;
        using (var scope = portal.Factory.Services.CreateScope())
        {
            var added = await scope.ServiceProvider.GetRequiredService<AddPersonCommand>().ExecuteAsync(ada, "contoso", new AddPersonInput(email, null, false, []), Ct);
            Assert.True(added.IsSuccess, added.Error?.Message);
            person = (await scope.ServiceProvider.GetRequiredService<ListPeopleQuery>().ExecuteAsync(ada, "contoso", email, 0, 10, Ct)).Value.Items.Single();
        }

        await using var context = new Context(portal.Factory.Services);
        await context.SignInAsync(ada);
        var (provider, dialog) = await ShowAsync(context, $"Roles of {email}", new DialogParameters<PersonRolesDialog> { { d => d.Enterprise, "contoso" }, { d => d.Person, person } });
        Switch(provider, "Enterprise owner").Change(true);

        await using (await SqliteWriteLock.TakeAsync(portal.Factory.DataDirectory))
        {
            await ClickAsync(provider, () => Button(provider, "Save roles"));
            provider.WaitForAssertion(() => Assert.Contains(Busy, provider.Markup, StringComparison.Ordinal), Patience);
        }

        Assert.False(dialog.Result.IsCompleted, "the dialog closed");
        Assert.True(((AngleSharp.Html.Dom.IHtmlInputElement)Switch(provider, "Enterprise owner")).IsChecked, "the choice was lost");
        Assert.False(await IsEnterpriseOwnerAsync(person.PersonId), "the role was written");

        await ClickAsync(provider, () => Button(provider, "Save roles"));
        var result = await dialog.Result.WaitAsync(Patience, Ct);

        Assert.False(result!.Canceled);
        Assert.True(await IsEnterpriseOwnerAsync(person.PersonId), "the role was not saved once the lock was gone");
    }

    [Fact]
    public async Task AddGroupMapping_DatabaseLocked_KeepsGroupAndRoleSaysSoAndSavesOnceReleased()
    {
        var ada = await portal.ActorAsync(DemoSignIn.EnterpriseOwner);
        await using var context = new Context(portal.Factory.Services);
        await context.SignInAsync(ada);
        var (provider, dialog) = await ShowAsync(context, "Add group mapping", new DialogParameters<AddGroupMappingDialog> { { d => d.Enterprise, "contoso" } });
        var groupId = Guid.NewGuid().ToString();
        Field(provider, "Group object ID").Input(groupId);
        var role = provider.FindComponent<MudSelect<MappedRole>>();
        await provider.InvokeAsync(() => role.Instance.ValueChanged.InvokeAsync(MappedRole.EnterpriseOwner));

        await using (await SqliteWriteLock.TakeAsync(portal.Factory.DataDirectory))
        {
            await ClickAsync(provider, () => Button(provider, "Add mapping"));
            provider.WaitForAssertion(() => Assert.Contains(Busy, provider.Markup, StringComparison.Ordinal), Patience);
        }

        Assert.False(dialog.Result.IsCompleted, "the dialog closed");
        Assert.Equal(groupId, Field(provider, "Group object ID").GetAttribute("value"));
        Assert.Null(await MappedRoleAsync(groupId));

        await ClickAsync(provider, () => Button(provider, "Add mapping"));
        var result = await dialog.Result.WaitAsync(Patience, Ct);

        Assert.False(result!.Canceled);
        Assert.Equal(MappedRole.EnterpriseOwner, await MappedRoleAsync(groupId));
    }

    private static async Task<(IRenderedComponent<MudDialogProvider> Provider, IDialogReference Dialog)> ShowAsync<TDialog>(
        Context context, string title, DialogParameters<TDialog> parameters)
        where TDialog : Microsoft.AspNetCore.Components.IComponent
    {
        var provider = context.Render<MudDialogProvider>();
        var dialogs = context.Services.GetRequiredService<IDialogService>();
        IDialogReference? reference = null;
        await provider.InvokeAsync(async () => reference = await dialogs.ShowAsync<TDialog>(title, parameters));
        return (provider, reference!);
    }

    private static async Task<(IRenderedComponent<MudDialogProvider> Provider, IDialogReference Dialog)> ShowKeyDialogAsync(Context context)
    {
        var shown = await ShowAsync(context, "Add API key", new DialogParameters<ProviderKeyDialog> { { d => d.Scope, KeyScope.Organization("contoso-web") } });
        shown.Provider.WaitForAssertion(() => Assert.NotNull(Field(shown.Provider, "Name")), Patience);
        return shown;
    }

    /// <summary>The input a visible label names, the way a person finds it.</summary>
    private static IElement Field(IRenderedComponent<MudDialogProvider> provider, string label)
    {
        var found = provider.FindAll("label").First(l => l.TextContent.Replace("*", "", StringComparison.Ordinal).Trim() == label);
        return provider.Find("#" + found.GetAttribute("for"));
    }

    private static IElement Radio(IRenderedComponent<MudDialogProvider> provider, string label) =>
        provider.FindAll(".mud-radio").First(r => r.TextContent.Trim() == label).QuerySelector("input[type=radio]")!;

    private static IElement Switch(IRenderedComponent<MudDialogProvider> provider, string label) =>
        provider.FindAll("label.mud-switch").First(l => l.TextContent.Trim() == label).QuerySelector("input[type=checkbox]")!;

    /// <summary>
    /// Finds the element and clicks it on the renderer's dispatcher: no render can come between (a render retires the event handler the
    /// element was found with, and the click would then fail with an unknown handler).
    /// </summary>
    private static Task ClickAsync(IRenderedComponent<MudDialogProvider> provider, Func<IElement> find) => provider.InvokeAsync(() => find().Click());

    private static IElement Button(IRenderedComponent<MudDialogProvider> provider, string text) =>
        provider.FindAll("button").Single(b => b.TextContent.Trim() == text);

    private async Task<bool> KeyExistsAsync(string name)
    {
        await using var db = await portal.Factory.Services.GetRequiredService<IPortalDbContextFactory>().CreateAsync(Ct);
        return await db.ProviderKeys.AnyAsync(k => k.Name == name, Ct);
    }

    private async Task<bool> OrganizationExistsAsync(string slug)
    {
        await using var db = await portal.Factory.Services.GetRequiredService<IPortalDbContextFactory>().CreateAsync(Ct);
        return await db.Organizations.AnyAsync(o => o.Slug == slug, Ct);
    }

    private async Task<bool> IsEnterpriseOwnerAsync(Guid personId)
    {
        await using var db = await portal.Factory.Services.GetRequiredService<IPortalDbContextFactory>().CreateAsync(Ct);
        return await db.EnterpriseMemberships.AnyAsync(m => m.PersonId == personId && m.Role == EnterpriseRole.Owner, Ct);
    }

    /// <summary>The role the group is mapped to (null: not mapped); the chosen role surviving the fault shows here after the retry.</summary>
    private async Task<MappedRole?> MappedRoleAsync(string groupId)
    {
        await using var db = await portal.Factory.Services.GetRequiredService<IPortalDbContextFactory>().CreateAsync(Ct);
        return await db.GroupMappings.Where(m => m.GroupId == groupId).Select(m => (MappedRole?)m.Role).SingleOrDefaultAsync(Ct);
    }

    private async Task<ModelAccessMode> AccessModeAsync(Guid modelId)
    {
        await using var db = await portal.Factory.Services.GetRequiredService<IPortalDbContextFactory>().CreateAsync(Ct);
        return await db.CustomModels.Where(m => m.Id == modelId).Select(m => m.AccessMode).SingleAsync(Ct);
    }

    /// <summary>An enabled enterprise model no organization has access to yet, added through the real use case (a keyless Ollama key).</summary>
    private async Task<(Actor Ada, Guid ModelId)> AddEnterpriseModelAsync()
    {
        var ada = await portal.ActorAsync(DemoSignIn.EnterpriseOwner);
        using var scope = portal.Factory.Services.CreateScope();
        var input = new ProviderKeyInput { Provider = ProviderKind.Ollama, Name = "Local " + Guid.NewGuid().ToString("N")[..6], BaseUrl = "http://127.0.0.1:11434/v1" };
        input = input with { ModelIds = [.. input.ModelIds, "gpt-4o"] };
        var saved = await scope.ServiceProvider.GetRequiredService<AddProviderKeyCommand>().ExecuteAsync(ada, KeyScope.Enterprise("contoso"), input, Ct);
        Assert.True(saved.IsSuccess, saved.Error?.Message);
        await using var db = await scope.ServiceProvider.GetRequiredService<IPortalDbContextFactory>().CreateAsync(Ct);
        return (ada, await db.CustomModels.Where(m => m.ProviderKeyId == saved.Value.Id).Select(m => m.Id).SingleAsync(Ct));
    }
}
