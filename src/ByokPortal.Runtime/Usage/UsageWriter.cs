using ByokPortal.Core.ApiKeys;
using ByokPortal.Core.Data;
using ByokPortal.Core.Usage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ByokPortal.Runtime.Usage;

/// <summary>
/// Writes the queued calls in batches (up to <see cref="UsageOptions.BatchSize"/> rows, at least every <see cref="UsageOptions.FlushInterval"/>):
/// the usage rows with their hours' totals, and each API key's "last used" (one statement per batch). Deletes rows and totals past the retention period once an hour.
/// A failed batch is logged and dropped, never retried forever: usage must not take the runtime down with the database.
/// </summary>
public sealed partial class UsageWriter(
    UsageRecorder recorder,
    IPortalDbContextFactory dbFactory,
    IOptions<RuntimeOptions> options,
    TimeProvider time,
    ILogger<UsageWriter> logger) : BackgroundService
{
    private DateTimeOffset _nextRetention = DateTimeOffset.MinValue;
    private int _inFlight;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<UsageEvent>(options.Value.Usage.BatchSize);
        var reader = recorder.Reader;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!await reader.WaitToReadAsync(stoppingToken))
                {
                    return;
                }

                Volatile.Write(ref _inFlight, 1);
                await FillAsync(reader, batch, stoppingToken);
                if (stoppingToken.IsCancellationRequested)
                {
                    break; // the batch is written below, with what is still queued
                }

                await WriteAsync(batch, stoppingToken);
                batch.Clear(); // written: never again, even when stopping cuts what follows short
                await DeleteExpiredAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                LogWriteFailed(logger, batch.Count, e);
            }
            finally
            {
                if (!stoppingToken.IsCancellationRequested)
                {
                    batch.Clear();
                }

                Volatile.Write(ref _inFlight, 0);
            }
        }

        // Stopping: write what is already queued.
        while (reader.TryRead(out var usage))
        {
            batch.Add(usage);
        }

        if (batch.Count > 0)
        {
            try
            {
                await WriteAsync(batch, CancellationToken.None);
            }
            catch (Exception e)
            {
                LogWriteFailed(logger, batch.Count, e);
            }
        }
    }

    /// <summary>Writes everything queued so far, and waits for the batch the writer is filling or writing (tests).</summary>
    internal async Task FlushAsync(CancellationToken cancellationToken)
    {
        var batch = new List<UsageEvent>();
        while (recorder.Reader.TryRead(out var usage))
        {
            batch.Add(usage);
        }

        await WriteAsync(batch, cancellationToken);
        while (Volatile.Read(ref _inFlight) != 0)
        {
            await Task.Delay(10, cancellationToken);
        }
    }

    /// <summary>
    /// Fills the batch until it is full or the flush interval has passed since its first call. It does not wait on the queue for each call
    /// that follows (at thousands of calls a second that would be one thread-pool hop, and often one thread wake-up, per call): it drains
    /// what is queued, then looks again a step later (a tenth of the flush interval, at most 50 ms).
    /// </summary>
    private async Task FillAsync(System.Threading.Channels.ChannelReader<UsageEvent> reader, List<UsageEvent> batch, CancellationToken stoppingToken)
    {
        var size = options.Value.Usage.BatchSize;
        var interval = options.Value.Usage.FlushInterval;
        var step = TimeSpan.FromTicks(Math.Clamp(interval.Ticks / 10, TimeSpan.TicksPerMillisecond, MaxFillStep.Ticks));
        var started = time.GetTimestamp();
        while (true)
        {
            while (batch.Count < size && reader.TryRead(out var usage))
            {
                batch.Add(usage);
            }

            var left = interval - time.GetElapsedTime(started);
            if (batch.Count >= size || left <= TimeSpan.Zero)
            {
                return;
            }

            try
            {
                await Task.Delay(left < step ? left : step, time, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private static readonly TimeSpan MaxFillStep = TimeSpan.FromMilliseconds(50);

    private async Task WriteAsync(List<UsageEvent> batch, CancellationToken cancellationToken)
    {
        if (batch.Count == 0)
        {
            return;
        }

        var records = new List<UsageRecord>(batch.Count);
        foreach (var usage in batch)
        {
            records.Add(new UsageRecord
            {
                OccurredAt = usage.OccurredAt,
                Hour = UsageRecord.HourOf(usage.OccurredAt),
                EnterpriseId = usage.EnterpriseId,
                OrganizationId = usage.OrganizationId,
                ApiKeyId = usage.ApiKeyId,
                ProviderKeyId = usage.ProviderKeyId,
                ModelId = usage.ModelId is { Length: > UsageRecord.ModelIdMaxLength } model ? model[..UsageRecord.ModelIdMaxLength] : usage.ModelId,
                Operation = usage.Operation,
                StatusCode = usage.StatusCode,
                PromptTokens = usage.PromptTokens,
                CompletionTokens = usage.CompletionTokens,
                DurationMs = usage.DurationMs,
            });
        }

        // Usage rows are only ever appended, without the change tracker (a batch of 1,000 through SaveChanges costs more CPU than the
        // 1,000 calls it records), with their hours' totals, and "last used" in the same transaction, one statement for the whole batch,
        // to the batch's latest time (precise to the flush interval). The execution strategy retries the whole of it on SQL Server.
        var lastUsed = batch.Max(u => u.OccurredAt);
        var apiKeys = batch.Select(u => u.ApiKeyId).Distinct().ToList();
        await using var db = await dbFactory.CreateAsync(cancellationToken);
        await db.Database.CreateExecutionStrategy().ExecuteAsync(async ct =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            await db.AppendUsageAsync(records, ct);
            await db.OrganizationApiKeys
                .Where(k => apiKeys.Contains(k.Id) && (k.LastUsedAt == null || k.LastUsedAt < lastUsed))
                .ExecuteUpdateAsync(s => s.SetProperty(k => k.LastUsedAt, lastUsed), ct);
            await transaction.CommitAsync(ct);
        }, cancellationToken);
    }

    private async Task DeleteExpiredAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (now < _nextRetention)
        {
            return;
        }

        _nextRetention = now.AddHours(1);
        var cutoff = UsageRecord.HourOf(now - options.Value.Usage.Retention);
        try
        {
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            var deleted = await UsageRetention.DeleteBeforeAsync(db, cutoff, cancellationToken);
            if (deleted > 0)
            {
                LogExpiredDeleted(logger, deleted);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Its own message (the batch was written): the next run, an hour later, deletes what this one left.
            LogRetentionFailed(logger, e);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Writing {Count} usage rows failed; they are dropped.")]
    private static partial void LogWriteFailed(ILogger logger, int count, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Deleting usage past the retention period failed; it is tried again in an hour.")]
    private static partial void LogRetentionFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Count} usage rows past the retention period.")]
    private static partial void LogExpiredDeleted(ILogger logger, int count);
}
