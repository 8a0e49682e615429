using System.Data.Common;
using ByokPortal.Core.Secrets;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace ByokPortal.Web.Faults;

/// <summary>What a person was doing when an action failed: it decides how the message ends.</summary>
public enum ActionKind
{
    /// <summary>A change (Save, Delete, Issue, Revoke): nothing of it was kept.</summary>
    Save,

    /// <summary>Reading what a page or dialog shows.</summary>
    Load,

    /// <summary>Anything else (Test credentials, Fetch new models).</summary>
    Check,
}

/// <summary>The kinds of failure a person is told about, each with its own words.</summary>
public enum FaultKind
{
    DatabaseBusy,
    DatabaseUnavailable,
    DataDirectoryReadOnly,
    SecretStoreUnavailable,
    Unexpected,
}

/// <summary>
/// The one place where an exception that escaped a use case becomes words for a person. Expected failures are typed
/// <see cref="Core.Common.Error"/>s and never get here; these are the faults of what the use cases stand on (the database, the data
/// directory, the secret store). The words never carry the exception's own message, which may name files, hosts or SQL.
/// </summary>
public static class FaultMessages
{
    private const int SqliteBusy = 5;       // SQLITE_BUSY
    private const int SqliteLocked = 6;     // SQLITE_LOCKED
    private const int SqliteReadOnly = 8;   // SQLITE_READONLY

    public static FaultKind Classify(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var chain = Chain(exception).ToList();

        // A read-only data directory first: the local secret store and SQLite both report it wrapped in their own exceptions.
        if (chain.Any(e => e is UnauthorizedAccessException
            || e is SqliteException { SqliteErrorCode: SqliteReadOnly }
            || (e is IOException && e.Message.Contains("read-only file system", StringComparison.OrdinalIgnoreCase))))
        {
            return FaultKind.DataDirectoryReadOnly;
        }

        // SQLite's "database is locked" after the busy timeout (SQLITE_BUSY, SQLITE_LOCKED and their extended codes); SQL Server's
        // transient errors (timeouts, deadlocks) left after EF Core's retries.
        if (chain.Any(e => e is SqliteException { SqliteErrorCode: SqliteBusy or SqliteLocked } or DbException { IsTransient: true }))
        {
            return FaultKind.DatabaseBusy;
        }

        if (chain.Any(e => e is SecretStoreUnavailableException))
        {
            return FaultKind.SecretStoreUnavailable;
        }

        if (chain.Any(e => e is DbException or DbUpdateException or RetryLimitExceededException))
        {
            return FaultKind.DatabaseUnavailable;
        }

        return FaultKind.Unexpected;
    }

    /// <summary>The message for the person; <paramref name="errorId"/> is quoted for unexpected faults (the logs hold the details under it).</summary>
    public static string For(FaultKind fault, ActionKind action, string errorId)
    {
        var consequence = action switch
        {
            ActionKind.Save => "; nothing was saved.",
            ActionKind.Load => "; it could not be loaded.",
            _ => ".",
        };
        return fault switch
        {
            FaultKind.DatabaseBusy => $"The database is busy{consequence} Try again.",
            FaultKind.DatabaseUnavailable => $"The database is not available{consequence} Try again.",
            FaultKind.DataDirectoryReadOnly => $"The data directory is read-only{consequence} Ask your administrator to make it writable, then try again.",
            FaultKind.SecretStoreUnavailable => $"The secret store is not available{consequence} Try again.",
            _ => $"Something went wrong{consequence} Try again; if it keeps happening, give your administrator this error ID: {errorId}.",
        };
    }

    private static IEnumerable<Exception> Chain(Exception exception)
    {
        var pending = new Stack<Exception>();
        pending.Push(exception);
        while (pending.Count > 0)
        {
            var current = pending.Pop();
            yield return current;
            if (current is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions)
                {
                    pending.Push(inner);
                }
            }
            else if (current.InnerException is { } inner)
            {
                pending.Push(inner);
            }
        }
    }
}
