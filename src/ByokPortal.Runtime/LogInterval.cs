namespace ByokPortal.Runtime;

/// <summary>
/// Lets one caller through per interval, whichever thread comes first: for a log line that must not be written once per request
/// (a full usage queue, a flood of refused API keys). The first call always passes.
/// </summary>
internal sealed class LogInterval(TimeProvider time, TimeSpan interval)
{
    private long _last;

    public bool TryPass()
    {
        var now = time.GetTimestamp();
        var last = Interlocked.Read(ref _last);
        return (last == 0 || time.GetElapsedTime(last, now) >= interval) && Interlocked.CompareExchange(ref _last, now, last) == last;
    }
}
