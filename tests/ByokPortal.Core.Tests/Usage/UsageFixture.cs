using ByokPortal.Core.Access;
using ByokPortal.Core.ApiKeys;
using ByokPortal.Core.Organizations;
using ByokPortal.Core.ProviderKeys;
using ByokPortal.Core.Usage;
using ByokPortal.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ByokPortal.Core.Tests.Usage;

/// <summary>
/// The portal on a clock standing at 2026-03-02 09:30 UTC, with usage rows (as the runtime's usage writer writes them) at the edges of each
/// period: for contoso-web's API keys "usage-app-a" and "usage-app-b", contoso-data's "data-app", an organization archived after its call
/// (<see cref="ArchivedOrganizationName"/>), and an organization of another enterprise.
/// </summary>
public sealed class UsageFixture : PortalFixture
{
    private readonly SemaphoreSlim _seeding = new(1, 1);
    private bool _seeded;

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 3, 2, 9, 30, 0, TimeSpan.Zero));

    public DateTimeOffset Now => Clock.GetUtcNow();

    public string ProviderKeyName { get; } = TestData.UniqueName("Usage key");

    public string ArchivedOrganizationName { get; } = TestData.UniqueName("Usage archived");

    protected override void Configure(PortalAppFactory factory) =>
        factory.WithServices(services => services.AddSingleton<TimeProvider>(Clock));

    public async Task SeedAsync()
    {
        await _seeding.WaitAsync(Ct);
        try
        {
            if (!_seeded)
            {
                await SeedOnceAsync();
                _seeded = true;
            }
        }
        finally
        {
            _seeding.Release();
        }
    }

    private async Task SeedOnceAsync()
    {
        var steps = new PortalSteps(this);
        var ada = await ActorAsync(DemoSignIn.EnterpriseOwner);
        var appA = await steps.IssueApiKeyAsync(ada, "contoso-web", "usage-app-a");
        var appB = await steps.IssueApiKeyAsync(ada, "contoso-web", "usage-app-b");
        var dataApp = await steps.IssueApiKeyAsync(ada, "contoso-data", "data-app");
        var (keyId, _) = await steps.AddKeyAsync(ada, KeyScope.Enterprise("contoso"), ProviderKeyName, null, "gpt-4o");
        var web = await OrganizationIdAsync("contoso-web");
        var data = await OrganizationIdAsync("contoso-data");
        var other = await OtherEnterpriseOrganizationIdAsync();
        var archived = await Get<CreateOrganizationCommand>().ExecuteAsync(ada, "contoso",
            new CreateOrganizationInput(ArchivedOrganizationName, $"usage-archived-{Guid.NewGuid():N}"[..24]), Ct);
        Assert.True(archived.IsSuccess, archived.Error?.Message);
        var archivedApp = await steps.IssueApiKeyAsync(ada, archived.Value.Slug, "archived-app");

        await using var db = await DbAsync();
        var contoso = await db.Enterprises.Where(e => e.Slug == "contoso").Select(e => e.Id).SingleAsync(Ct);
        var fabrikam = await db.Organizations.Where(o => o.Id == other).Select(o => o.EnterpriseId).SingleAsync(Ct);
        var now = Now;
        UsageRecord Row(TimeSpan ago, Guid organization, Guid apiKey, string? model, Guid? providerKey, int status, int? prompt = null, int? completion = null, Guid? enterprise = null) =>
            new()
            {
                OccurredAt = now - ago,
                Hour = UsageRecord.HourOf(now - ago),
                EnterpriseId = enterprise ?? contoso,
                OrganizationId = organization,
                ApiKeyId = apiKey,
                ModelId = model,
                ProviderKeyId = providerKey,
                Operation = UsageOperation.ChatCompletions,
                StatusCode = status,
                PromptTokens = prompt,
                CompletionTokens = completion,
                DurationMs = 12,
            };

        await db.AppendUsageAsync(
        [
            Row(TimeSpan.FromMinutes(20), web, appA.Id, "gpt-4o", keyId, 200, 11, 7),                     // 09:10 today
            Row(TimeSpan.FromMinutes(80), web, appA.Id, "gpt-4o", keyId, 200, 5, 3),                      // 08:10
            Row(TimeSpan.FromMinutes(80), web, appB.Id, "o3-mini", keyId, 500),                           // 08:10, an error
            Row(TimeSpan.FromHours(23), web, appB.Id, "gpt-4o", keyId, 429),                              // 03-01 10:30: the first hour of 24
            Row(TimeSpan.FromHours(24), web, appA.Id, "gpt-4o", keyId, 200, 100, 50),                     // 03-01 09:30: outside 24 hours
            Row(new TimeSpan(6, 9, 25, 0), web, appA.Id, "gpt-4o", keyId, 200, 1, 1),                     // 02-24 00:05: the first of 7 days
            Row(new TimeSpan(6, 9, 31, 0), web, appA.Id, "gpt-4o", keyId, 200, 1000, 0),                  // 02-23 23:59: outside 7 days
            Row(new TimeSpan(29, 9, 30, 0), web, appB.Id, null, null, 404),                               // 02-01 00:00: the first of 30 days
            Row(new TimeSpan(29, 10, 30, 0), web, appB.Id, "gpt-4o", keyId, 200),                         // 01-31 23:00: outside 30 days
            Row(TimeSpan.FromMinutes(5), data, dataApp.Id, "gpt-4o", keyId, 200, 2, 2),                   // another organization
            Row(TimeSpan.FromMinutes(-150), web, appA.Id, "gpt-4o", keyId, 200),                          // a clock ahead: 12:00, not yet
            Row(TimeSpan.FromMinutes(10), web, Guid.NewGuid(), "gpt-4o", keyId, 200),                     // an API key no longer known
            Row(TimeSpan.FromMinutes(10), other, Guid.NewGuid(), "gpt-4o", null, 200, enterprise: fabrikam), // another enterprise
            Row(TimeSpan.FromMinutes(30), archived.Value.Id, archivedApp.Id, "gpt-4o", keyId, 200, 3, 1),       // archived since
        ], Ct);

        var archiving = await Get<ArchiveOrganizationCommand>().ExecuteAsync(ada, "contoso", archived.Value.Id, Ct);
        Assert.True(archiving.IsSuccess, archiving.Error?.Message);
    }
}
