namespace ByokPortal.Core.Usage;

/// <summary>Requests, tokens and errors added up.</summary>
public readonly record struct UsageTotals(long Requests, long PromptTokens, long CompletionTokens, long Errors)
{
    public long Tokens => PromptTokens + CompletionTokens;

    public long Value(UsageMetric metric) => metric switch
    {
        UsageMetric.Tokens => Tokens,
        UsageMetric.Errors => Errors,
        _ => Requests,
    };

    public static UsageTotals operator +(UsageTotals a, UsageTotals b) =>
        new(a.Requests + b.Requests, a.PromptTokens + b.PromptTokens, a.CompletionTokens + b.CompletionTokens, a.Errors + b.Errors);

    public static UsageTotals Add(UsageTotals a, UsageTotals b) => a + b;
}

/// <summary>One API key, model, organization or provider key of a report: its totals over the period and per bucket.</summary>
public sealed record UsageSubject(string Label, UsageTotals Total, IReadOnlyList<UsageTotals> PerBucket);

/// <summary>One line of a chart: a subject (or "Other" for the rest), one value per bucket.</summary>
public sealed record UsageSeries(string Label, IReadOnlyList<long> Values);

/// <summary>Usage over a <see cref="UsageWindow"/>, broken down by one dimension; subjects with the most requests first.</summary>
public sealed record UsageReport(UsageWindow Window, UsageDimension By, IReadOnlyList<UsageSubject> Subjects)
{
    public const string OtherLabel = "Other";

    public UsageTotals Total => Subjects.Aggregate(default(UsageTotals), (sum, s) => sum + s.Total);

    /// <summary>The chart's lines for a metric: the <paramref name="maxSeries"/> subjects with the highest totals, and the rest together as "Other".</summary>
    public IReadOnlyList<UsageSeries> Series(UsageMetric metric, int maxSeries)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSeries, 1);
        var ranked = Subjects.Where(s => s.Total.Value(metric) > 0)
            .OrderByDescending(s => s.Total.Value(metric))
            .ThenBy(s => s.Label, StringComparer.Ordinal)
            .ToList();
        var shown = ranked.Count > maxSeries ? ranked.Take(maxSeries - 1).ToList() : ranked;
        var series = shown.Select(s => new UsageSeries(s.Label, s.PerBucket.Select(b => b.Value(metric)).ToList())).ToList();
        if (shown.Count < ranked.Count)
        {
            var rest = ranked.Skip(shown.Count).ToList();
            series.Add(new UsageSeries(OtherLabel, Window.Buckets.Select((_, i) => rest.Sum(s => s.PerBucket[i].Value(metric))).ToList()));
        }

        return series;
    }
}
