using ByokPortal.Core.Data;
using ByokPortal.Testing;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Identity.Web;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace ByokPortal.Web.Tests.Authentication;

/// <summary>
/// The portal in Entra ID mode (Microsoft.Identity.Web, real configuration keys) signing people in at a local OpenID Connect
/// stand-in. The only test-specific changes are where HTTP calls to the provider go: the OpenID Connect back channel (metadata,
/// keys, token endpoint) and the HTTP client of Microsoft.Identity.Web's issuer validator (which reads the metadata itself)
/// reach the stand-in in memory instead of the network. HTTPS metadata stays required (the stand-in has an https address).
/// </summary>
public class EntraPortalFixture : IAsyncLifetime
{
    public const string EnterpriseSlug = "enterprise";

    public OidcProviderStandIn Provider { get; private set; } = default!;

    public PortalAppFactory Factory { get; private set; } = default!;

    /// <summary>Named in Portal:BootstrapOwners.</summary>
    public OidcTestUser BootstrapOwner { get; } = OidcTestUser.Create("grace.owner@entra.test", "Grace Owner");

    public async ValueTask InitializeAsync()
    {
        Provider = await OidcProviderStandIn.StartAsync();
        Provider.AddUser(BootstrapOwner);
        Factory = Configure(CreateEntraPortal(Provider)
            .WithSetting("Portal:BootstrapOwners:0", BootstrapOwner.Email.ToUpperInvariant()));
        _ = Factory.Server;
    }

    /// <summary>Further settings of a variant (e.g. the authorization code flow).</summary>
    protected virtual PortalAppFactory Configure(PortalAppFactory factory) => factory;

    /// <summary>A portal configured for the stand-in as it would be for Entra ID: AzureAd:Instance, TenantId, ClientId, ClientSecret.</summary>
    public static PortalAppFactory CreateEntraPortal(OidcProviderStandIn provider, PortalAppFactory? factory = null)
    {
        ArgumentNullException.ThrowIfNull(provider);
        factory ??= new PortalAppFactory();
        return factory
            .WithSetting("Portal:Auth:AllowDemoSignIn", "false")
            .WithSetting("AzureAd:Instance", provider.Instance.AbsoluteUri)
            .WithSetting("AzureAd:TenantId", provider.TenantId)
            .WithSetting("AzureAd:ClientId", provider.ClientId)
            .WithServices(services => RouteToStandIn(services, provider));
    }

    /// <summary>Sends the portal's calls to the provider to the in-memory stand-in; nothing else about sign-in changes.</summary>
    public static void RouteToStandIn(IServiceCollection services, OidcProviderStandIn provider)
    {
        ArgumentNullException.ThrowIfNull(provider);
        services.PostConfigure<OpenIdConnectOptions>(OpenIdConnectDefaults.AuthenticationScheme, options =>
        {
            // Runs after the framework's own post-configuration: replace the back channel it built and the metadata retriever using it.
            options.Backchannel = new HttpClient(provider.CreateHandler()) { Timeout = options.BackchannelTimeout };
            options.ConfigurationManager = new ConfigurationManager<OpenIdConnectConfiguration>(
                options.MetadataAddress, new OpenIdConnectConfigurationRetriever(),
                new HttpDocumentRetriever(options.Backchannel) { RequireHttps = options.RequireHttpsMetadata });
        });

        // Microsoft.Identity.Web's AadIssuerValidator fetches {authority}/.well-known/openid-configuration with its own client
        // (cached per authority for the process: each stand-in has its own tenant ID, hence its own authority).
        const string issuerMetadataClient = "oidc-standin-issuer-metadata";
        services.AddHttpClient(issuerMetadataClient).ConfigurePrimaryHttpMessageHandler(provider.CreateHandler);
        services.Configure<AadIssuerValidatorOptions>(options => options.HttpClientName = issuerMetadataClient);
    }

    public EntraBrowser CreateBrowser() => new(Factory, Provider);

    public async Task<T> QueryAsync<T>(Func<IPortalDbContext, Task<T>> query)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var db = await Factory.Services.GetRequiredService<IPortalDbContextFactory>().CreateAsync(TestContext.Current.CancellationToken);
        return await query(db);
    }

    public virtual async ValueTask DisposeAsync()
    {
        if (Factory is not null)
        {
            await Factory.DisposeAsync();
        }

        if (Provider is not null)
        {
            await Provider.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }
}

/// <summary>
/// The same portal with the authorization code flow (<c>AzureAd:ResponseType=code</c> and a client secret): the ID token
/// comes from the token endpoint over the back channel, the code is bound to the portal by PKCE and the secret.
/// </summary>
public sealed class EntraCodeFlowPortalFixture : EntraPortalFixture
{
    protected override PortalAppFactory Configure(PortalAppFactory factory) => factory
        .WithSetting("AzureAd:ResponseType", "code")
        .WithSetting("AzureAd:ClientSecret", Provider.ClientSecret);
}
