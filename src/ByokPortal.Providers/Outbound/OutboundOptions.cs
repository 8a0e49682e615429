namespace ByokPortal.Providers.Outbound;

/// <summary>
/// "Portal:Outbound": which addresses the portal's outbound calls (model lists, credential tests, the gateway) may reach.
/// Public addresses are always allowed; internal ones (loopback, private, link-local, …) only through <see cref="AllowedHosts"/>.
/// </summary>
public sealed class OutboundOptions
{
    public const string SectionName = "Portal:Outbound";

    /// <summary>
    /// Host names, IP addresses and CIDR ranges (<c>10.20.0.0/16</c>, <c>fd12::/48</c>) that may be called although they are internal,
    /// e.g. an internal Ollama. A host name allows every address it resolves to except cloud metadata endpoints; an address or range
    /// allows exactly what it names.
    /// </summary>
    public IList<string> AllowedHosts { get; } = [];

    /// <summary>Whether loopback (127.0.0.0/8, ::1) may be called. Null: in Development yes, otherwise no.</summary>
    public bool? AllowLoopback { get; set; }

    /// <summary>The largest answer read from a provider (model lists, error bodies), after decompression too. 4 MB by default.</summary>
    public long MaxResponseBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>A model list with more models than this is refused (not truncated).</summary>
    public int MaxModels { get; set; } = 5000;
}
