namespace ByokPortal.Core.Usage;

/// <summary>The period a usage chart covers: the last 24 hours by hour, or the last 7 or 30 days by day (UTC).</summary>
public enum UsagePeriod
{
    Last24Hours = 0,
    Last7Days = 1,
    Last30Days = 2,
}

/// <summary>What usage is broken down by.</summary>
public enum UsageDimension
{
    ApiKey = 0,
    Model = 1,
    Organization = 2,
    ProviderKey = 3,
}

/// <summary>What a usage chart plots.</summary>
public enum UsageMetric
{
    Requests = 0,
    Tokens = 1,
    Errors = 2,
}

/// <summary>
/// The hours a period covers and its buckets: 24 hourly buckets ending with the current hour, or 7 or 30 daily buckets (UTC days) ending
/// with today. The database groups by <see cref="UsageRecord.Hour"/>; days are made from hours here, so both providers run the same SQL.
/// </summary>
public sealed class UsageWindow
{
    private UsageWindow(UsagePeriod period, long firstHour, long lastHour, bool hourly, int bucketCount)
    {
        Period = period;
        FirstHour = firstHour;
        LastHour = lastHour;
        IsHourly = hourly;
        Buckets = Enumerable.Range(0, bucketCount)
            .Select(i => UsageRecord.StartOfHour(firstHour + (hourly ? i : i * 24L)))
            .ToList();
    }

    public UsagePeriod Period { get; }

    /// <summary>The first hour counted (hours since the Unix epoch, as <see cref="UsageRecord.Hour"/>).</summary>
    public long FirstHour { get; }

    /// <summary>The current hour: the last one counted.</summary>
    public long LastHour { get; }

    /// <summary>Hourly buckets (24 hours) or daily ones (7 or 30 days).</summary>
    public bool IsHourly { get; }

    /// <summary>The start of each bucket, oldest first.</summary>
    public IReadOnlyList<DateTimeOffset> Buckets { get; }

    public static UsageWindow For(UsagePeriod period, DateTimeOffset now)
    {
        var hour = UsageRecord.HourOf(now);
        if (period == UsagePeriod.Last24Hours)
        {
            return new UsageWindow(period, hour - 23, hour, hourly: true, 24);
        }

        var days = period == UsagePeriod.Last7Days ? 7 : 30;
        var firstDay = (hour / 24) - (days - 1);
        return new UsageWindow(period, firstDay * 24, hour, hourly: false, days);
    }

    /// <summary>The bucket an hour of this window falls in.</summary>
    public int BucketOf(long hour) => IsHourly ? (int)(hour - FirstHour) : (int)((hour / 24) - (FirstHour / 24));
}
