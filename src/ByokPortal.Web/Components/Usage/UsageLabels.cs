using System.Globalization;
using ByokPortal.Core.Usage;

namespace ByokPortal.Web.Components.Usage;

/// <summary>The words the usage pages use for periods, breakdowns, metrics and buckets.</summary>
public static class UsageLabels
{
    public static readonly IReadOnlyList<(UsagePeriod Value, string Label)> Periods =
    [
        (UsagePeriod.Last24Hours, "Last 24 hours"),
        (UsagePeriod.Last7Days, "Last 7 days"),
        (UsagePeriod.Last30Days, "Last 30 days"),
    ];

    public static readonly IReadOnlyList<(UsageMetric Value, string Label)> Metrics =
    [
        (UsageMetric.Requests, "Requests"),
        (UsageMetric.Tokens, "Tokens"),
        (UsageMetric.Errors, "Errors"),
    ];

    public static string Of(UsageDimension dimension) => dimension switch
    {
        UsageDimension.ApiKey => "API key",
        UsageDimension.Organization => "Organization",
        UsageDimension.ProviderKey => "Provider key",
        _ => "Model",
    };

    /// <summary>The dimension inside a sentence: "API key", "model", "organization", "provider key".</summary>
    public static string InSentence(UsageDimension dimension) => dimension == UsageDimension.ApiKey ? "API key" : Of(dimension).ToLowerInvariant();

    public static string Of(UsageMetric metric) => Metrics.Single(m => m.Value == metric).Label;

    /// <summary>"Hour (UTC)" or "Day (UTC)".</summary>
    public static string BucketHeader(UsageWindow window) => window.IsHourly ? "Hour (UTC)" : "Day (UTC)";

    /// <summary>A bucket in the table: "2026-11-29 14:00" or "2026-11-29".</summary>
    public static string Bucket(UsageWindow window, DateTimeOffset start) =>
        start.UtcDateTime.ToString(window.IsHourly ? "yyyy-MM-dd HH:00" : "yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>A bucket under the chart, short: "14:00" or "11-29".</summary>
    public static string Axis(UsageWindow window, DateTimeOffset start) =>
        start.UtcDateTime.ToString(window.IsHourly ? "HH:00" : "MM-dd", CultureInfo.InvariantCulture);

    /// <summary>"Requests per hour by API key".</summary>
    public static string Title(UsageMetric metric, UsageWindow window, UsageDimension by) =>
        $"{Of(metric)} per {(window.IsHourly ? "hour" : "day")} by {InSentence(by)}";
}
