using BenchmarkDotNet.Attributes;
using ByokPortal.Core.Usage;
using ByokPortal.Runtime.Resolution;
using ByokPortal.Runtime.Snapshots;
using ByokPortal.Runtime.Usage;
using Microsoft.Extensions.DependencyInjection;

namespace ByokPortal.Benchmarks;

/// <summary>
/// Usage recording, per runtime call, as the runtime does it: the request path queues the call (<see cref="UsageRecorder"/>), and the
/// usage writer writes the queued calls to the scale fixture's SQLite file in one batch of <see cref="Calls"/> (the rows, their hours'
/// totals, and each API key's "last used"). Reported per call: the CPU and allocations each gateway or resolve call adds off its path.
/// <see cref="Organizations"/>: the calls of the fixture's 8 API keys, or spread over 5,000 organizations with an API key each (what a
/// busy enterprise writes: before the hourly totals, every such row was also an insert at a random place of two indexes of every call).
/// </summary>
[MemoryDiagnoser]
public class UsageBenchmarks
{
    public const int Calls = 1_000;

    private ScaleFixture _fixture = default!;
    private UsageRecorder _recorder = default!;
    private UsageWriter _writer = default!;
    private UsageEvent[] _events = [];

    [Params(8, 5_000)]
    public int Organizations { get; set; }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _fixture = await ScaleFixture.StartAsync();
        _recorder = _fixture.Services.GetRequiredService<UsageRecorder>();
        _writer = _fixture.Services.GetRequiredService<UsageWriter>();
        var store = _fixture.Store;
        var keys = _fixture.Tokens.Select(t => (Key: store.Current.ApiKeys[ApiKeyHash.Of(t.Token)], t.Model)).ToList();
        var events = new List<UsageEvent>(Calls);
        var spread = Enumerable.Range(0, Organizations).Select(_ => (Organization: Guid.NewGuid(), ApiKey: Guid.NewGuid())).ToArray();
        var now = DateTimeOffset.UtcNow;
        for (var i = 0; i < Calls; i++)
        {
            var (key, model) = keys[i % keys.Count];
            var route = ModelResolver.Resolve(key, model).Route;
            events.Add(Organizations <= keys.Count
                ? new UsageEvent(now, key.EnterpriseId, key.OrganizationId, key.Id, route?.Key.Id, model, UsageOperation.ChatCompletions, 200, 9, 8, 3)
                : new UsageEvent(now, key.EnterpriseId, spread[i % spread.Length].Organization, spread[i % spread.Length].ApiKey, route?.Key.Id, model,
                    UsageOperation.ChatCompletions, 200, 9, 8, 3));
        }

        _events = [.. events];
    }

    [GlobalCleanup]
    public void Cleanup() => _fixture.Dispose();

    [Benchmark(OperationsPerInvoke = Calls)]
    public async Task RecordAndWrite()
    {
        foreach (ref readonly var usage in _events.AsSpan())
        {
            _recorder.Record(usage);
        }

        await _writer.FlushAsync(CancellationToken.None);
    }
}
