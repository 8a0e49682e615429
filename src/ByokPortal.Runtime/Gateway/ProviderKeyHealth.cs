using System.Threading.Channels;
using ByokPortal.Core.Common;
using ByokPortal.Core.ProviderKeys;
using ByokPortal.Runtime.Snapshots;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ByokPortal.Runtime.Gateway;

/// <summary>
/// When a provider refuses a key on a gateway request (401 or 403), marks it invalid at once in this instance's snapshot (the next requests
/// for its models fail without calling the provider, and never fall back), then records it in the database off the request path
/// (<see cref="RecordProviderRefusalCommand"/>), which renews the policy version so every other instance sees it too.
/// </summary>
public sealed partial class ProviderKeyHealth(SnapshotStore store, IServiceScopeFactory scopes, TimeProvider time, ILogger<ProviderKeyHealth> logger) : BackgroundService
{
    private readonly Channel<(Guid KeyId, int Status, Actor Actor)> _refusals =
        Channel.CreateBounded<(Guid, int, Actor)>(new BoundedChannelOptions(1_000) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    public void Refused(RuntimeProviderKey key, int statusCode, Actor actor)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Invalid is not null)
        {
            return;
        }

        var what = statusCode == 403 ? "forbidden (403)" : "rejected (401)";
        store.RecordRefusal(key, new InvalidMark(time.GetUtcNow(), $"The provider {what} this key on a gateway request."));
        _refusals.Writer.TryWrite((key.Id, statusCode, actor));
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var (keyId, status, actor) in _refusals.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<RecordProviderRefusalCommand>().ExecuteAsync(actor, keyId, status, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogRecordFailed(logger, keyId, e);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Recording that the provider refused key {KeyId} failed; this instance keeps it marked invalid.")]
    private static partial void LogRecordFailed(ILogger logger, Guid keyId, Exception exception);
}
