using System.Net;
using ByokPortal.Core.Usage;
using ByokPortal.Testing;
using Microsoft.EntityFrameworkCore;

namespace ByokPortal.Runtime.Tests.Usage;

public sealed class ShortRetentionUsageFixture : RuntimeFixture
{
    protected override void Configure(PortalAppFactory factory) => factory.WithSetting("Portal:Runtime:Usage:Retention", "2.00:00:00");
}

/// <summary>Usage is kept for Portal:Runtime:Usage:Retention: the usage writer deletes older rows and hourly totals, and nothing newer.</summary>
public sealed class UsageRetentionTests(ShortRetentionUsageFixture fixture) : IClassFixture<ShortRetentionUsageFixture>
{
    private readonly RuntimeSteps _steps = new(fixture);

    [Fact]
    public async Task Writer_DeletesRowsAndTotalsPastTheRetentionPeriod_AndKeepsTheRest()
    {
        var organizationId = await fixture.OrganizationIdAsync("contoso-web");
        var apiKey = Guid.NewGuid();
        var now = DateTimeOffset.UtcNow;
        UsageRecord Call(TimeSpan ago) => new()
        {
            OccurredAt = now - ago, Hour = UsageRecord.HourOf(now - ago), EnterpriseId = Guid.NewGuid(), OrganizationId = organizationId, ApiKeyId = apiKey,
            ModelId = "retained", Operation = UsageOperation.Resolve, StatusCode = 200,
        };
        await using (var db = await fixture.DbAsync())
        {
            await db.AppendUsageAsync([Call(TimeSpan.FromDays(3)), Call(TimeSpan.FromDays(2.5)), Call(TimeSpan.FromDays(1)), Call(TimeSpan.FromMinutes(5))], RuntimeFixture.Ct);
        }

        // A call wakes the usage writer, which deletes what is past the retention after writing its batch.
        var model = RuntimeSteps.UniqueModel("gpt");
        var app = await _steps.IssueApiKeyAsync("contoso-web");
        await _steps.AddEnterpriseKeyForAllAsync("Retention " + model, [model]);
        await fixture.RefreshAsync();
        Assert.Equal(HttpStatusCode.OK, (await fixture.Client(app.Token).ResolveAsync(model)).Status);

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        List<DateTimeOffset> kept;
        do
        {
            await Task.Delay(100, RuntimeFixture.Ct);
            await using var db = await fixture.DbAsync();
            kept = await db.UsageRecords.AsNoTracking().Where(u => u.ApiKeyId == apiKey).Select(u => u.OccurredAt).ToListAsync(RuntimeFixture.Ct);
        }
        while (kept.Count > 2 && DateTime.UtcNow < deadline);

        Assert.Equal([(now - TimeSpan.FromDays(1)).ToUnixTimeSeconds(), (now - TimeSpan.FromMinutes(5)).ToUnixTimeSeconds()], kept.Select(k => k.ToUnixTimeSeconds()).Order());
        await using var read = await fixture.DbAsync();
        var hours = await read.UsageHours.AsNoTracking().Where(u => u.ApiKeyId == apiKey).Select(u => u.Hour).ToListAsync(RuntimeFixture.Ct);
        Assert.Equal([UsageRecord.HourOf(now - TimeSpan.FromDays(1)), UsageRecord.HourOf(now - TimeSpan.FromMinutes(5))], hours.Order());
    }
}
