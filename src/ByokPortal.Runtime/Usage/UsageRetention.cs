using ByokPortal.Core.Data;
using ByokPortal.Core.Usage;
using Microsoft.EntityFrameworkCore;

namespace ByokPortal.Runtime.Usage;

/// <summary>
/// Deletes usage rows and hourly totals older than the retention's cutoff hour. The usage rows have no index on their hour (every runtime
/// call would write into it): they are appended in time order, a batch at a time, so Ids and hours grow together, and the last row
/// before the cutoff is found by bisecting the Ids (a few primary-key lookups). The delete still checks each row's hour, so a row
/// written out of order (an instance whose clock was behind) is never deleted early: it goes in a later run, once the cutoff is past it.
/// </summary>
internal static class UsageRetention
{
    /// <returns>How many usage rows were deleted.</returns>
    public static async Task<int> DeleteBeforeAsync(IPortalDbContext db, long cutoffHour, CancellationToken cancellationToken)
    {
        var deleted = 0;
        if (await LastIdBeforeAsync(db, cutoffHour, cancellationToken) is { } last)
        {
            deleted = await db.UsageRecords.Where(u => u.Id <= last && u.Hour < cutoffHour).ExecuteDeleteAsync(cancellationToken);
        }

        await db.UsageHours.Where(u => u.Hour < cutoffHour).ExecuteDeleteAsync(cancellationToken);
        return deleted;
    }

    /// <summary>The largest Id whose row is before the cutoff, if the rows' hours grow with their Ids; null when the first row is not.</summary>
    internal static async Task<long?> LastIdBeforeAsync(IPortalDbContext db, long cutoffHour, CancellationToken cancellationToken)
    {
        var first = await FirstFromAsync(db, long.MinValue, cancellationToken);
        if (first is not { } start || start.Hour >= cutoffHour)
        {
            return null;
        }

        // Bisection: the row with Id `found` is before the cutoff; rows after `high` are not (as far as the probes have seen).
        var found = start.Id;
        // Null when another instance's retention emptied the table meanwhile: the first row found is then the answer (its delete finds none).
        var high = await db.UsageRecords.MaxAsync(u => (long?)u.Id, cancellationToken) ?? found;
        while (found < high)
        {
            var middle = found + ((high - found + 1) / 2);
            if (await FirstFromAsync(db, middle, cancellationToken) is { } row && row.Hour < cutoffHour)
            {
                found = row.Id;
            }
            else
            {
                high = middle - 1;
            }
        }

        return found;
    }

    private static async Task<(long Id, long Hour)?> FirstFromAsync(IPortalDbContext db, long id, CancellationToken cancellationToken)
    {
        var row = await db.UsageRecords.AsNoTracking().Where(u => u.Id >= id).OrderBy(u => u.Id)
            .Select(u => new { u.Id, u.Hour }).FirstOrDefaultAsync(cancellationToken);
        return row is null ? null : (row.Id, row.Hour);
    }
}
