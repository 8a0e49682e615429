using ByokPortal.Core.Availability;
using ByokPortal.Core.Data;
using ByokPortal.Core.Secrets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ByokPortal.Runtime.Snapshots;

/// <summary>
/// Keeps <see cref="SnapshotStore"/> current: builds every enterprise at start (before the server takes requests), then rebuilds an
/// enterprise at once when a save on this instance renewed its policy version (<see cref="PolicyChangeSignal"/>), and within one poll
/// interval when another instance did (one small query on the policy versions). A failed build keeps the previous snapshot and is retried.
/// </summary>
public sealed partial class SnapshotRefresher(
    SnapshotStore store,
    SnapshotBuilder builder,
    RuntimeSecretCache secrets,
    PolicyChangeSignal signal,
    IPortalDbContextFactory dbFactory,
    IOptions<RuntimeOptions> options,
    ILogger<SnapshotRefresher> logger) : BackgroundService
{
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await RefreshAsync([], cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogBuildFailed(logger, e);
        }

        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var changedHere = await signal.WaitAsync(options.Value.PolicyPollInterval, stoppingToken);
                await RefreshAsync(changedHere, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogBuildFailed(logger, e);
                await Task.Delay(options.Value.PolicyPollInterval, stoppingToken);
            }
        }
    }

    /// <summary>Rebuilds the enterprises that changed here, those whose version moved elsewhere, new ones; drops deleted ones.</summary>
    internal async Task RefreshAsync(IReadOnlyCollection<Guid> changedHere, CancellationToken cancellationToken)
    {
        await _oneAtATime.WaitAsync(cancellationToken);
        try
        {
            await RefreshOnceAsync(changedHere, cancellationToken);
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    private async Task RefreshOnceAsync(IReadOnlyCollection<Guid> changedHere, CancellationToken cancellationToken)
    {
        Dictionary<Guid, Guid> versions;
        await using (var db = await dbFactory.CreateAsync(cancellationToken))
        {
            versions = await (
                    from e in db.Enterprises.AsNoTracking()
                    join v in db.PolicyVersions on e.Id equals v.EnterpriseId into found
                    from v in found.DefaultIfEmpty()
                    select new { e.Id, Version = v == null ? Guid.Empty : v.Version })
                .ToDictionaryAsync(x => x.Id, x => x.Version, cancellationToken);
        }

        var snapshot = store.Current;
        var stale = versions
            .Where(v => !snapshot.IsReady || changedHere.Contains(v.Key) || !snapshot.Enterprises.TryGetValue(v.Key, out var built) || built.Version != v.Value)
            .Select(v => v.Key)
            .ToList();
        var removed = snapshot.Enterprises.Keys.Where(id => !versions.ContainsKey(id)).ToList();
        if (stale.Count == 0 && removed.Count == 0 && snapshot.IsReady)
        {
            return;
        }

        var enterprises = snapshot.IsReady ? snapshot.Enterprises.ToDictionary() : [];
        foreach (var id in removed)
        {
            enterprises.Remove(id);
        }

        foreach (var id in stale)
        {
            enterprises[id] = await builder.BuildAsync(id, cancellationToken);
        }

        store.Publish(new RuntimeSnapshot(enterprises));
        secrets.Retain(enterprises.Values
            .SelectMany(e => e.ProviderKeys)
            .Select(k => k.SecretReference)
            .OfType<SecretReference>()
            .ToHashSet());
        LogRefreshed(logger, stale.Count, removed.Count);
    }

    public override void Dispose()
    {
        _oneAtATime.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Building the runtime snapshot failed; the previous snapshot keeps serving and the build is retried.")]
    private static partial void LogBuildFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Runtime snapshot refreshed: {Rebuilt} enterprise(s) rebuilt, {Removed} removed.")]
    private static partial void LogRefreshed(ILogger logger, int rebuilt, int removed);
}
