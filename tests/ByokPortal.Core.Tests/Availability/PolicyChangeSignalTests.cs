using ByokPortal.Core.Availability;

namespace ByokPortal.Core.Tests.Availability;

/// <summary>The runtime's wait between polls: ended by a change on this instance, by the poll interval, or by stopping.</summary>
public sealed class PolicyChangeSignalTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task WaitAsync_WithNothingChanged_EndsAfterTheInterval_WithNothing()
    {
        var signal = new PolicyChangeSignal();

        var changed = await signal.WaitAsync(TimeSpan.FromMilliseconds(20), Ct);

        Assert.Empty(changed);
    }

    [Fact]
    public async Task WaitAsync_EndsWhenSomethingChanges_AndHandsItOverOnce()
    {
        var signal = new PolicyChangeSignal();
        var enterprise = Guid.NewGuid();
        var waiting = signal.WaitAsync(TimeSpan.FromMinutes(5), Ct);

        signal.Notify([enterprise]);

        Assert.Equal([enterprise], await waiting.WaitAsync(TimeSpan.FromSeconds(30), Ct));
        Assert.Empty(await signal.WaitAsync(TimeSpan.FromMilliseconds(20), Ct));
    }

    [Fact]
    public async Task WaitAsync_WhenStopped_Throws_RatherThanReportingAQuietInterval()
    {
        var signal = new PolicyChangeSignal();
        using var stopping = new CancellationTokenSource();
        var waiting = signal.WaitAsync(TimeSpan.FromMinutes(5), stopping.Token);

        await stopping.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
    }
}
