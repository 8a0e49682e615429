using ByokPortal.Core.Access;
using System.Net;
using ByokPortal.Core.Common;
using ByokPortal.Core.Data;
using ByokPortal.Core.ProviderKeys;
using ByokPortal.Core.Secrets;
using ByokPortal.Testing;
using ByokPortal.Web.Tests.Authorization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ByokPortal.Web.Tests.Security;

/// <summary>
/// A credential goes from the form to the secret store and nowhere else: not the SQLite file (nor its WAL), not the data directory
/// outside the encrypted store, not the logs (all levels, Trace included), not any HTTP response, not an audit event.
/// </summary>
public sealed class SecretHygieneTests : IAsyncLifetime
{
    private const string Credential = "sk-test-hygiene-Zq8vN3pL5tR1xW7yK2mB9cD4";

    private readonly PortalAppFactory _factory = new();
    private ProviderStandIn _provider = default!;

    public async ValueTask InitializeAsync()
    {
        _provider = await ProviderStandIn.StartAsync(acceptedKey: Credential);
        _factory.WithSetting("Portal:Providers:Timeout", "00:00:30");
        _ = _factory.Server;
    }

    public async ValueTask DisposeAsync()
    {
        await _factory.DisposeAsync();
        await _provider.DisposeAsync();
    }

    [Fact]
    public async Task SecretStore_CredentialWritten_AppearsNowhereElse()
    {
        var secrets = _factory.Services.GetRequiredService<ISecretStore>();
        var reference = await secrets.CreateAsync(Credential, TestContext.Current.CancellationToken);
        Assert.Equal(Credential, await secrets.GetAsync(reference, TestContext.Current.CancellationToken));

        await AssertCredentialNowhereAsync();
    }

    [Fact]
    public async Task AddKey_ThroughTheUseCasesWithFetchAndTest_CredentialOnlyInTheSecretStore()
    {
        using var scope = _factory.Services.CreateScope();
        var actor = await ActorAsync(scope.ServiceProvider, DemoSignIn.EnterpriseOwner);
        var enterprise = KeyScope.Enterprise(AuthorizationMatrix.Enterprise);

        // What the form does: fetch with the typed key (once wrong, so the provider's error body echoes it), save, then test the saved key.
        var wrong = new ProviderKeyInput { Provider = ProviderKind.OpenAI, Name = "Hygiene", BaseUrl = _provider.OpenAIBaseUrl, Credential = Credential + "-wrong" };
        var refused = await scope.ServiceProvider.GetRequiredService<FetchProviderModelsQuery>().ExecuteAsync(actor, enterprise, wrong, null, TestContext.Current.CancellationToken);
        Assert.False(refused.IsSuccess);
        Assert.False(refused.Error!.Message.Contains(Credential, StringComparison.Ordinal), "the fetch error echoed the key");

        var input = new ProviderKeyInput { Provider = ProviderKind.OpenAI, Name = "Hygiene", BaseUrl = _provider.OpenAIBaseUrl, Credential = Credential };
        var fetched = await scope.ServiceProvider.GetRequiredService<FetchProviderModelsQuery>().ExecuteAsync(actor, enterprise, input, null, TestContext.Current.CancellationToken);
        Assert.True(fetched.IsSuccess);
        input = input with { ModelIds = [.. input.ModelIds, fetched.Value.Models[0]] };
        var saved = await scope.ServiceProvider.GetRequiredService<AddProviderKeyCommand>().ExecuteAsync(actor, enterprise, input, TestContext.Current.CancellationToken);
        Assert.True(saved.IsSuccess);
        Assert.Equal("••••" + Credential[^4..], saved.Value.MaskedHint);
        var tested = await scope.ServiceProvider.GetRequiredService<TestProviderKeyCommand>().ExecuteAsync(actor, enterprise, saved.Value.Id, TestContext.Current.CancellationToken);
        Assert.Equal(CredentialTestStatus.Succeeded, tested.Value.Status);

        // Edit with the field left empty keeps it; the stored reference still reads the credential back.
        await using (var db = await scope.ServiceProvider.GetRequiredService<IPortalDbContextFactory>().CreateAsync(TestContext.Current.CancellationToken))
        {
            var key = await db.ProviderKeys.SingleAsync(k => k.Id == saved.Value.Id, TestContext.Current.CancellationToken);
            Assert.Equal(Credential, await scope.ServiceProvider.GetRequiredService<ISecretStore>().GetAsync(key.SecretReference!, TestContext.Current.CancellationToken));
            Assert.DoesNotContain(await db.AuditEvents.Select(e => e.Details ?? "").ToListAsync(TestContext.Current.CancellationToken), d => d.Contains(Credential, StringComparison.Ordinal));
        }

        await AssertCredentialNowhereAsync();
    }

    private async Task AssertCredentialNowhereAsync()
    {
        // Every page and endpoint, as every persona, including the key lists and the audit log and its CSV export.
        foreach (var email in new[] { DemoSignIn.EnterpriseOwner, DemoSignIn.WebOwner, DemoSignIn.WebMember })
        {
            using var client = await _factory.CreateSignedInClientAsync(email);
            foreach (var routeCase in AuthorizationMatrix.Cases.Where(c => c.Method == "GET"))
            {
                using var response = await client.GetAsync(new Uri(routeCase.Url, UriKind.Relative), TestContext.Current.CancellationToken);
                var body = await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);
                Assert.False(SecretScanner.Contains(body, Credential), $"GET {routeCase.Url} as {email} answered {(int)response.StatusCode} with the credential in it");
                Assert.False(response.Headers.ToString().Contains(Credential, StringComparison.Ordinal), $"GET {routeCase.Url} headers carried the credential");
            }
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        var outsideTheStore = SecretScanner.FilesContaining(_factory.DataDirectory, Credential);
        Assert.True(outsideTheStore.Count == 0, "the credential was found in plain form in: " + string.Join(", ", outsideTheStore));
        Assert.False(SecretScanner.Contains(_factory.Logs.AllText, Credential), "the credential appeared in the logs");
        Assert.Contains(_factory.Logs.Lines, l => l.StartsWith("Trace", StringComparison.Ordinal) || l.StartsWith("Debug", StringComparison.Ordinal));
    }

    private async Task<Actor> ActorAsync(IServiceProvider services, string email)
    {
        await using var db = await services.GetRequiredService<IPortalDbContextFactory>().CreateAsync(TestContext.Current.CancellationToken);
        var id = await db.People.Where(p => p.Email == email).Select(p => p.Id).SingleAsync(TestContext.Current.CancellationToken);
        return new Actor(id, email, "127.0.0.1");
    }
}
