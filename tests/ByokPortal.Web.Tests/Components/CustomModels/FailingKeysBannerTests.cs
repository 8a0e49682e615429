using Bunit;
using ByokPortal.Core.Access;
using ByokPortal.Core.Common;
using ByokPortal.Core.ProviderKeys;
using ByokPortal.Testing;
using ByokPortal.Web.Components.CustomModels;
using MudBlazor;

namespace ByokPortal.Web.Tests.Components.CustomModels;

/// <summary>
/// The failing-keys banner on the owner's key list, on the real portal with a provider stand-in: a key whose credential test fails is
/// named in the banner with a link to its row; a scope whose keys pass shows none; an organization owner's list never shows the
/// enterprise's failing keys (organization owners do not see enterprise keys at all, PRODUCT.md).
/// </summary>
public sealed class FailingKeysBannerTests(PortalFixture portal) : IClassFixture<PortalFixture>, IAsyncLifetime
{
    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    private ProviderStandIn _provider = default!;

    public async ValueTask InitializeAsync() => _provider = await ProviderStandIn.StartAsync();

    public async ValueTask DisposeAsync() => await _provider.DisposeAsync();

    private sealed class Context(IServiceProvider services) : PortalBunitContext(services)
    {
        public Task SignInAsync(string email) => SignInAsAsync(email);
    }

    /// <summary>Adds a key with the given credential and tests it, as the key's Test credentials button does.</summary>
    private async Task<(Guid Id, CredentialTestStatus Status)> AddAndTestAsync(string email, KeyScope scope, string name, string credential)
    {
        var actor = await portal.ActorAsync(email);
        var input = new ProviderKeyInput { Provider = ProviderKind.OpenAI, Name = name, BaseUrl = _provider.OpenAIBaseUrl, Credential = credential, ModelIds = ["gpt-4o"] };
        var added = await portal.RunAsync<AddProviderKeyCommand, Result<ProviderKeySaved>>(c => c.ExecuteAsync(actor, scope, input, Ct));
        Assert.True(added.IsSuccess, added.Error?.Message);
        var tested = await portal.RunAsync<TestProviderKeyCommand, Result<CredentialTestResult>>(c => c.ExecuteAsync(actor, scope, added.Value.Id, Ct));
        Assert.True(tested.IsSuccess, tested.Error?.Message);
        return (added.Value.Id, tested.Value.Status);
    }

    private static async Task<IRenderedComponent<ProviderKeysTab>> RenderListAsync(Context context, string email, KeyScope scope, string expectedKey)
    {
        await context.SignInAsync(email);
        context.Render<MudPopoverProvider>();
        var tab = context.Render<ProviderKeysTab>(p => p.Add(x => x.Scope, scope));
        tab.WaitForAssertion(() => Assert.Contains(tab.FindAll("tbody tr"), r => r.TextContent.Contains(expectedKey, StringComparison.Ordinal)));
        return tab;
    }

    [Fact]
    public async Task FailingKey_IsNamedInTheBannerWithALinkToItsRow_HealthyKeysAndOtherScopesShowNone()
    {
        var enterprise = KeyScope.Enterprise("contoso");
        var failing = await AddAndTestAsync(DemoSignIn.EnterpriseOwner, enterprise, "Enterprise revoked key", "sk-test-revoked-at-the-provider-000001");
        var healthy = await AddAndTestAsync(DemoSignIn.EnterpriseOwner, enterprise, "Enterprise good key", _provider.AcceptedKey);
        var webKey = await AddAndTestAsync(DemoSignIn.WebOwner, KeyScope.Organization("contoso-web"), "Web good key", _provider.AcceptedKey);
        Assert.Equal((CredentialTestStatus.Invalid, CredentialTestStatus.Succeeded, CredentialTestStatus.Succeeded), (failing.Status, healthy.Status, webKey.Status));

        // The enterprise owner: the failing key is named, linked to its row; the healthy one is not named.
        await using (var context = new Context(portal.Factory.Services))
        {
            var list = await RenderListAsync(context, DemoSignIn.EnterpriseOwner, enterprise, "Enterprise good key");
            var banner = list.Find("[role=alert]");
            Assert.Contains("1 key is failing", banner.TextContent, StringComparison.Ordinal);
            var link = banner.QuerySelector("a")!;
            Assert.Equal("Enterprise revoked key", link.TextContent.Trim());
            var target = link.GetAttribute("href")!.Split('#')[1];
            Assert.Contains("Enterprise revoked key", list.Find($"#{target}").TextContent, StringComparison.Ordinal);
            Assert.DoesNotContain("Enterprise good key", banner.TextContent, StringComparison.Ordinal);
        }

        // The owner of contoso-web, whose keys pass: no banner, although an enterprise key is failing.
        await using (var context = new Context(portal.Factory.Services))
        {
            var list = await RenderListAsync(context, DemoSignIn.WebOwner, KeyScope.Organization("contoso-web"), "Web good key");
            Assert.Empty(list.FindAll("[role=alert]"));
            Assert.DoesNotContain("Enterprise revoked key", list.Markup, StringComparison.Ordinal);
        }

        // Once the failing key is gone, the enterprise's remaining (healthy) keys show no banner.
        await using (var context = new Context(portal.Factory.Services))
        {
            var ada = await portal.ActorAsync(DemoSignIn.EnterpriseOwner);
            var deleted = await portal.RunAsync<DeleteProviderKeyCommand, Result<Done>>(c => c.ExecuteAsync(ada, enterprise, failing.Id, Ct));
            Assert.True(deleted.IsSuccess, deleted.Error?.Message);
            var list = await RenderListAsync(context, DemoSignIn.EnterpriseOwner, enterprise, "Enterprise good key");
            Assert.Empty(list.FindAll("[role=alert]"));
        }
    }
}
