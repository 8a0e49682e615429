using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ByokPortal.Providers.Outbound;

/// <summary>
/// Decides which addresses the portal's outbound calls may reach, and makes HTTP handlers that enforce it where it cannot be
/// bypassed: at connect time, on the addresses the host name actually resolved to (so a name pointing at 127.0.0.1, a decimal or
/// hexadecimal IPv4 literal, or an IPv4-mapped IPv6 literal all end up refused the same way). Public addresses are allowed;
/// internal ones (see <see cref="AddressClassifier"/>) only through <see cref="OutboundOptions.AllowedHosts"/>, and loopback also
/// through <see cref="OutboundOptions.AllowLoopback"/> (on by default in Development, so local stand-ins work).
/// </summary>
public sealed class OutboundGuard
{
    private static readonly System.Globalization.IdnMapping Idn = new();

    private readonly bool _allowLoopback;
    private readonly HashSet<string> _allowedNames = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<IPNetwork> _allowedNetworks = [];
    private readonly Func<string, CancellationToken, Task<IPAddress[]>> _resolve;

    public OutboundGuard(IOptions<OutboundOptions> options, IHostEnvironment environment)
        : this(options, environment, static (host, cancellationToken) => Dns.GetHostAddressesAsync(host, cancellationToken))
    {
    }

    /// <summary>With another resolver than DNS: for tests that need a name resolving to a chosen address.</summary>
    internal OutboundGuard(IOptions<OutboundOptions> options, IHostEnvironment environment, Func<string, CancellationToken, Task<IPAddress[]>> resolve)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(environment);
        _resolve = resolve;
        _allowLoopback = options.Value.AllowLoopback ?? environment.IsDevelopment();
        foreach (var entry in options.Value.AllowedHosts)
        {
            switch (ParseAllowedHost(entry))
            {
                case IPNetwork network:
                    _allowedNetworks.Add(network);
                    break;
                case string name:
                    _allowedNames.Add(name);
                    break;
                default:
                    throw new OptionsValidationException(OutboundOptions.SectionName, typeof(OutboundOptions), [InvalidEntryMessage(entry)]);
            }
        }
    }

    /// <summary>Whether a connection to <paramref name="address"/>, reached through <paramref name="host"/> (a name or a literal), is allowed.</summary>
    public bool IsAllowed(string host, IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var kind = AddressClassifier.Classify(address);
        if (kind == AddressKind.Public || (kind == AddressKind.Loopback && _allowLoopback))
        {
            return true;
        }

        var plain = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        if (_allowedNetworks.Any(n => n.Contains(plain)))
        {
            return true;
        }

        // A name an administrator allowed may resolve to internal addresses, but never to a metadata endpoint (DNS can be changed
        // by whoever controls the name; the metadata endpoint hands out the machine's credentials).
        return kind != AddressKind.CloudMetadata && NormalizeHost(host) is { Length: > 0 } name && _allowedNames.Contains(name);
    }

    /// <summary>
    /// A handler for an outbound <see cref="HttpClient"/>: connects only to allowed addresses (throwing
    /// <see cref="OutboundAddressRefusedException"/> otherwise, before any byte is sent), never follows redirects, sends no cookies,
    /// uses no proxy (a proxy would connect on our behalf, past the check), and leaves decompression to the caller (who bounds it).
    /// HTTP/3 does not go through the connect step, so callers keep requests on HTTP/1.1 or HTTP/2 (the default).
    /// </summary>
    public SocketsHttpHandler CreateHandler() => new()
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        UseProxy = false,
        AutomaticDecompression = DecompressionMethods.None,
        ConnectTimeout = TimeSpan.FromSeconds(10),
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        ConnectCallback = ConnectAsync,
    };

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var endpoint = context.DnsEndPoint;
        var host = endpoint.Host;
        var literal = host.Trim('[', ']');
        var addresses = IPAddress.TryParse(literal, out var parsed) ? [parsed] : await _resolve(host, cancellationToken);
        var allowed = addresses.Where(a => IsAllowed(host, a)).ToList();
        if (allowed.Count == 0)
        {
            throw new OutboundAddressRefusedException(literal);
        }

        Exception? last = null;
        foreach (var address in allowed)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, endpoint.Port), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException e)
            {
                socket.Dispose();
                last = e;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        throw last!;
    }

    /// <summary>An <see cref="IPNetwork"/> for an address or CIDR range, a normalized host name, or null when the entry is neither.</summary>
    internal static object? ParseAllowedHost(string? entry)
    {
        var text = entry?.Trim() ?? "";
        if (text.Length == 0)
        {
            return null;
        }

        if (text.Contains('/', StringComparison.Ordinal))
        {
            return IPNetwork.TryParse(text, out var network) ? network : null;
        }

        if (IPAddress.TryParse(text.Trim('[', ']'), out var address))
        {
            var plain = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
            return new IPNetwork(plain, plain.AddressFamily == AddressFamily.InterNetwork ? 32 : 128);
        }

        // A name whose last label is a number (300.1.2.3, 10.0.0.0x1) is an address that did not parse, as URL parsers read it.
        var lastLabel = text.TrimEnd('.').Split('.')[^1];
        var numeric = lastLabel.All(char.IsAsciiDigit) || lastLabel.StartsWith("0x", StringComparison.OrdinalIgnoreCase);
        return !numeric && Uri.CheckHostName(text.TrimEnd('.')) == UriHostNameType.Dns ? NormalizeHost(text) : null;
    }

    internal static string InvalidEntryMessage(string? entry) =>
        $"{OutboundOptions.SectionName}:{nameof(OutboundOptions.AllowedHosts)} holds \"{entry}\", which is neither a host name, an IP address nor a CIDR range such as 10.20.0.0/16.";

    /// <summary>Lower case, no brackets or trailing dot, international names in their ASCII (punycode) form as DNS sees them.</summary>
    private static string NormalizeHost(string host)
    {
        var name = host.Trim().Trim('[', ']').TrimEnd('.');
        try
        {
            return Idn.GetAscii(name).ToLowerInvariant();
        }
        catch (ArgumentException)
        {
            return name.ToLowerInvariant();
        }
    }
}
