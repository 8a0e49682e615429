using ByokPortal.Core.Common;
using Microsoft.EntityFrameworkCore;

namespace ByokPortal.Core.Data;

public static class ConcurrencyExtensions
{
    /// <summary>
    /// Makes the coming save succeed only if the row still has the version the editor loaded.
    /// The context renews <see cref="IVersioned.Version"/> on save, so a stale editor gets <see cref="DbUpdateConcurrencyException"/>.
    /// </summary>
    public static void ExpectVersion<T>(this IPortalDbContext db, T entity, Guid expectedVersion)
        where T : class, IVersioned =>
        db.Entry(entity).Property(e => e.Version).OriginalValue = expectedVersion;

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
