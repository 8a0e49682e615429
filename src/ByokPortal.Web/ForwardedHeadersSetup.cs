using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;
using IPNetwork = System.Net.IPNetwork;

namespace ByokPortal.Web;

/// <summary>"Portal:ForwardedHeaders": the portal behind a reverse proxy or load balancer that terminates TLS.</summary>
public sealed class PortalForwardedHeadersOptions
{
    public const string SectionName = "Portal:ForwardedHeaders";

    /// <summary>Read X-Forwarded-For and X-Forwarded-Proto from the proxies below (only from them).</summary>
    public bool Enabled { get; set; }

    /// <summary>Addresses of trusted proxies, e.g. 10.0.0.4. With neither list set, only loopback is trusted.</summary>
    public IList<string> KnownProxies { get; } = [];

    /// <summary>Networks of trusted proxies in CIDR notation, e.g. 10.0.0.0/24.</summary>
    public IList<string> KnownNetworks { get; } = [];
}

/// <summary>
/// The public scheme and client address as the proxy saw them, so that the sign-in cookie is <c>Secure</c> whenever people reach the
/// portal over https, and audit events name the real client. Two ways: <c>Portal:ForwardedHeaders</c> (trusts only the listed proxies),
/// or ASP.NET Core's own <c>ASPNETCORE_FORWARDEDHEADERS_ENABLED=true</c> (trusts any sender; for App Service, whose front ends are not
/// reachable from outside). Listed proxies narrow both.
/// </summary>
public static class ForwardedHeadersSetup
{
    public static IHostApplicationBuilder AddPortalForwardedHeaders(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<PortalForwardedHeadersOptions>().BindConfiguration(PortalForwardedHeadersOptions.SectionName)
            .Validate(o => o.KnownProxies.All(p => IPAddress.TryParse(p, out _)), "Portal:ForwardedHeaders:KnownProxies holds a value that is not an IP address.")
            .Validate(o => o.KnownNetworks.All(n => IPNetwork.TryParse(n, out _)), "Portal:ForwardedHeaders:KnownNetworks holds a value that is not a network in CIDR notation (e.g. 10.0.0.0/24).")
            .ValidateOnStart();
        builder.Services.AddOptions<ForwardedHeadersOptions>()
            .Configure<IOptions<PortalForwardedHeadersOptions>>((options, portal) =>
            {
                options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
                var settings = portal.Value;
                if (settings.KnownProxies.Count + settings.KnownNetworks.Count == 0)
                {
                    return;
                }

                options.KnownProxies.Clear();
                options.KnownIPNetworks.Clear();
                foreach (var proxy in settings.KnownProxies)
                {
                    options.KnownProxies.Add(IPAddress.Parse(proxy));
                }

                foreach (var network in settings.KnownNetworks)
                {
                    options.KnownIPNetworks.Add(IPNetwork.Parse(network));
                }
            });
        return builder;
    }

    /// <summary>First in the pipeline, so that everything after it sees the public scheme and the client's address.</summary>
    public static IApplicationBuilder UsePortalForwardedHeaders(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.ApplicationServices.GetRequiredService<IOptions<PortalForwardedHeadersOptions>>().Value.Enabled
            ? app.UseForwardedHeaders()
            : app;
    }
}
