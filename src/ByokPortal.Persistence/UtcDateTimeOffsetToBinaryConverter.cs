using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace ByokPortal.Persistence;

/// <summary>
/// DateTimeOffset for SQLite as a sortable INTEGER: EF Core's binary layout (ticks / 1000, i.e. 0.1 ms, shifted left 11 bits; offset
/// minutes in the low 11 bits), always written in UTC. EF Core's own <see cref="DateTimeOffsetToBinaryConverter"/> encodes the clock
/// time, so 10:00+02:00 (08:00 UTC) would sort and compare after 09:00+00:00; normalizing to UTC first makes integer order the order of
/// instants, for stored values and query parameters alike. UTC values encode exactly as before, and values read back are UTC.
/// </summary>
internal sealed class UtcDateTimeOffsetToBinaryConverter() : ValueConverter<DateTimeOffset, long>(
    v => (v.UtcTicks / 1000) << 11,
    v => new DateTimeOffset(new DateTime((v >> 11) * 1000), new TimeSpan(0, (int)((v << 53) >> 53), 0)).ToUniversalTime());
