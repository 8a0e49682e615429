using System.Threading.Channels;
using ByokPortal.Core.Usage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ByokPortal.Runtime.Usage;

/// <summary>One runtime call, as the request path hands it over: a value, so queuing it allocates nothing.</summary>
public readonly record struct UsageEvent(
    DateTimeOffset OccurredAt,
    Guid EnterpriseId,
    Guid OrganizationId,
    Guid ApiKeyId,
    Guid? ProviderKeyId,
    string? ModelId,
    UsageOperation Operation,
    int StatusCode,
    int? PromptTokens,
    int? CompletionTokens,
    int DurationMs);

/// <summary>
/// The request path's side of usage recording: a bounded in-memory queue that never makes a request wait. When it is full, the call is still
/// served; the drop is counted (<see cref="Dropped"/>) and logged at most once a minute.
/// </summary>
public sealed partial class UsageRecorder
{
    private readonly Channel<UsageEvent> _queue;
    private readonly ILogger<UsageRecorder> _logger;
    private readonly LogInterval _dropLines;
    private long _dropped;

    public UsageRecorder(IOptions<RuntimeOptions> options, TimeProvider time, ILogger<UsageRecorder> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _dropLines = new LogInterval(time, TimeSpan.FromMinutes(1));
        _logger = logger;
        _queue = Channel.CreateBounded<UsageEvent>(new BoundedChannelOptions(Math.Max(1, options.Value.Usage.QueueCapacity))
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
            SingleWriter = false,
        });
    }

    /// <summary>Calls dropped because the queue was full, since start.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    internal ChannelReader<UsageEvent> Reader => _queue.Reader;

    public void Record(in UsageEvent usage)
    {
        if (_queue.Writer.TryWrite(usage))
        {
            return;
        }

        var dropped = Interlocked.Increment(ref _dropped);
        if (_dropLines.TryPass())
        {
            LogDropped(_logger, dropped);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The usage queue is full: calls are served but not recorded ({Dropped} dropped since start). Check the database or raise Portal:Runtime:Usage:QueueCapacity.")]
    private static partial void LogDropped(ILogger logger, long dropped);
}
