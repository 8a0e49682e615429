using ByokPortal.Runtime.Gateway;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ByokPortal.Runtime;

/// <summary>
/// What a resolve or gateway call answers when it failed in ByokPortal itself rather than at the provider (<see cref="GatewayExchange"/>
/// answers those): a 500 problem, logged with the exception; the status of a request Kestrel could not read; nothing when the application
/// went away. Each call's usage row records the status. These routes answer their faults themselves, in the method each call already runs
/// in (<see cref="GatewayForwarder"/>, <see cref="Resolution.ResolveEndpoints"/>), and carry <see cref="AnswersItsOwnFaults"/> so that a
/// host puts no exception-handling middleware around them: its await would cost every call.
/// </summary>
public static partial class RuntimeFaults
{
    /// <summary>Endpoint metadata of the routes that answer their own faults.</summary>
    public sealed class AnswersItsOwnFaults
    {
        internal static readonly AnswersItsOwnFaults Instance = new();

        private AnswersItsOwnFaults()
        {
        }
    }

    /// <summary>Whether the request's endpoint answers its own faults (the host's exception handler is for the others).</summary>
    public static bool AnswersItsOwn(HttpContext context) =>
        context?.GetEndpoint()?.Metadata.GetMetadata<AnswersItsOwnFaults>() is not null;

    internal static TBuilder AnswerOwnFaults<TBuilder>(this TBuilder route)
        where TBuilder : IEndpointConventionBuilder => route.WithMetadata(AnswersItsOwnFaults.Instance);

    /// <summary>Answers the fault (unless the answer had begun: then the connection is broken, so no cut answer passes for a whole one).</summary>
    /// <returns>The status the call ended with, for its usage row.</returns>
    internal static async Task<int> AnswerAsync(HttpContext context, Exception exception, ILogger logger)
    {
        if (exception is OperationCanceledException or IOException && context.RequestAborted.IsCancellationRequested)
        {
            return GatewayExchange.StatusClientClosedRequest;
        }

        int status;
        Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult problem;
        if (exception is BadHttpRequestException unreadable)
        {
            // Kestrel could not read the request (a malformed chunked body, a body that came too slowly): the application's side.
            status = unreadable.StatusCode;
            problem = RuntimeProblems.UnreadableRequest(status, unreadable.Message);
            LogUnreadable(logger, status, unreadable.Message);
        }
        else
        {
            status = StatusCodes.Status500InternalServerError;
            problem = RuntimeProblems.RuntimeFailed();
            LogFailed(logger, context.Request.Path, exception);
        }

        var response = context.Response;
        if (response.HasStarted)
        {
            context.Abort();
            return status;
        }

        response.Clear();
        await problem.ExecuteAsync(context);
        return status;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A call to {Path} failed in ByokPortal itself; it was answered with a 500 problem.")]
    private static partial void LogFailed(ILogger logger, PathString path, Exception exception);

    [LoggerMessage(Level = LogLevel.Debug, Message = "A runtime request could not be read ({Status}): {Reason}")]
    private static partial void LogUnreadable(ILogger logger, int status, string reason);
}
