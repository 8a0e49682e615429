using ByokPortal.Core.Common;
using ByokPortal.Core.ProviderKeys;

namespace ByokPortal.Providers.Tests;

/// <summary>
/// Real HTTP through the portal's provider client with loopback not allowed: every internal address, in every notation, is refused
/// before a connection opens (the stand-in on 127.0.0.1, at the port of every URL below, records nothing), with a message that says
/// how an administrator can allow it. Hosts in AllowedHosts pass.
/// </summary>
public sealed class OutboundRefusalTests(GuardedClientFixture fixture) : IClassFixture<GuardedClientFixture>
{
    private static CancellationToken Ct => ProviderClientFixture.Ct;

    /// <summary>The URL's host, and the host the refusal names (.NET's URI parser normalizes IPv4 notations and IPv6 forms).</summary>
    [Theory]
    [InlineData("127.0.0.1", "127.0.0.1")]
    [InlineData("127.1", "127.0.0.1")]
    [InlineData("2130706433", "127.0.0.1")]
    [InlineData("0x7f000001", "127.0.0.1")]
    [InlineData("0177.0.0.1", "127.0.0.1")]
    [InlineData("0x7f.0.0.1", "127.0.0.1")]
    [InlineData("0.0.0.0", "0.0.0.0")]
    [InlineData("[::1]", "::1")]
    [InlineData("[::ffff:127.0.0.1]", "::ffff:127.0.0.1")]
    [InlineData("[::ffff:7f00:1]", "::ffff:127.0.0.1")]
    [InlineData("[::127.0.0.1]", "::127.0.0.1")]
    [InlineData("[64:ff9b::127.0.0.1]", "64:ff9b::7f00:1")]
    [InlineData("[2002:7f00:1::]", "2002:7f00:1::")]
    [InlineData("localhost", "localhost")]
    [InlineData("LocalHost", "localhost")]
    [InlineData("rebind.test", "rebind.test")]
    [InlineData("all-internal.test", "all-internal.test")]
    [InlineData("metadata.internal.test", "metadata.internal.test")]
    [InlineData("10.0.0.1", "10.0.0.1")]
    [InlineData("10.255.255.254", "10.255.255.254")]
    [InlineData("172.16.0.1", "172.16.0.1")]
    [InlineData("172.31.255.254", "172.31.255.254")]
    [InlineData("192.168.1.1", "192.168.1.1")]
    [InlineData("169.254.169.254", "169.254.169.254")]
    [InlineData("2852039166", "169.254.169.254")]
    [InlineData("[::ffff:169.254.169.254]", "::ffff:169.254.169.254")]
    [InlineData("[fd00:ec2::254]", "fd00:ec2::254")]
    [InlineData("168.63.129.16", "168.63.129.16")]
    [InlineData("100.64.0.1", "100.64.0.1")]
    [InlineData("100.127.255.254", "100.127.255.254")]
    [InlineData("[::ffff:10.0.0.1]", "::ffff:10.0.0.1")]
    [InlineData("[fc00::1]", "fc00::1")]
    [InlineData("[fe80::1]", "fe80::1")]
    [InlineData("224.0.0.1", "224.0.0.1")]
    [InlineData("255.255.255.255", "255.255.255.255")]
    [InlineData("240.0.0.1", "240.0.0.1")]
    [InlineData("198.18.0.1", "198.18.0.1")]
    [InlineData("192.0.0.1", "192.0.0.1")]
    public async Task ListModelsAsync_InternalAddress_IsRefusedByPolicyWithNothingCalled(string urlHost, string refusedHost)
    {
        var before = fixture.StandIn.Requests.Count;
        var key = "sk-never-sent-" + Guid.NewGuid().ToString("N");

        var result = await fixture.Client.ListModelsAsync(new ProviderEndpoint(ProviderKind.OpenAI, $"http://{urlHost}:{fixture.Port}/v1", null), key, Ct).ModelsAsync();

        var error = Assert.IsType<ProviderCallError>(result.Error);
        Assert.Equal((ProviderFailureReason.RefusedByPolicy, $"{refusedHost} is an internal address; an administrator can allow it with Portal:Outbound:AllowedHosts."),
            (error.Reason, error.Message));
        Assert.Equal(before, fixture.StandIn.Requests.Count);
        Assert.False(fixture.Logs.AllText.Contains(key, StringComparison.Ordinal), "the logs hold the key");
    }

