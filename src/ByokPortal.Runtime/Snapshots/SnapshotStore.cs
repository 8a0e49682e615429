using System.Collections.Concurrent;

namespace ByokPortal.Runtime.Snapshots;

/// <summary>
/// Holds the current <see cref="RuntimeSnapshot"/>: requests read it with one volatile read, the refresher replaces it whole. Also keeps
/// the refusals this instance saw until the database carries them, so that a snapshot rebuilt in between never forgets one (a key the
/// provider refused must fail at once, never fall back).
/// </summary>
public sealed class SnapshotStore
{
    private readonly ConcurrentDictionary<Guid, InvalidMark> _refusals = new();
    private volatile RuntimeSnapshot _current = RuntimeSnapshot.Empty;

    public RuntimeSnapshot Current => _current;

    /// <summary>Marks the key invalid in the current snapshot, and in every snapshot built until the database says so itself.</summary>
    public void RecordRefusal(RuntimeProviderKey key, InvalidMark mark)
    {
        ArgumentNullException.ThrowIfNull(key);
        _refusals[key.Id] = mark;
        key.MarkInvalid(mark);
        FindKey(_current, key.Id)?.MarkInvalid(mark);
    }

    internal void Publish(RuntimeSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);

        // Marked before any request can read it (a request must never see a refused key unmarked), and once more after, for a refusal
        // recorded while it was being published.
        ApplyRefusals(snapshot);
        _current = snapshot;
        ApplyRefusals(snapshot);
    }

    private void ApplyRefusals(RuntimeSnapshot snapshot)
    {
        foreach (var (keyId, mark) in _refusals)
        {
            var key = FindKey(snapshot, keyId);
            if (key is null || key.LastChangedAt > mark.Since || (key.Invalid is not null && !ReferenceEquals(key.Invalid, mark)))
            {
                // Deleted, edited or tested again since the refusal, or the database carries the mark now.
                _refusals.TryRemove(keyId, out _);
                continue;
            }

            key.MarkInvalid(mark);
        }
    }

    private static RuntimeProviderKey? FindKey(RuntimeSnapshot snapshot, Guid keyId)
    {
        foreach (var enterprise in snapshot.Enterprises.Values)
        {
            foreach (var key in enterprise.ProviderKeys)
            {
                if (key.Id == keyId)
                {
                    return key;
                }
            }
        }

        return null;
    }
}
