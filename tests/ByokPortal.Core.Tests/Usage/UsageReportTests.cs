using ByokPortal.Core.Usage;

namespace ByokPortal.Core.Tests.Usage;

/// <summary>The chart's lines: the subjects with the highest totals of the metric shown, the rest added up as "Other".</summary>
public sealed class UsageReportTests
{
    private static readonly UsageWindow Window = UsageWindow.For(UsagePeriod.Last7Days, new DateTimeOffset(2026, 3, 2, 9, 30, 0, TimeSpan.Zero));

    private static UsageSubject Subject(string label, params (long Requests, long Errors)[] perDay)
    {
        var buckets = Enumerable.Range(0, 7).Select(i => i < perDay.Length ? new UsageTotals(perDay[i].Requests, 0, 0, perDay[i].Errors) : default).ToList();
        return new UsageSubject(label, buckets.Aggregate(default(UsageTotals), UsageTotals.Add), buckets);
    }

    private static readonly UsageReport Report = new(Window, UsageDimension.ApiKey,
    [
        Subject("a", (10, 0), (5, 0)),
        Subject("b", (1, 1), (1, 3)),
        Subject("c", (2, 0)),
        Subject("d", (0, 0), (1, 1)),
        Subject("quiet"),
    ]);

    [Fact]
    public void Series_MoreSubjectsThanLines_TopOnesThenOtherWithTheRest()
    {
        var series = Report.Series(UsageMetric.Requests, maxSeries: 3);

        // b and c both made 2 requests: the tie goes by name.
        Assert.Equal(["a", "b", UsageReport.OtherLabel], series.Select(s => s.Label));
        Assert.Equal([2L, 1, 0, 0, 0, 0, 0], series[2].Values);
        Assert.Equal([10L, 5, 0, 0, 0, 0, 0], series[0].Values);
    }

    [Fact]
    public void Series_RankedByTheMetricShown_SubjectsWithNoneLeftOut()
    {
        var series = Report.Series(UsageMetric.Errors, maxSeries: 6);

        Assert.Equal(["b", "d"], series.Select(s => s.Label));
        Assert.Equal([1L, 3, 0, 0, 0, 0, 0], series[0].Values);
    }
}