    /// <summary>A trailing dot makes a literal a name for some resolvers and nothing for others: either way it never gets through.</summary>
    [Theory]
    [InlineData("127.0.0.1.")]
    [InlineData("localhost.")]
    [InlineData("2130706433.")]
    public async Task ListModelsAsync_InternalAddressWithATrailingDot_NeverReachesIt(string urlHost)
    {
        var before = fixture.StandIn.Requests.Count;

        var result = await fixture.Client.ListModelsAsync(new ProviderEndpoint(ProviderKind.OpenAI, $"http://{urlHost}:{fixture.Port}/v1", null), "sk-anything", Ct).ModelsAsync();

        Assert.Contains(Assert.IsType<ProviderCallError>(result.Error).Reason, new[] { ProviderFailureReason.RefusedByPolicy, ProviderFailureReason.Unreachable });
        Assert.Equal(before, fixture.StandIn.Requests.Count);
    }

    [Fact]
    public async Task ListModelsAsync_HostNameInAllowedHosts_ReachesTheInternalProvider()
    {
        var before = fixture.StandIn.Requests.Count;

        var result = await fixture.Client.ListModelsAsync(
            new ProviderEndpoint(ProviderKind.Ollama, $"http://ollama.internal.test:{fixture.Port}/v1", null), fixture.StandIn.AcceptedKey, Ct).ModelsAsync();

        Assert.True(result.IsSuccess, result.Error?.Message);
        var request = Assert.Single(fixture.StandIn.Requests.Skip(before));
        Assert.Equal($"ollama.internal.test:{fixture.Port}", request.Headers["Host"]);
    }

    [Fact]
    public async Task ListModelsAsync_AddressInAllowedHosts_IsReached()
    {
        var before = fixture.Allowed.Requests.Count;

        var result = await fixture.Client.ListModelsAsync(
            new ProviderEndpoint(ProviderKind.OpenAI, $"http://127.0.0.2:{fixture.Port}/v1", null), fixture.Allowed.AcceptedKey, Ct).ModelsAsync();

        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.Equal(before + 1, fixture.Allowed.Requests.Count);
    }

    [Fact]
    public async Task ListModelsAsync_NameResolvingToARefusedAndAnAllowedAddress_ConnectsOnlyToTheAllowedOne()
    {
        var (refusedBefore, allowedBefore) = (fixture.StandIn.Requests.Count, fixture.Allowed.Requests.Count);

        var result = await fixture.Client.ListModelsAsync(
            new ProviderEndpoint(ProviderKind.OpenAI, $"http://mixed.test:{fixture.Port}/v1", null), fixture.Allowed.AcceptedKey, Ct).ModelsAsync();

        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.Equal((refusedBefore, allowedBefore + 1), (fixture.StandIn.Requests.Count, fixture.Allowed.Requests.Count));
    }

    [Fact]
    public async Task ListModelsAsync_UnknownName_IsUnreachableNotRefused()
    {
        var result = await fixture.Client.ListModelsAsync(
            new ProviderEndpoint(ProviderKind.OpenAI, "http://no-such-host.invalid/v1", null), "sk-anything", Ct).ModelsAsync();

        var error = Assert.IsType<ProviderCallError>(result.Error);
        Assert.Equal((ProviderFailureReason.Unreachable, "Could not reach no-such-host.invalid: the host name could not be resolved. Check the base URL."),
            (error.Reason, error.Message));
    }
}
