using System.Net;
using ByokPortal.Providers.Outbound;

namespace ByokPortal.Providers.Tests;

/// <summary>Every range the guard refuses, in both address families and in the IPv6 forms that carry an IPv4 address.</summary>
public sealed class AddressClassifierTests
{
    [Theory]
    // IPv4
    [InlineData("127.0.0.1", AddressKind.Loopback)]
    [InlineData("127.255.255.254", AddressKind.Loopback)]
    [InlineData("10.0.0.1", AddressKind.Private)]
    [InlineData("10.255.255.255", AddressKind.Private)]
    [InlineData("172.16.0.1", AddressKind.Private)]
    [InlineData("172.31.255.255", AddressKind.Private)]
    [InlineData("192.168.0.1", AddressKind.Private)]
    [InlineData("192.168.255.255", AddressKind.Private)]
    [InlineData("169.254.0.1", AddressKind.LinkLocal)]
    [InlineData("169.254.169.254", AddressKind.CloudMetadata)]
    [InlineData("168.63.129.16", AddressKind.CloudMetadata)]
    [InlineData("100.100.100.200", AddressKind.CloudMetadata)]
    [InlineData("100.64.0.1", AddressKind.SharedAddressSpace)]
    [InlineData("100.127.255.255", AddressKind.SharedAddressSpace)]
    [InlineData("224.0.0.1", AddressKind.Multicast)]
    [InlineData("239.255.255.250", AddressKind.Multicast)]
    [InlineData("0.0.0.0", AddressKind.Unspecified)]
    [InlineData("0.1.2.3", AddressKind.Unspecified)]
    [InlineData("255.255.255.255", AddressKind.Broadcast)]
    [InlineData("240.0.0.1", AddressKind.Reserved)]
    [InlineData("198.18.0.1", AddressKind.Benchmarking)]
    [InlineData("198.19.255.255", AddressKind.Benchmarking)]
    [InlineData("192.0.0.8", AddressKind.IetfProtocolAssignments)]
    [InlineData("192.0.2.1", AddressKind.Documentation)]
    [InlineData("203.0.113.7", AddressKind.Documentation)]
    // IPv4 edges just outside the ranges
    [InlineData("172.15.255.255", AddressKind.Public)]
    [InlineData("172.32.0.0", AddressKind.Public)]
    [InlineData("100.63.255.255", AddressKind.Public)]
    [InlineData("100.128.0.0", AddressKind.Public)]
    [InlineData("198.17.255.255", AddressKind.Public)]
    [InlineData("198.20.0.0", AddressKind.Public)]
    [InlineData("11.0.0.0", AddressKind.Public)]
    [InlineData("1.1.1.1", AddressKind.Public)]
    [InlineData("20.42.65.92", AddressKind.Public)]
    // IPv6
    [InlineData("::1", AddressKind.Loopback)]
    [InlineData("::", AddressKind.Unspecified)]
    [InlineData("fc00::1", AddressKind.Private)]
    [InlineData("fd12:3456::1", AddressKind.Private)]
    [InlineData("fd00:ec2::254", AddressKind.CloudMetadata)]
    [InlineData("fe80::1", AddressKind.LinkLocal)]
    [InlineData("febf::1", AddressKind.LinkLocal)]
    [InlineData("fec0::1", AddressKind.Private)]
    [InlineData("ff02::1", AddressKind.Multicast)]
    [InlineData("100::1", AddressKind.Reserved)]
    [InlineData("2001:db8::1", AddressKind.Documentation)]
    [InlineData("2001::1", AddressKind.IetfProtocolAssignments)]
    [InlineData("4000::1", AddressKind.Reserved)]
    [InlineData("64:ff9b:1::1", AddressKind.Private)]
    [InlineData("2606:4700:4700::1111", AddressKind.Public)]
    [InlineData("2a01:111:f100::1", AddressKind.Public)]
    // IPv6 forms carrying an IPv4 address: classified by that address
    [InlineData("::ffff:127.0.0.1", AddressKind.Loopback)]
    [InlineData("::ffff:7f00:1", AddressKind.Loopback)]
    [InlineData("::ffff:10.1.2.3", AddressKind.Private)]
    [InlineData("::ffff:169.254.169.254", AddressKind.CloudMetadata)]
    [InlineData("::ffff:100.64.0.1", AddressKind.SharedAddressSpace)]
    [InlineData("::ffff:1.1.1.1", AddressKind.Public)]
    [InlineData("::127.0.0.1", AddressKind.Loopback)]
    [InlineData("::192.168.1.1", AddressKind.Private)]
    [InlineData("::ffff:0:127.0.0.1", AddressKind.Loopback)]
    [InlineData("64:ff9b::127.0.0.1", AddressKind.Loopback)]
    [InlineData("64:ff9b::a9fe:a9fe", AddressKind.CloudMetadata)]
    [InlineData("64:ff9b::8.8.8.8", AddressKind.Public)]
    [InlineData("2002:7f00:1::", AddressKind.Loopback)]
    [InlineData("2002:c0a8:101::1", AddressKind.Private)]
    [InlineData("2002:808:808::1", AddressKind.Public)]
    public void Classify_Address_IsWhatItIs(string address, AddressKind expected) =>
        Assert.Equal(expected, AddressClassifier.Classify(IPAddress.Parse(address)));

    [Theory]
    [InlineData("2130706433")]
    [InlineData("0x7f000001")]
    [InlineData("0177.0.0.1")]
    [InlineData("127.1")]
    [InlineData("0x7f.0.0.1")]
    public void Classify_IPv4InAnotherNotation_IsLoopbackOnceParsed(string notation) =>
        Assert.Equal(AddressKind.Loopback, AddressClassifier.Classify(IPAddress.Parse(notation)));
}
