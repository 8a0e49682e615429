using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ByokPortal.Core.Secrets;

/// <summary>
/// Runs <see cref="SweepOrphanSecretsCommand"/> when the portal starts and then every <see cref="SecretSweepOptions.Interval"/>.
/// A failed sweep (store or database down) is logged and tried again at the next interval. Several instances may sweep at once:
/// deleting a secret that is already gone is not an error.
/// </summary>
public sealed partial class OrphanSecretSweeper(
    IServiceScopeFactory scopes,
    IOptions<SecretSweepOptions> options,
    TimeProvider time,
    ILogger<OrphanSecretSweeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.Interval, time);
        do
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<SweepOrphanSecretsCommand>().ExecuteAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // a failed sweep must not stop the portal; the next one tries again
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogSweepFailed(logger, e);
            }
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The orphan secret sweep failed; it runs again at the next interval.")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
