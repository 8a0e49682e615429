using ByokPortal.Core.Common;
using ByokPortal.Core.Usage;
using ByokPortal.Testing;

namespace ByokPortal.Core.Tests.Usage;

/// <summary>
/// The usage behind the organization's API keys page and the enterprise's usage page: the right rows in the right hourly or daily bucket
/// (UTC, edges included or not), totals of requests, tokens and errors, names of what they belong to, and only for owners who may see them.
/// </summary>
public sealed class UsageQueriesTests(UsageFixture fixture) : IClassFixture<UsageFixture>
{
    private static CancellationToken Ct => PortalFixture.Ct;

    private async Task<UsageReport> OrganizationAsync(UsagePeriod period, UsageDimension by, string who = DemoSignIn.WebOwner)
    {
        await fixture.SeedAsync();
        var result = await fixture.Get<GetOrganizationUsageQuery>().ExecuteAsync(await fixture.ActorAsync(who), "contoso-web", period, by, Ct);
        Assert.True(result.IsSuccess, result.Error?.Message);
        return result.Value;
    }

    private async Task<UsageReport> EnterpriseAsync(UsagePeriod period, UsageDimension by)
    {
        await fixture.SeedAsync();
        var result = await fixture.Get<GetEnterpriseUsageQuery>().ExecuteAsync(await fixture.ActorAsync(DemoSignIn.EnterpriseOwner), "contoso", period, by, Ct);
        Assert.True(result.IsSuccess, result.Error?.Message);
        return result.Value;
    }

    private static Dictionary<string, UsageTotals> Totals(UsageReport report) => report.Subjects.ToDictionary(s => s.Label, s => s.Total);

