using System.Net;
using ByokPortal.Testing;

namespace ByokPortal.Runtime.Tests.RateLimiting;

public sealed class SmallRateLimitFixture : RuntimeFixture
{
    protected override void Configure(PortalAppFactory factory) => factory.WithSetting("Portal:Runtime:DefaultRateLimitPerMinute", "3");
}

/// <summary>Each API key's requests per minute: past its limit the runtime answers 429 with Retry-After; other keys are unaffected.</summary>
public sealed class RateLimitTests(SmallRateLimitFixture fixture) : IClassFixture<SmallRateLimitFixture>
{
    private readonly RuntimeSteps _steps = new(fixture);

    [Fact]
    public async Task ApiKey_OverItsLimit_Gets429WithRetryAfter_AnotherKeyIsStillServed()
    {
        var busy = await _steps.IssueApiKeyAsync("contoso-web");
        var quiet = await _steps.IssueApiKeyAsync("contoso-web");
        await fixture.RefreshAsync();
        var client = fixture.Client(busy.Token);

        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? last = null;
        for (var i = 0; i < 4; i++)
        {
            last?.Dispose();
            last = await client.GetAsync(new Uri("/v1/models", UriKind.Relative), RuntimeFixture.Ct);
            statuses.Add(last.StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
        Assert.True(last!.Headers.RetryAfter?.Delta is { TotalSeconds: >= 1 and <= 60 }, last.Headers.RetryAfter?.ToString());
        Assert.Equal("application/problem+json", last.Content.Headers.ContentType?.MediaType);
        last.Dispose();
        using var other = await fixture.Client(quiet.Token).GetAsync(new Uri("/v1/models", UriKind.Relative), RuntimeFixture.Ct);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }

    [Fact]
    public async Task OwnerSetsAKeysOwnLimit_TheRuntimeAppliesIt_EmptyGivesBackTheDefault()
    {
        var app = await _steps.IssueApiKeyAsync("contoso-web");
        await _steps.SetRateLimitAsync("contoso-web", app.Id, "5");
        await fixture.RefreshAsync();
        var client = fixture.Client(app.Token);

        async Task<List<HttpStatusCode>> CallAsync(int times)
        {
            var statuses = new List<HttpStatusCode>();
            for (var i = 0; i < times; i++)
            {
                using var response = await client.GetAsync(new Uri("/v1/models", UriKind.Relative), RuntimeFixture.Ct);
                statuses.Add(response.StatusCode);
            }

            return statuses;
        }

        // Its own 5 a minute, above the default of 3.
        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.OK, 5), HttpStatusCode.TooManyRequests], await CallAsync(6));

        // Back to the default: at most 3 a minute from now on.
        await _steps.SetRateLimitAsync("contoso-web", app.Id, "");
        await fixture.RefreshAsync();
        string? detail = null;
        for (var i = 0; i < 5 && detail is null; i++)
        {
            using var response = await client.GetAsync(new Uri("/v1/models", UriKind.Relative), RuntimeFixture.Ct);
            detail = response.StatusCode == HttpStatusCode.TooManyRequests ? await response.Content.ReadAsStringAsync(RuntimeFixture.Ct) : null;
        }

        Assert.NotNull(detail);
        Assert.Contains("may make 3 requests per minute", detail, StringComparison.Ordinal);
    }
}
