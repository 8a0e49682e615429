using ByokPortal.Core.Audit;
using ByokPortal.Core.Common;
using ByokPortal.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ByokPortal.Core.ProviderKeys;

/// <summary>
/// The background health check, one round: tests again the keys that are due — every key once per
/// <see cref="ProviderKeyOptions.HealthCheckInterval"/> (each key at its own point of the interval, so they are spread out), and soon
/// after the gateway saw the provider refuse one — at most <see cref="ProviderKeyOptions.HealthCheckConcurrency"/> at once, a bounded
/// batch per round. Each result is recorded on its key; a key that starts or stops failing is audited (by the portal itself).
/// </summary>
public sealed partial class CheckProviderKeysHealthCommand(
    IPortalDbContextFactory dbFactory,
    CredentialCheck check,
    IOptions<ProviderKeyOptions> options,
    TimeProvider time,
    ILogger<CheckProviderKeysHealthCommand> logger)
{
    public const int BatchSize = 50;

    /// <returns>How many keys were tested.</returns>
    public async Task<int> ExecuteAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var now = time.GetUtcNow();
        List<(Guid Id, DateTimeOffset Since, DateTimeOffset? Recheck)> candidates;
        await using (var db = await dbFactory.CreateAsync(cancellationToken))
        {
            candidates = (await db.ProviderKeys.AsNoTracking()
                    .Select(k => new { k.Id, k.CreatedAt, k.LastTestedAt, k.RecheckRequestedAt })
                    .ToListAsync(cancellationToken))
                .Select(k => (k.Id, k.LastTestedAt ?? k.CreatedAt, k.RecheckRequestedAt))
                .ToList();
        }

        var due = candidates
            .Select(k => (k.Id, DueAt: k.Recheck is { } recheck ? recheck + settings.RecheckAfterRefusal : k.Since + Spread(k.Id, settings.HealthCheckInterval)))
            .Where(k => k.DueAt <= now)
            .OrderBy(k => k.DueAt)
            .Take(BatchSize)
            .Select(k => k.Id)
            .ToList();
        await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, settings.HealthCheckConcurrency), CancellationToken = cancellationToken },
            async (keyId, ct) => await CheckOneAsync(keyId, ct));
        return due.Count;
    }

    /// <summary>Between 3/4 and the whole interval after the last test, by key: keys added together are tested apart.</summary>
    internal static TimeSpan Spread(Guid keyId, TimeSpan interval)
    {
        var fraction = (keyId.GetHashCode() & 0x7FFFFFFF) / (double)int.MaxValue;
        return interval * (0.75 + (0.25 * fraction));
    }

    private async Task CheckOneAsync(Guid keyId, CancellationToken cancellationToken)
    {
        try
        {
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            var key = await db.ProviderKeys.FirstOrDefaultAsync(k => k.Id == keyId, cancellationToken);
            if (key is null)
            {
                return;
            }

            var result = await check.RunAsync(key, cancellationToken);
            key.RecheckRequestedAt = null;
            check.Record(db, Actor.System, key, result, AuditActions.ProviderKeyTest);
            if (await db.TrySaveAsync("This key", cancellationToken) is not null)
            {
                LogChangedMeanwhile(logger, keyId);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogCheckFailed(logger, keyId, e);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Provider key {KeyId} changed while its background check ran; the next round tests it again.")]
    private static partial void LogChangedMeanwhile(ILogger logger, Guid keyId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The background check of provider key {KeyId} could not run.")]
    private static partial void LogCheckFailed(ILogger logger, Guid keyId, Exception exception);
}