    [Fact]
    public async Task Organization_Last24Hours_PerApiKey_HourlyBucketsEndingThisHour()
    {
        var report = await OrganizationAsync(UsagePeriod.Last24Hours, UsageDimension.ApiKey);

        Assert.True(report.Window.IsHourly);
        Assert.Equal(24, report.Window.Buckets.Count);
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 10, 0, 0, TimeSpan.Zero), report.Window.Buckets[0]);
        Assert.Equal(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero), report.Window.Buckets[^1]);
        Assert.Equal(
            new Dictionary<string, UsageTotals>
            {
                ["usage-app-a"] = new(2, 16, 10, 0),
                ["usage-app-b"] = new(2, 0, 0, 2),
                ["(deleted)"] = new(1, 0, 0, 0),
            },
            Totals(report));
        var appB = report.Subjects.Single(s => s.Label == "usage-app-b");
        Assert.Equal(1, appB.PerBucket[0].Requests);   // 03-01 10:30, the first hour counted
        Assert.Equal(1, appB.PerBucket[22].Errors);    // 08:10 today
        var appA = report.Subjects.Single(s => s.Label == "usage-app-a");
        Assert.Equal((1, 1), (appA.PerBucket[22].Requests, appA.PerBucket[23].Requests));
        Assert.Equal(new UsageTotals(5, 16, 10, 2), report.Total);
    }

    [Fact]
    public async Task Organization_Last24Hours_PerModel()
    {
        var report = await OrganizationAsync(UsagePeriod.Last24Hours, UsageDimension.Model);

        Assert.Equal(
            new Dictionary<string, UsageTotals> { ["gpt-4o"] = new(4, 16, 10, 1), ["o3-mini"] = new(1, 0, 0, 1) },
            Totals(report));
        Assert.Equal("gpt-4o", report.Subjects[0].Label);
    }

    [Fact]
    public async Task Organization_Last7Days_DailyBucketsFromMidnightUtc()
    {
        var report = await OrganizationAsync(UsagePeriod.Last7Days, UsageDimension.ApiKey);

        Assert.False(report.Window.IsHourly);
        Assert.Equal(new DateTimeOffset(2026, 2, 24, 0, 0, 0, TimeSpan.Zero), report.Window.Buckets[0]);
        Assert.Equal(new DateTimeOffset(2026, 3, 2, 0, 0, 0, TimeSpan.Zero), report.Window.Buckets[^1]);
        var appA = report.Subjects.Single(s => s.Label == "usage-app-a");
        Assert.Equal(new UsageTotals(4, 117, 61, 0), appA.Total);
        Assert.Equal([1L, 0, 0, 0, 0, 1, 2], appA.PerBucket.Select(b => b.Requests));
        Assert.Equal([0L, 0, 0, 0, 0, 1, 1], report.Subjects.Single(s => s.Label == "usage-app-b").PerBucket.Select(b => b.Requests));
    }

    [Fact]
    public async Task Organization_Last30Days_IncludesItsFirstDayOnly()
    {
        var report = await OrganizationAsync(UsagePeriod.Last30Days, UsageDimension.Model, DemoSignIn.EnterpriseOwner);

        Assert.Equal(30, report.Window.Buckets.Count);
        Assert.Equal(new DateTimeOffset(2026, 2, 1, 0, 0, 0, TimeSpan.Zero), report.Window.Buckets[0]);
        Assert.Equal(
            new Dictionary<string, UsageTotals> { ["gpt-4o"] = new(7, 1117, 61, 1), ["o3-mini"] = new(1, 0, 0, 1), ["(no model)"] = new(1, 0, 0, 1) },
            Totals(report));
        Assert.Equal(1, report.Subjects.Single(s => s.Label == "(no model)").PerBucket[0].Requests);
    }

    [Fact]
    public async Task Enterprise_PerOrganization_OnlyItsOwnOrganizations_AnArchivedOneKeepsItsUsageMarkedArchived()
    {
        var report = await EnterpriseAsync(UsagePeriod.Last24Hours, UsageDimension.Organization);

        Assert.Equal(
            new Dictionary<string, UsageTotals>
            {
                ["Contoso Web"] = new(5, 16, 10, 2),
                ["Contoso Data"] = new(1, 2, 2, 0),
                [fixture.ArchivedOrganizationName + " (archived)"] = new(1, 3, 1, 0),
            },
            Totals(report));
    }

    [Fact]
    public async Task Enterprise_PerProviderKey_CallsWithoutAKeySaySo()
    {
        var report = await EnterpriseAsync(UsagePeriod.Last30Days, UsageDimension.ProviderKey);

        Assert.Equal(
            new Dictionary<string, UsageTotals> { [fixture.ProviderKeyName] = new(10, 1122, 64, 2), ["(no key chosen)"] = new(1, 0, 0, 1) },
            Totals(report));
    }

    [Theory]
    [InlineData(DemoSignIn.WebMember, typeof(ForbiddenError))]
    [InlineData(DemoSignIn.DataOwner, typeof(NotFoundError))]
    public async Task Organization_NotAnOwner_Refused(string who, Type expected)
    {
        await fixture.SeedAsync();

        var result = await fixture.Get<GetOrganizationUsageQuery>().ExecuteAsync(await fixture.ActorAsync(who), "contoso-web", UsagePeriod.Last24Hours, UsageDimension.ApiKey, Ct);

        Assert.IsType(expected, result.Error);
    }

    [Theory]
    [InlineData(DemoSignIn.WebOwner)]
    [InlineData(DemoSignIn.WebMember)]
    public async Task Enterprise_NotAnEnterpriseOwner_NotFound(string who)
    {
        await fixture.SeedAsync();

        var result = await fixture.Get<GetEnterpriseUsageQuery>().ExecuteAsync(await fixture.ActorAsync(who), "contoso", UsagePeriod.Last24Hours, UsageDimension.Organization, Ct);

        Assert.IsType<NotFoundError>(result.Error);
    }

    [Fact]
    public async Task Organization_PerOrganization_RefusedAsAnUnknownBreakdown()
    {
        var result = await fixture.Get<GetOrganizationUsageQuery>().ExecuteAsync(
            await fixture.ActorAsync(DemoSignIn.WebOwner), "contoso-web", UsagePeriod.Last24Hours, UsageDimension.Organization, Ct);

        Assert.IsType<ValidationError>(result.Error);
    }
}
