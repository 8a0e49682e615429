using ByokPortal.Core.Common;
using Microsoft.EntityFrameworkCore;

namespace ByokPortal.Core.Data;

public static class ConcurrencyExtensions
{
    /// <summary>
    /// Makes the coming save succeed only if the row still has the version the editor loaded, and renew it.
    /// The context renews <see cref="IVersioned.Version"/> on save, so a stale editor gets <see cref="DbUpdateConcurrencyException"/>.
    /// The row is written (and its version checked and renewed) even when none of its own columns changed — a save that only
    /// changes rows that hang off it (access grants, assignments) — and whether or not the clock moved since it was loaded.
    /// </summary>
    public static void ExpectVersion<T>(this IPortalDbContext db, T entity, Guid expectedVersion)
        where T : class, IVersioned
    {
        ArgumentNullException.ThrowIfNull(db);
        var version = db.Entry(entity).Property(e => e.Version);
        version.OriginalValue = expectedVersion;
        version.IsModified = true;
    }

    /// <summary>Saves; a concurrent change by someone else becomes a <see cref="ConflictError"/> instead of an exception.</summary>
    public static async Task<ConflictError?> TrySaveAsync(this IPortalDbContext db, string what, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return null;
        }
        catch (DbUpdateConcurrencyException)
        {
            return ConflictError.ChangedByAnotherOwner(what);
        }
    }
}
