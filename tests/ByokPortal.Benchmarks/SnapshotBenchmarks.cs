using BenchmarkDotNet.Attributes;
using ByokPortal.Runtime.Snapshots;
using Microsoft.Extensions.DependencyInjection;

namespace ByokPortal.Benchmarks;

/// <summary>
/// Rebuilding the runtime snapshot of the enterprise at the scale of issue 8, as an instance does when its policy version changes: every
/// query of <see cref="SnapshotBuilder"/>, the availability rule for all 5,000 organizations and the API keys with keys of their own, and
/// the new installation-wide snapshot with its index of 10,000 API keys (credentials come from the in-memory cache, as on a rebuild).
/// Target (issue 8): under 1 s.
/// </summary>
[MemoryDiagnoser]
public class SnapshotBenchmarks
{
    private ScaleFixture _fixture = default!;
    private SnapshotBuilder _builder = default!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _fixture = await ScaleFixture.StartAsync();
        _builder = _fixture.Services.GetRequiredService<SnapshotBuilder>();
    }

    [GlobalCleanup]
    public void Cleanup() => _fixture.Dispose();

    [Benchmark]
    public async Task<int> RebuildEnterpriseSnapshot()
    {
        var enterprise = await _builder.BuildAsync(_fixture.EnterpriseId, CancellationToken.None);
        var snapshot = _fixture.Store.Current.With(enterprise);
        return snapshot.ApiKeys.Count;
    }
}
