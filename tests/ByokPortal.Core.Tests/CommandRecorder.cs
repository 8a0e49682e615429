using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace ByokPortal.Core.Tests;

/// <summary>One SQL command the portal sent, and whether it ran inside a transaction.</summary>
public sealed record RecordedCommand(string Text, bool InTransaction);

/// <summary>
/// Records, while <see cref="Recording"/> is on, every SQL command EF Core sends and every transaction it starts, commits or rolls back
/// (an EF Core interceptor registered on the portal's real context). Can also make the next command containing a text fail.
/// Recording follows the test's own async flow, so background work (the runtime's snapshot refresher polling) is not counted.
/// </summary>
public sealed class CommandRecorder : DbCommandInterceptor, IDbTransactionInterceptor
{
    private readonly ConcurrentQueue<RecordedCommand> _commands = new();
    private int _started;
    private int _committed;
    private int _rolledBack;
    private volatile string? _failOn;

    private readonly AsyncLocal<bool> _recording = new();

    /// <summary>On for the flow that sets it (and what it starts), off elsewhere: set it from a synchronous method or a test body.</summary>
    public bool Recording
    {
        get => _recording.Value;
        set => _recording.Value = value;
    }

    public IReadOnlyList<RecordedCommand> Commands => [.. _commands];

    public int TransactionsStarted => _started;

    public int TransactionsCommitted => _committed;

    public int TransactionsRolledBack => _rolledBack;

    public void Start()
    {
        _commands.Clear();
        _started = _committed = _rolledBack = 0;
        Recording = true;
    }

    /// <summary>The next command whose text contains <paramref name="text"/> throws (as a database failure would), once.</summary>
    public void FailNextCommandContaining(string text) => _failOn = text;

    /// <summary>How many times <paramref name="statement"/> occurs in the recorded commands (a command may batch several statements).</summary>
    public int Count(string statement) =>
        Commands.Sum(c => CountOf(c.Text, statement));

    private static int CountOf(string text, string part)
    {
        var count = 0;
        for (var i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + part.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    private void Seen(DbCommand command)
    {
        if (_failOn is { } failOn && command.CommandText.Contains(failOn, StringComparison.Ordinal))
        {
            _failOn = null;
            throw new InvalidOperationException("Simulated database failure.");
        }

        if (Recording)
        {
            _commands.Enqueue(new RecordedCommand(command.CommandText, command.Transaction is not null));
        }
    }

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

    public DbTransaction TransactionStarted(DbConnection connection, TransactionEndEventData eventData, DbTransaction result)
    {
        if (Recording)
        {
            Interlocked.Increment(ref _started);
        }

        return result;
    }

    public ValueTask<DbTransaction> TransactionStartedAsync(DbConnection connection, TransactionEndEventData eventData, DbTransaction result, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(TransactionStarted(connection, eventData, result));

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData)
    {
        if (Recording)
        {
            Interlocked.Increment(ref _committed);
        }
    }

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        TransactionCommitted(transaction, eventData);
        return Task.CompletedTask;
    }

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData)
    {
        if (Recording)
        {
            Interlocked.Increment(ref _rolledBack);
        }
    }

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        TransactionRolledBack(transaction, eventData);
        return Task.CompletedTask;
    }
}
