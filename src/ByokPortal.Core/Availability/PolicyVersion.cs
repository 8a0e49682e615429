namespace ByokPortal.Core.Availability;

/// <summary>
/// The version of everything that decides what an enterprise's organizations may use (keys, models, grants, Enabled, Models permissions,
/// the enterprise policy, assignments, API keys, organizations). Renewed by the same SaveChanges as any such change, so a runtime instance
/// that sees a new version knows its snapshot of the enterprise is stale. One small row per enterprise: polling it is cheap.
/// </summary>
public sealed class PolicyVersion
{
    public Guid EnterpriseId { get; set; }

    public Guid Version { get; set; } = Guid.NewGuid();

    public DateTimeOffset ChangedAt { get; set; }
}

/// <summary>
/// This instance's news of renewed policy versions: the save that renewed them says so once it has committed, and the runtime rebuilds
/// those enterprises' snapshots at once instead of waiting for its next poll (other instances see the new version when they poll).
/// It has no dependencies, so the database layer can tell it without depending on the runtime.
/// </summary>
public sealed class PolicyChangeSignal
{
    private readonly Lock _lock = new();
    private HashSet<Guid> _changed = [];
    private TaskCompletionSource _pending = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Notify(IEnumerable<Guid> enterpriseIds)
    {
        ArgumentNullException.ThrowIfNull(enterpriseIds);
        TaskCompletionSource pending;
        lock (_lock)
        {
            _changed.UnionWith(enterpriseIds);
            pending = _pending;
        }

        pending.TrySetResult();
    }

    /// <summary>Waits until something changed or <paramref name="timeout"/> passed; returns (and forgets) what changed meanwhile.</summary>
    public async Task<IReadOnlyCollection<Guid>> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        Task pending;
        lock (_lock)
        {
            pending = _changed.Count > 0 ? Task.CompletedTask : _pending.Task;
        }

        // A quiet interval is the common case (once per poll, on every instance): it ends without an exception thrown and caught.
        await pending.WaitAsync(timeout, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        cancellationToken.ThrowIfCancellationRequested();

        lock (_lock)
        {
            var changed = _changed;
            _changed = [];
            if (_pending.Task.IsCompleted)
            {
                _pending = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            return changed;
        }
    }
}
