using System.Collections.Concurrent;
using ByokPortal.Runtime.Snapshots;

namespace ByokPortal.Runtime.RateLimiting;

/// <summary>
/// Each API key's requests per minute, as a token bucket refilled continuously (a burst of up to the whole minute's allowance, then an even
/// pace). Counted per instance: behind a load balancer with N runtime instances, a key may make up to N times its limit. The buckets
/// outlive snapshot rebuilds (they are keyed by the API key's ID) and take the limit from the current snapshot.
/// </summary>
public sealed class ApiKeyRateLimiter(TimeProvider time)
{
    private readonly ConcurrentDictionary<Guid, Bucket> _buckets = new();

    /// <summary>Takes one request from the key's allowance; when none is left, says how long until one is.</summary>
    public bool TryAcquire(RuntimeApiKey key, out TimeSpan retryAfter)
    {
        ArgumentNullException.ThrowIfNull(key);
        var limit = key.RateLimitPerMinute;
        if (limit <= 0)
        {
            retryAfter = TimeSpan.FromMinutes(1);
            return false;
        }

        var bucket = _buckets.GetOrAdd(key.Id, static (_, l) => new Bucket(l), limit);
        return bucket.TryTake(limit, time.GetTimestamp(), time, out retryAfter);
    }

    private sealed class Bucket(int limit)
    {
        private readonly Lock _lock = new();
        private double _tokens = limit;
        private long _updated;

        public bool TryTake(int limit, long now, TimeProvider time, out TimeSpan retryAfter)
        {
            lock (_lock)
            {
                var perSecond = limit / 60.0;
                if (_updated != 0)
                {
                    _tokens = Math.Min(limit, _tokens + (time.GetElapsedTime(_updated, now).TotalSeconds * perSecond));
                }
                else
                {
                    _tokens = limit;
                }

                _updated = now;
                if (_tokens >= 1)
                {
                    _tokens -= 1;
                    retryAfter = TimeSpan.Zero;
                    return true;
                }

                retryAfter = TimeSpan.FromSeconds((1 - _tokens) / perSecond);
                return false;
            }
        }
    }
}
