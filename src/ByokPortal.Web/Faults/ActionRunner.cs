using ByokPortal.Core.Common;
using ByokPortal.Web.Authentication;

namespace ByokPortal.Web.Faults;

/// <summary>A fault (not a use case's expected failure) turned into words by <see cref="ActionRunner"/>.</summary>
public sealed record FaultError(FaultKind Kind, string Message) : Error(Message);

/// <summary>
/// The one way pages and dialogs run what a person asked for. A fault of the database, the data directory or the secret store must
/// not end the circuit (the page would freeze and the dialog's buttons would do nothing): the exception is logged under an error ID,
/// and the page gets a message in the person's words (<see cref="FaultMessages"/>) to show where the action was started. The page
/// keeps what the person entered, so the same dialog can save again once the fault is gone. An ended session is not a fault: its
/// <see cref="SessionEndedException"/> goes on to the error boundary, which shows "You have been signed out". Nor is a cancellation
/// the caller asked for (a table or an autocomplete dropping a search overtaken by the next one): it goes back to the caller.
/// </summary>
public sealed partial class ActionRunner(ILogger<ActionRunner> logger)
{
    /// <summary>Runs a use case: its typed result as it is, or a fault as a <see cref="FaultError"/> the page shows like any other error.</summary>
    public async Task<Result<T>> RunAsync<T>(ActionKind kind, Func<Task<Result<T>>> action, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(action);
        try
        {
            return await action();
        }
#pragma warning disable CA1031 // every fault becomes a message: an exception escaping an event handler would end the circuit
        catch (Exception e) when (e is not SessionEndedException && !(e is OperationCanceledException && cancellationToken.IsCancellationRequested))
#pragma warning restore CA1031
        {
            return Fault(kind, e);
        }
    }

    /// <returns>Null when the action ran to its end; otherwise the message to show.</returns>
    public async Task<string?> RunAsync(ActionKind kind, Func<Task> action, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(action);
        try
        {
            await action();
            return null;
        }
#pragma warning disable CA1031 // as above
        catch (Exception e) when (e is not SessionEndedException && !(e is OperationCanceledException && cancellationToken.IsCancellationRequested))
#pragma warning restore CA1031
        {
            return Fault(kind, e).Message;
        }
    }

    private FaultError Fault(ActionKind kind, Exception exception)
    {
        var fault = FaultMessages.Classify(exception);
        var errorId = Guid.NewGuid().ToString("N")[..12];
        if (fault == FaultKind.Unexpected)
        {
            LogUnexpected(logger, kind, errorId, exception);
        }
        else
        {
            LogFault(logger, kind, fault, errorId, exception);
        }

        return new FaultError(fault, FaultMessages.For(fault, kind, errorId));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A page action ({Kind}) failed: {Fault}; error ID {ErrorId}.")]
    private static partial void LogFault(ILogger logger, ActionKind kind, FaultKind fault, string errorId, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "A page action ({Kind}) failed unexpectedly; error ID {ErrorId}.")]
    private static partial void LogUnexpected(ILogger logger, ActionKind kind, string errorId, Exception exception);
}
