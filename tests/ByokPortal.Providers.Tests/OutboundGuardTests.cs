using System.Net;
using ByokPortal.Providers.Outbound;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ByokPortal.Providers.Tests;

/// <summary>What the guard allows: public addresses; internal ones only through AllowedHosts; loopback by default only in Development.</summary>
public sealed class OutboundGuardTests
{
    private static OutboundGuard Guard(string environment = "Production", bool? allowLoopback = null, params string[] allowedHosts)
    {
        var options = new OutboundOptions { AllowLoopback = allowLoopback };
        foreach (var entry in allowedHosts)
        {
            options.AllowedHosts.Add(entry);
        }

        return new OutboundGuard(Options.Create(options), new Microsoft.Extensions.Hosting.Internal.HostingEnvironment { EnvironmentName = environment });
    }

    [Theory]
    [InlineData("api.openai.com", "20.42.65.92")]
    [InlineData("example.com", "2606:4700:4700::1111")]
    [InlineData("gateway.example.com", "::ffff:8.8.8.8")]
    public void IsAllowed_PublicAddress_IsAllowed(string host, string address) =>
        Assert.True(Guard().IsAllowed(host, IPAddress.Parse(address)));

    [Theory]
    [InlineData("Production", null, false)]
    [InlineData("Staging", null, false)]
    [InlineData("Testing", null, false)]
    [InlineData("Development", null, true)]
    [InlineData("Development", false, false)]
    [InlineData("Production", true, true)]
    public void IsAllowed_Loopback_FollowsAllowLoopbackWhichDefaultsToDevelopmentOnly(string environment, bool? allowLoopback, bool expected)
    {
        var guard = Guard(environment, allowLoopback);

        Assert.Equal(expected, guard.IsAllowed("localhost", IPAddress.Loopback));
        Assert.Equal(expected, guard.IsAllowed("localhost", IPAddress.IPv6Loopback));
        Assert.Equal(expected, guard.IsAllowed("::ffff:127.0.0.1", IPAddress.Parse("::ffff:127.0.0.1")));
    }

    [Fact]
    public void IsAllowed_LoopbackAllowed_StillRefusesEveryOtherInternalAddress()
    {
        var guard = Guard("Development");

        Assert.False(guard.IsAllowed("10.0.0.1", IPAddress.Parse("10.0.0.1")));
        Assert.False(guard.IsAllowed("169.254.169.254", IPAddress.Parse("169.254.169.254")));
        Assert.False(guard.IsAllowed("0.0.0.0", IPAddress.Any));
    }

    [Fact]
    public void IsAllowed_HostNameInAllowedHosts_AllowsItsInternalAddressesOnly()
    {
        var guard = Guard("Production", null, "Ollama.Internal.Example");

        Assert.True(guard.IsAllowed("ollama.internal.example", IPAddress.Parse("10.20.0.5")));
        Assert.True(guard.IsAllowed("OLLAMA.internal.example.", IPAddress.Parse("fd12::5")));
        Assert.False(guard.IsAllowed("other.internal.example", IPAddress.Parse("10.20.0.5")));
        Assert.False(guard.IsAllowed("10.20.0.5", IPAddress.Parse("10.20.0.5")));
    }

    [Theory]
    [InlineData("169.254.169.254")]
    [InlineData("fd00:ec2::254")]
    [InlineData("168.63.129.16")]
    [InlineData("::ffff:169.254.169.254")]
    public void IsAllowed_AllowedHostNameResolvingToCloudMetadata_IsRefused(string address) =>
        Assert.False(Guard("Production", null, "ollama.internal.example").IsAllowed("ollama.internal.example", IPAddress.Parse(address)));

    [Fact]
    public void IsAllowed_AddressesAndRangesInAllowedHosts_AllowExactlyWhatTheyName()
    {
        var guard = Guard("Production", null, "10.20.0.0/16", "192.168.1.7", "fd12:3456::/32", "[fe80::1]");

        Assert.True(guard.IsAllowed("ollama", IPAddress.Parse("10.20.255.1")));
        Assert.True(guard.IsAllowed("::ffff:10.20.0.1", IPAddress.Parse("::ffff:10.20.0.1")));
        Assert.False(guard.IsAllowed("ollama", IPAddress.Parse("10.21.0.1")));
        Assert.True(guard.IsAllowed("192.168.1.7", IPAddress.Parse("192.168.1.7")));
        Assert.False(guard.IsAllowed("192.168.1.8", IPAddress.Parse("192.168.1.8")));
        Assert.True(guard.IsAllowed("ollama6", IPAddress.Parse("fd12:3456:1::9")));
        Assert.False(guard.IsAllowed("ollama6", IPAddress.Parse("fd12:3457::9")));
        Assert.True(guard.IsAllowed("fe80::1", IPAddress.Parse("fe80::1")));
        Assert.False(guard.IsAllowed("localhost", IPAddress.Loopback));
    }

    [Fact]
    public void IsAllowed_MetadataAddressNamedExplicitly_IsAllowed() =>
        Assert.True(Guard("Production", null, "169.254.169.254").IsAllowed("169.254.169.254", IPAddress.Parse("169.254.169.254")));

    [Theory]
    [InlineData("10.0.0.0/33")]
    [InlineData("300.1.2.3")]
    [InlineData("10.0.0.0/")]
    [InlineData("not a host")]
    [InlineData("http://ollama:11434")]
    [InlineData("")]
    public void Start_AllowedHostsEntryThatIsNeitherNameAddressNorRange_RefusesToStartNamingIt(string entry)
    {
        var builder = new HostApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, EnvironmentName = "Production" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Portal:Outbound:AllowedHosts:0"] = entry });
        builder.Services.AddPortalOutbound();
        using var host = builder.Build();

        var error = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<OutboundGuard>());

        Assert.Contains($"Portal:Outbound:AllowedHosts holds \"{entry}\"", error.Message, StringComparison.Ordinal);
    }
}
