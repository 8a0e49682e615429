using System.Net;
using ByokPortal.Core.ProviderKeys;
using ByokPortal.Testing;

namespace ByokPortal.Runtime.Tests.Snapshots;

public sealed class FastPollFixture : RuntimeFixture
{
    public const string PollInterval = "00:00:00.250";

    protected override void Configure(PortalAppFactory factory) => factory.WithSetting("Portal:Runtime:PolicyPollInterval", PollInterval);
}

/// <summary>
/// The runtime serves from memory, yet sees every change: on the instance where it was made at once (the save signals it), and on any other
/// instance over the same database within its polling interval.
/// </summary>
public sealed class PolicyPropagationTests(FastPollFixture fixture) : IClassFixture<FastPollFixture>
{
    private readonly RuntimeSteps _steps = new(fixture);

    [Fact]
    public async Task ChangeInThePortal_IsVisibleToResolveWithoutAnyRestartOrManualRefresh()
    {
        var model = RuntimeSteps.UniqueModel("gpt");
        var app = await _steps.IssueApiKeyAsync("contoso-web");
        await Eventually(async () => (await fixture.Client(app.Token).GetJsonAsync("/v1/models")).Status == HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.Client(app.Token).ResolveAsync(model)).Status);

        await _steps.AddEnterpriseKeyForAllAsync("Live " + model, [model]);

        await Eventually(async () => (await fixture.Client(app.Token).ResolveAsync(model)).Status == HttpStatusCode.OK);
    }

    [Fact]
    public async Task ChangeMadeOnOneInstance_ReachesASecondInstanceOverTheSameDatabaseWithinItsPollingInterval()
    {
        await using var second = new PortalAppFactory(fixture.Factory.DataDirectory)
            .WithSetting("Portal:Runtime:PolicyPollInterval", FastPollFixture.PollInterval)
            .WithSetting("Portal:Outbound:AllowLoopback", "true");
        var secondAddress = second.StartOnFreePort();
        HttpClient OnSecond(string token)
        {
            var client = new HttpClient { BaseAddress = secondAddress };
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            return client;
        }

        // An API key issued on the first instance works on the second.
        var app = await _steps.IssueApiKeyAsync("contoso-data");
        await Eventually(async () => (await OnSecond(app.Token).GetJsonAsync("/v1/models")).Status == HttpStatusCode.OK);

        // A model added on the first instance resolves on the second.
        var model = RuntimeSteps.UniqueModel("gpt");
        await _steps.AddEnterpriseKeyForAllAsync("Shared " + model, [model]);
        await Eventually(async () => (await OnSecond(app.Token).ResolveAsync(model)).Status == HttpStatusCode.OK);

        // A revocation on the first instance refuses the key on the second.
        await _steps.RevokeApiKeyAsync("contoso-data", app.Id);
        await Eventually(async () => (await OnSecond(app.Token).GetJsonAsync("/v1/models")).Status == HttpStatusCode.Unauthorized);
    }

    private static async Task Eventually(Func<Task<bool>> condition)
    {
        // Generous for a busy CI machine; a poll interval of 250 ms usually needs well under a second.
        for (var attempt = 0; attempt < 200; attempt++)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(100, RuntimeFixture.Ct);
        }

        Assert.Fail("The change did not reach the runtime within 20 seconds.");
    }
}
