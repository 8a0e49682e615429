namespace ByokPortal.Runtime;

/// <summary>"Portal:Runtime": how the runtime (resolve API and gateway) behaves.</summary>
public sealed class RuntimeOptions
{
    public const string SectionName = "Portal:Runtime";

    /// <summary>How often an instance checks the database for policy changes made on other instances.</summary>
    public TimeSpan PolicyPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Requests per minute an API key may make when its own limit is not set on the API keys page.</summary>
    public int DefaultRateLimitPerMinute { get; set; } = 600;

    /// <summary>The largest request body the gateway accepts (it reads the model from it before forwarding).</summary>
    public int MaxRequestBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>How long the gateway waits for the provider between two reads (a streamed answer may last longer than this in total).</summary>
    public TimeSpan UpstreamActivityTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The largest provider error body passed back to the application (it is scrubbed of the provider key first).</summary>
    public int MaxErrorBodyBytes { get; set; } = 64 * 1024;

    public UsageOptions Usage { get; set; } = new();
}

/// <summary>"Portal:Runtime:Usage": the usage recorder's queue, batches and retention.</summary>
public sealed class UsageOptions
{
    /// <summary>Calls waiting to be written; when full, calls are still served and the drop is counted and logged.</summary>
    public int QueueCapacity { get; set; } = 100_000;

    /// <summary>
    /// The most calls one batch writes (one transaction: the rows, their hours' totals, "last used"). At low rates a batch is what the flush
    /// interval gathered; at thousands of calls a second, a larger batch spreads each batch's own cost (a database context, the transaction
    /// and its commit, the totals and "last used" statements: about a millisecond of CPU) over more calls.
    /// </summary>
    public int BatchSize { get; set; } = 5_000;

    /// <summary>How long the writer waits to fill a batch.</summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Usage rows and their hourly totals older than this are deleted.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(90);
}
