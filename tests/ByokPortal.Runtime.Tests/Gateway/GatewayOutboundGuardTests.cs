using System.Net;
using ByokPortal.Testing;

namespace ByokPortal.Runtime.Tests.Gateway;

public sealed class NoInternalAddressesFixture : RuntimeFixture
{
    protected override void Configure(PortalAppFactory factory) => factory.WithSetting("Portal:Outbound:AllowLoopback", "false");
}

/// <summary>The gateway's upstream calls go through the same outbound guard as the portal's own calls.</summary>
public sealed class GatewayOutboundGuardTests(NoInternalAddressesFixture fixture) : IClassFixture<NoInternalAddressesFixture>
{
    private readonly RuntimeSteps _steps = new(fixture);

    [Fact]
    public async Task KeyWhoseBaseUrlIsAnInternalAddress_IsNotForwardedTo_AndNothingIsCalled()
    {
        var model = RuntimeSteps.UniqueModel("gpt");
        var app = await _steps.IssueApiKeyAsync("contoso-web");
        var key = await _steps.AddEnterpriseKeyForAllAsync("Internal " + model, [model]);
        await fixture.RefreshAsync();
        var calls = fixture.StandIn.Requests.Count;

        var (status, problem, response) = await fixture.Client(app.Token).PostJsonAsync("/v1/chat/completions", $"{{\"model\":\"{model}\",\"messages\":[]}}");

        Assert.Equal(HttpStatusCode.BadGateway, status);
        Assert.Equal(RuntimeProblems.TypeBase + "provider-address-refused", problem.ProblemType());
        Assert.Contains("Portal:Outbound:AllowedHosts", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(key.KeyId.ToString(), response.Headers.GetValues("x-byok-key-id").Single());
        Assert.Equal(calls, fixture.StandIn.Requests.Count);
    }
}
