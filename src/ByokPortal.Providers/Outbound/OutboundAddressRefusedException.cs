namespace ByokPortal.Providers.Outbound;

/// <summary>
/// Thrown by the <see cref="OutboundGuard"/>'s connect step when a host resolves only to addresses the portal may not call. It reaches
/// callers as the inner exception of an <see cref="HttpRequestException"/>, so "refused by policy" can be told from "unreachable".
/// The message names the host as it was given (never the addresses it resolved to) and says how an administrator can allow it.
/// </summary>
public sealed class OutboundAddressRefusedException : Exception
{
    public OutboundAddressRefusedException()
        : this("")
    {
    }

    public OutboundAddressRefusedException(string host)
        : base(MessageFor(host))
    {
        Host = host;
    }

    public OutboundAddressRefusedException(string host, Exception innerException)
        : base(MessageFor(host), innerException)
    {
        Host = host;
    }

    /// <summary>The host that was refused, as the URL gave it.</summary>
    public string Host { get; } = "";

    public static string MessageFor(string host) =>
        $"{host} is an internal address; an administrator can allow it with {OutboundOptions.SectionName}:{nameof(OutboundOptions.AllowedHosts)}.";
}
