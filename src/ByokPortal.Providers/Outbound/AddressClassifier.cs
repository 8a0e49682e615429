using System.Net;
using System.Net.Sockets;

namespace ByokPortal.Providers.Outbound;

/// <summary>What an IP address is, as far as outbound calls care. Everything but <see cref="Public"/> is refused unless allowed.</summary>
public enum AddressKind
{
    Public,
    Loopback,

    /// <summary>10/8, 172.16/12, 192.168/16; IPv6 unique local fc00::/7 and the deprecated site-local fec0::/10.</summary>
    Private,
    LinkLocal,

    /// <summary>100.64.0.0/10, the carrier-grade NAT range (RFC 6598).</summary>
    SharedAddressSpace,
    Multicast,

    /// <summary>0.0.0.0/8 ("this network": Linux connects 0.0.0.0 to the local host) and ::.</summary>
    Unspecified,
    Broadcast,

    /// <summary>240.0.0.0/4, IPv6 outside global unicast 2000::/3, discard-only and other special-purpose ranges.</summary>
    Reserved,
    Benchmarking,

    /// <summary>192.0.0.0/24 and 2001::/23 (IETF protocol assignments, Teredo included).</summary>
    IetfProtocolAssignments,
    Documentation,

    /// <summary>Cloud instance metadata endpoints: 169.254.169.254, fd00:ec2::254, Azure's 168.63.129.16, Alibaba's 100.100.100.200.</summary>
    CloudMetadata,
}

/// <summary>
/// Classifies IP addresses for the outbound guard, IPv4 and IPv6 alike. IPv6 forms that carry an IPv4 address (IPv4-mapped
/// <c>::ffff:a.b.c.d</c>, IPv4-compatible <c>::a.b.c.d</c>, IPv4-translated <c>::ffff:0:a.b.c.d</c>, NAT64 <c>64:ff9b::/96</c>
/// and 6to4 <c>2002::/16</c>) are classified by the IPv4 address they carry.
/// </summary>
public static class AddressClassifier
{
    private static readonly (IPNetwork Network, AddressKind Kind)[] V4 =
    [
        (IPNetwork.Parse("169.254.169.254/32"), AddressKind.CloudMetadata),
        (IPNetwork.Parse("168.63.129.16/32"), AddressKind.CloudMetadata),
        (IPNetwork.Parse("100.100.100.200/32"), AddressKind.CloudMetadata),
        (IPNetwork.Parse("192.0.0.192/32"), AddressKind.CloudMetadata),
        (IPNetwork.Parse("0.0.0.0/8"), AddressKind.Unspecified),
        (IPNetwork.Parse("10.0.0.0/8"), AddressKind.Private),
        (IPNetwork.Parse("100.64.0.0/10"), AddressKind.SharedAddressSpace),
        (IPNetwork.Parse("127.0.0.0/8"), AddressKind.Loopback),
        (IPNetwork.Parse("169.254.0.0/16"), AddressKind.LinkLocal),
        (IPNetwork.Parse("172.16.0.0/12"), AddressKind.Private),
        (IPNetwork.Parse("192.0.0.0/24"), AddressKind.IetfProtocolAssignments),
        (IPNetwork.Parse("192.0.2.0/24"), AddressKind.Documentation),
        (IPNetwork.Parse("192.88.99.0/24"), AddressKind.Reserved),
        (IPNetwork.Parse("192.168.0.0/16"), AddressKind.Private),
        (IPNetwork.Parse("198.18.0.0/15"), AddressKind.Benchmarking),
        (IPNetwork.Parse("198.51.100.0/24"), AddressKind.Documentation),
        (IPNetwork.Parse("203.0.113.0/24"), AddressKind.Documentation),
        (IPNetwork.Parse("224.0.0.0/4"), AddressKind.Multicast),
        (IPNetwork.Parse("255.255.255.255/32"), AddressKind.Broadcast),
        (IPNetwork.Parse("240.0.0.0/4"), AddressKind.Reserved),
    ];

    private static readonly (IPNetwork Network, AddressKind Kind)[] V6 =
    [
        (IPNetwork.Parse("fd00:ec2::254/128"), AddressKind.CloudMetadata),
        (IPNetwork.Parse("64:ff9b:1::/48"), AddressKind.Private),
        (IPNetwork.Parse("fc00::/7"), AddressKind.Private),
        (IPNetwork.Parse("fe80::/10"), AddressKind.LinkLocal),
        (IPNetwork.Parse("fec0::/10"), AddressKind.Private),
        (IPNetwork.Parse("ff00::/8"), AddressKind.Multicast),
        (IPNetwork.Parse("100::/64"), AddressKind.Reserved),
        (IPNetwork.Parse("2001:db8::/32"), AddressKind.Documentation),
        (IPNetwork.Parse("3fff::/20"), AddressKind.Documentation),
        (IPNetwork.Parse("2001::/23"), AddressKind.IetfProtocolAssignments),
        (IPNetwork.Parse("5f00::/16"), AddressKind.Reserved),
    ];

    private static readonly IPNetwork GlobalUnicast = IPNetwork.Parse("2000::/3");
    private static readonly IPNetwork Nat64 = IPNetwork.Parse("64:ff9b::/96");
    private static readonly IPNetwork IPv4Translated = IPNetwork.Parse("::ffff:0:0:0/96");
    private static readonly IPNetwork IPv4Compatible = IPNetwork.Parse("::/96");
    private static readonly IPNetwork SixToFour = IPNetwork.Parse("2002::/16");

    public static AddressKind Classify(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return address.AddressFamily switch
        {
            AddressFamily.InterNetwork => ClassifyV4(address),
            AddressFamily.InterNetworkV6 => ClassifyV6(address),
            _ => AddressKind.Reserved,
        };
    }

    /// <summary>The IPv4 address an IPv6 address carries (mapped, compatible, translated, NAT64, 6to4), or the address itself.</summary>
    public static IPAddress Unwrap(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }

        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        if (SixToFour.Contains(address))
        {
            return new IPAddress(bytes[2..6]);
        }

        // :: and ::1 are IPv6's own unspecified and loopback addresses, not IPv4-compatible forms of 0.0.0.0 and 0.0.0.1.
        var compatible = IPv4Compatible.Contains(address) && !address.Equals(IPAddress.IPv6Any) && !address.Equals(IPAddress.IPv6Loopback);
        return compatible || Nat64.Contains(address) || IPv4Translated.Contains(address) ? new IPAddress(bytes[12..]) : address;
    }

    private static AddressKind ClassifyV4(IPAddress address)
    {
        foreach (var (network, kind) in V4)
        {
            if (network.Contains(address))
            {
                return kind;
            }
        }

        return AddressKind.Public;
    }

    private static AddressKind ClassifyV6(IPAddress address)
    {
        if (address.Equals(IPAddress.IPv6Any))
        {
            return AddressKind.Unspecified;
        }

        if (address.Equals(IPAddress.IPv6Loopback))
        {
            return AddressKind.Loopback;
        }

        var carried = Unwrap(address);
        if (carried.AddressFamily == AddressFamily.InterNetwork)
        {
            return ClassifyV4(carried);
        }

        foreach (var (network, kind) in V6)
        {
            if (network.Contains(address))
            {
                return kind;
            }
        }

        return GlobalUnicast.Contains(address) ? AddressKind.Public : AddressKind.Reserved;
    }
}
