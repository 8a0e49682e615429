using Microsoft.Extensions.Logging;

namespace ByokPortal.Runtime.Authentication;

/// <summary>
/// The log of refused API keys: every refusal at Debug, and at Information the first one and then at most one a minute, counting the
/// refusals since the line before. A flood of wrong keys (a scan, a client with a revoked key in a retry loop) must not write a line per
/// request: each costs more CPU than the refusal, and a full console-logger queue makes requests wait for it.
/// </summary>
public sealed partial class ApiKeyRefusalLog(TimeProvider time, ILogger<ApiKeyAuthenticationHandler> logger)
{
    /// <summary>The least time between two Information lines.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    private readonly LogInterval _lines = new(time, Interval);
    private long _unlogged;

    public void Refused(string reason)
    {
        LogRefusal(logger, reason);
        if (_lines.TryPass())
        {
            var before = Interlocked.Exchange(ref _unlogged, 0);
            LogRefused(logger, reason, before);
            return;
        }

        Interlocked.Increment(ref _unlogged);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "An organization API key was refused: {Reason} Since the previous line: {Before} others (this line comes at most once a minute; every refusal is logged at Debug).")]
    private static partial void LogRefused(ILogger logger, string reason, long before);

    [LoggerMessage(Level = LogLevel.Debug, Message = "An organization API key was refused: {Reason}")]
    private static partial void LogRefusal(ILogger logger, string reason);
}
