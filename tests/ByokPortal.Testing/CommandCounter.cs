using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace ByokPortal.Testing;

/// <summary>
/// An EF Core interceptor (register it on the portal's real context) that counts the SQL commands sent by one measured piece of work:
/// <see cref="Measure"/> marks the current flow (an <see cref="AsyncLocal{T}"/>, so everything it awaits is counted too) and background
/// work running meanwhile (the runtime's snapshot refresh, the usage writer) is not.
/// </summary>
public sealed class CommandCounter : DbCommandInterceptor
{
    private static readonly AsyncLocal<Measurement?> Current = new();

    /// <summary>Starts counting the commands of this flow until the measurement is disposed. Call it synchronously, before the work.</summary>
    public static Measurement Measure()
    {
        var measurement = new Measurement();
        Current.Value = measurement;
        return measurement;
    }

    private static void Seen(DbCommand command) => Current.Value?.Add(command.CommandText);

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        Seen(command);
        return result;
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Seen(command);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        Seen(command);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Seen(command);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
    {
        Seen(command);
        return result;
    }

    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
    {
        Seen(command);
        return ValueTask.FromResult(result);
    }

    /// <summary>The commands one measured flow sent, in order.</summary>
    public sealed class Measurement : IDisposable
    {
        private readonly ConcurrentQueue<string> _commands = new();
        private volatile bool _stopped;

        public IReadOnlyList<string> Commands => [.. _commands];

        public int Count => _commands.Count;

        internal void Add(string text)
        {
            if (!_stopped)
            {
                _commands.Enqueue(text);
            }
        }

        public void Dispose()
        {
            _stopped = true;
            if (ReferenceEquals(Current.Value, this))
            {
                Current.Value = null;
            }
        }
    }
}
