using ByokPortal.Core.Access;
using System.Security.Claims;
using Bunit;
using ByokPortal.Core.CustomModels;
using ByokPortal.Core.ProviderKeys;
using ByokPortal.Testing;
using ByokPortal.Web.Components.CustomModels;
using ByokPortal.Web.Components.Enterprises.Usage;
using ByokPortal.Web.Components.Organizations.ApiKeys;
using ByokPortal.Web.Components.Organizations.ModelPicker;
using ByokPortal.Web.Tests.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace ByokPortal.Web.Tests.Scale;

/// <summary>
/// Issue 8, "Speed and scale": the pages an enterprise grows into render with the same small number of SQL commands whether it has 10
/// organizations, 5 models and no usage or 500 organizations, 300 models, 15,000 grants and 5,000 usage rows. Each page is rendered for
/// real (bUnit over the real use cases and SQLite) and every command its work sends is counted; a query per row would show at once.
/// </summary>
public sealed class BoundedQueriesTests(ScaleFixture fixture) : IClassFixture<ScaleFixture>
{
    /// <summary>
    /// No page may need more: each is a few scope checks (the person's session and role, read again by every use case) and set-based
    /// queries. The API keys page is the largest: its keys, its provider keys with their models and assignments, and its usage, 16 commands.
    /// </summary>
    private const int MaxCommands = 16;

    private sealed class Context(IServiceProvider services) : PortalBunitContext(services)
    {
        public Task SignInAsync(string email) => SignInAsAsync(email);
    }

    public static TheoryData<string> Pages() => ["Added models", "Model access", "Model picker", "API keys", "Enterprise usage"];

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task Page_SmallAndLargeEnterprise_SameSmallNumberOfSqlCommands(string page)
    {
        var small = await RenderAndCountAsync(page, fixture.Small);
        var large = await RenderAndCountAsync(page, fixture.Large);

        Xunit.TestContext.Current.TestOutputHelper?.WriteLine($"{page}: {small.Count} SQL commands for the small enterprise, {large.Count} for the large one.");
        var report = $"{page}: small {small.Count} commands, large {large.Count}.\n--- small:\n{string.Join("\n---\n", small)}\n--- large:\n{string.Join("\n---\n", large)}";
        Assert.True(small.Count is > 0 and <= MaxCommands, report);
        Assert.True(small.Count == large.Count, report);
    }

    /// <summary>Renders the page as the person it is for, waits until it shows all its data, and returns the SQL it sent.</summary>
    private async Task<IReadOnlyList<string>> RenderAndCountAsync(string page, ScaleEnterprise data)
    {
        var size = data.Size;
        var person = page switch
        {
            "Model picker" => data.Member,
            "API keys" => data.OrganizationOwner,
            _ => data.Owner,
        };
        await using var context = new Context(fixture.Factory.Services);
        await context.SignInAsync(person);
        context.Render<MudPopoverProvider>();
        var dialogs = context.Render<MudDialogProvider>();

        using var measured = CommandCounter.Measure();
        switch (page)
        {
            case "Added models":
                var added = context.Render<AddedModelsTab>(p => p.Add(x => x.Scope, KeyScope.Enterprise(data.Slug)));
                added.WaitForAssertion(() => Assert.Equal(size.EnterpriseModels, added.FindAll("table[aria-label='Added models'] tbody tr").Count), TimeSpan.FromSeconds(30));
                break;
            case "Model access":
                await dialogs.InvokeAsync(() => context.Services.GetRequiredService<IDialogService>().ShowAsync<ModelSettingsDialog>("model",
                    new DialogParameters<ModelSettingsDialog> { { d => d.Scope, KeyScope.Enterprise(data.Slug) }, { d => d.ModelId, data.ChosenModelId }, { d => d.OpenAccessTab, true } }));
                dialogs.WaitForAssertion(() => Assert.Contains($"{size.GrantsPerModel} of {size.Organizations} organizations selected", dialogs.Markup, StringComparison.Ordinal), TimeSpan.FromSeconds(30));
                break;
            case "Model picker":
                var picker = context.Render<ModelPickerPage>(p => p.Add(x => x.Org, data.OrganizationSlug));
                picker.WaitForAssertion(() => Assert.Equal(size.EnterpriseModels + (2 * size.OrganizationKeys) - 2, picker.FindAll(".portal-model-list li").Count), TimeSpan.FromSeconds(30));
                break;
            case "API keys":
                var apiKeys = context.Render<ApiKeysPage>(p => p.Add(x => x.Org, data.OrganizationSlug));
                apiKeys.WaitForAssertion(() =>
                {
                    Assert.Equal(size.ApiKeys, apiKeys.FindAll("table[aria-label='Organization API keys'] tbody tr").Count);
                    Assert.Equal(size.OrganizationKeys, apiKeys.FindAll("table[aria-label='Provider key assignment'] tbody tr").Count);
                    Assert.NotNull(apiKeys.Find("table[aria-label='Usage by API key']"));
                }, TimeSpan.FromSeconds(30));
                break;
            default:
                var usage = context.Render<EnterpriseUsagePage>(p => p.Add(x => x.Enterprise, data.Slug));
                usage.WaitForAssertion(() =>
                {
                    var rows = usage.FindAll("table[aria-label='Usage by organization'] tbody tr");
                    if (size.UsageRows == 0)
                    {
                        Assert.Contains("No calls in this period.", Assert.Single(rows).TextContent, StringComparison.Ordinal);
                    }
                    else
                    {
                        // About one organization in three called in the last 24 hours.
                        Assert.True(rows.Count > 100, $"{rows.Count} organizations listed");
                    }
                }, TimeSpan.FromSeconds(30));
                break;
        }

        return measured.Commands;
    }
}
