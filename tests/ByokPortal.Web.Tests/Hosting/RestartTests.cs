using System.Net;
using ByokPortal.Core.Access;
using ByokPortal.Core.Audit;
using ByokPortal.Core.Common;
using ByokPortal.Core.Data;
using ByokPortal.Core.ProviderKeys;
using ByokPortal.Core.Secrets;
using ByokPortal.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ByokPortal.Web.Tests.Hosting;

/// <summary>A second start over the same data directory still has people, roles, key references (readable secrets) and audit events.</summary>
public sealed class RestartTests
{
    private const string Credential = "sk-test-restart-7Hn2Qw9Lm4Kx";

    [Fact]
    public async Task Start_SecondTimeOverSameDataDirectory_KeepsEverything()
    {
        using var data = new TempDirectory("byokportal-restart");
        Guid keyId;
        await using (var first = new PortalAppFactory(data.Path))
        {
            using (var client = await first.CreateSignedInClientAsync(DemoSignIn.EnterpriseOwner))
            {
                Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/", UriKind.Relative), TestContext.Current.CancellationToken)).StatusCode);
            }

            using var scope = first.Services.CreateScope();
            var actor = await ActorAsync(scope.ServiceProvider, DemoSignIn.EnterpriseOwner);
            var input = new ProviderKeyInput { Provider = ProviderKind.OpenAI, Name = "Survives restarts", Credential = Credential };
            input = input with { ModelIds = [.. input.ModelIds, "gpt-4o"] };
            var saved = await scope.ServiceProvider.GetRequiredService<AddProviderKeyCommand>().ExecuteAsync(actor, KeyScope.Enterprise("contoso"), input, TestContext.Current.CancellationToken);
            Assert.True(saved.IsSuccess);
            keyId = saved.Value.Id;
        }

        await using var second = new PortalAppFactory(data.Path);
        using var scope2 = second.Services.CreateScope();
        await using var db = await scope2.ServiceProvider.GetRequiredService<IPortalDbContextFactory>().CreateAsync(TestContext.Current.CancellationToken);

        Assert.Equal(4, await db.People.CountAsync(TestContext.Current.CancellationToken));
        var ada = await db.People.SingleAsync(p => p.Email == DemoSignIn.EnterpriseOwner, TestContext.Current.CancellationToken);
        var contoso = await db.Enterprises.SingleAsync(e => e.Slug == "contoso", TestContext.Current.CancellationToken);
        Assert.True(await db.IsEnterpriseOwnerAsync(ada.Id, contoso.Id, TestContext.Current.CancellationToken));
        Assert.Equal(OrganizationAccess.Owner, await db.GetOrganizationAccessBySlugAsync(
            (await db.People.SingleAsync(p => p.Email == DemoSignIn.WebOwner, TestContext.Current.CancellationToken)).Id, "contoso-web", TestContext.Current.CancellationToken));

        var key = await db.ProviderKeys.SingleAsync(k => k.Id == keyId, TestContext.Current.CancellationToken);
        Assert.Equal(Credential, await scope2.ServiceProvider.GetRequiredService<ISecretStore>().GetAsync(key.SecretReference!, TestContext.Current.CancellationToken));
        Assert.Equal(1, await db.CustomModels.CountAsync(m => m.ProviderKeyId == keyId, TestContext.Current.CancellationToken));

        var actions = await db.AuditEvents.Select(e => e.Action).ToListAsync(TestContext.Current.CancellationToken);
        Assert.Contains(AuditActions.SignIn, actions);
        Assert.Contains(AuditActions.ProviderKeyCreate, actions);

        // The sign-in cookie issued by the first start is still valid: the Data Protection key ring lives in the data directory too.
        using var client2 = await second.CreateSignedInClientAsync(DemoSignIn.WebMember);
        Assert.Equal(HttpStatusCode.OK, (await client2.GetAsync(new Uri("/", UriKind.Relative), TestContext.Current.CancellationToken)).StatusCode);
    }

    private static async Task<Actor> ActorAsync(IServiceProvider services, string email)
    {
        await using var db = await services.GetRequiredService<IPortalDbContextFactory>().CreateAsync(TestContext.Current.CancellationToken);
        var id = await db.People.Where(p => p.Email == email).Select(p => p.Id).SingleAsync(TestContext.Current.CancellationToken);
        return new Actor(id, email, "127.0.0.1");
    }
}
