using ByokPortal.Runtime.Authentication;
using ByokPortal.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace ByokPortal.Runtime.Tests.Authentication;

/// <summary>A flood of wrong API keys is logged as a count, not a line per request; each refusal is still there at Debug.</summary>
public sealed class ApiKeyRefusalLogTests
{
    [Fact]
    public void AFloodOfRefusals_WritesTheFirstAndThenOneLineAMinute_CountingTheOthers()
    {
        var time = new FakeTimeProvider();
        var logs = new LogCapture();
        using var factory = LoggerFactory.Create(logging => logging.AddProvider(logs).SetMinimumLevel(LogLevel.Debug));
        var refusals = new ApiKeyRefusalLog(time, factory.CreateLogger<ApiKeyAuthenticationHandler>());

        for (var i = 0; i < 500; i++)
        {
            refusals.Refused(ApiKeyAuthenticationHandler.UnknownMessage);
        }

        time.Advance(ApiKeyRefusalLog.Interval - TimeSpan.FromSeconds(1));
        refusals.Refused(ApiKeyAuthenticationHandler.UnknownMessage);
        var afterAFlood = InformationLines(logs);
        time.Advance(TimeSpan.FromSeconds(1));
        refusals.Refused(ApiKeyAuthenticationHandler.RevokedMessage);

        var lines = InformationLines(logs);
        Assert.Single(afterAFlood);
        Assert.Contains(ApiKeyAuthenticationHandler.UnknownMessage + " Since the previous line: 0 others", afterAFlood[0], StringComparison.Ordinal);
        Assert.Equal(2, lines.Count);
        Assert.Contains(ApiKeyAuthenticationHandler.RevokedMessage + " Since the previous line: 500 others", lines[1], StringComparison.Ordinal);
        Assert.Equal(502, logs.Lines.Count(line => line.StartsWith("Debug ", StringComparison.Ordinal) && line.Contains("was refused", StringComparison.Ordinal)));
    }

    private static List<string> InformationLines(LogCapture logs) =>
        logs.Lines.Where(line => line.StartsWith("Information ", StringComparison.Ordinal)).ToList();
}
