namespace ByokPortal.Runtime.Snapshots;

/// <summary>Holds the current <see cref="RuntimeSnapshot"/>: requests read it with one volatile read, the refresher replaces it whole.</summary>
public sealed class SnapshotStore
{
    private volatile RuntimeSnapshot _current = RuntimeSnapshot.Empty;

    public RuntimeSnapshot Current => _current;

    internal void Publish(RuntimeSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        _current = snapshot;
    }
}
