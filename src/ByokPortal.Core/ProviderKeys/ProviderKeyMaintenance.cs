using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ByokPortal.Core.ProviderKeys;

/// <summary>
/// Runs once a minute (by the injected clock): retires rotated credential versions whose grace period passed, then one round of the
/// background health check. A failed round is logged and the next one runs as usual.
/// </summary>
public sealed partial class ProviderKeyMaintenance(IServiceScopeFactory scopes, TimeProvider time, ILogger<ProviderKeyMaintenance> logger) : BackgroundService
{
    public static readonly TimeSpan Tick = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Tick, time);
        do
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<RetireRotatedVersionsCommand>().ExecuteAsync(stoppingToken);
                await scope.ServiceProvider.GetRequiredService<CheckProviderKeysHealthCommand>().ExecuteAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                LogRoundFailed(logger, e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A round of provider key maintenance (rotation retirement, health check) failed; the next round runs as usual.")]
    private static partial void LogRoundFailed(ILogger logger, Exception exception);
}
