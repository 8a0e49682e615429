using System.Net;
using ByokPortal.Testing;
using ByokPortal.Web.Authentication;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ByokPortal.Web.Tests.Authentication;

/// <summary>Which sign-in the portal starts with, decided once at start from configuration and environment.</summary>
public sealed class SignInModeStartupTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("Development", null, null, SignInMode.Demo)]
    [InlineData("Production", null, "true", SignInMode.Demo)]
    [InlineData("Production", "11111111-2222-3333-4444-555555555555", null, SignInMode.EntraId)]
    [InlineData("Development", "11111111-2222-3333-4444-555555555555", "true", SignInMode.EntraId)]
    [InlineData("Staging", " ", "True", SignInMode.Demo)]
    public void ResolveMode_Configuration_PicksSignIn(string environment, string? clientId, string? allowDemo, SignInMode expected)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureAd:ClientId"] = clientId,
            ["Portal:Auth:AllowDemoSignIn"] = allowDemo,
        }).Build();

        Assert.Equal(expected, PortalAuthOptions.ResolveMode(configuration, new Environment(environment)));
    }

    [Fact]
    public void ResolveMode_ProductionWithoutSignIn_ThrowsWithReason()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Portal:Auth:AllowDemoSignIn"] = "false",
        }).Build();

        var error = Assert.Throws<InvalidOperationException>(() => PortalAuthOptions.ResolveMode(configuration, new Environment("Production")));

        AssertExplainsMissingSignIn(error.Message);
    }

    [Fact]
    public async Task Start_ProductionWithoutAnySignIn_RefusesToStartAndSaysWhy()
    {
        await using var factory = new PortalAppFactory { Environment = "Production" }
            .WithSetting("Portal:Auth:AllowDemoSignIn", "false");

        var error = Assert.ThrowsAny<Exception>(() => factory.Server);

        var reason = Flatten(error).OfType<InvalidOperationException>().FirstOrDefault(e => e.Message.Contains("sign-in method", StringComparison.Ordinal));
        Assert.True(reason is not null, $"The start failed for another reason: {error}");
        AssertExplainsMissingSignIn(reason.Message);
    }

    [Fact]
    public async Task Start_ProductionWithAllowDemoSignIn_StartsWithDemoSignIn()
    {
        await using var factory = new PortalAppFactory { Environment = "Production" }
            .WithSetting("Portal:Auth:AllowDemoSignIn", "true");

        Assert.Equal(SignInMode.Demo, factory.Services.GetRequiredService<SignInConfiguration>().Mode);
        using var anonymous = factory.CreateAnonymousClient();
        var page = await anonymous.GetStringAsync(new Uri("/signin", UriKind.Relative), Cancel);
        Assert.Contains("Demo sign-in", page, StringComparison.Ordinal);
        Assert.DoesNotContain("Sign in with Microsoft", page, StringComparison.Ordinal);
        using var signedIn = await factory.CreateSignedInClientAsync(DemoSignIn.EnterpriseOwner);
        using var home = await signedIn.GetAsync(new Uri("/", UriKind.Relative), Cancel);
        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
    }

    [Fact]
    public async Task Start_ProductionWithEntraClientId_StartsInEntraModeAndDemoSignInAnswers404()
    {
        await using var provider = await OidcProviderStandIn.StartAsync();
        await using var factory = EntraPortalFixture.CreateEntraPortal(provider, new PortalAppFactory { Environment = "Production" })
            .WithSetting("Portal:Auth:AllowDemoSignIn", "true");
        Assert.Equal(SignInMode.EntraId, factory.Services.GetRequiredService<SignInConfiguration>().Mode);
        var person = provider.AddUser(OidcTestUser.Create("production.person@entra.test", "Production Person"));
        using var browser = new EntraBrowser(factory, provider);
        var outcome = await browser.SignInAsync(person);
        Assert.True(outcome is { Status: HttpStatusCode.Redirect, Location.OriginalString: "/" }, $"Sign-in answered {outcome}");
        var home = await browser.Portal.GetStringAsync(new Uri("/", UriKind.Relative), Cancel);

        // A well-formed demo sign-in (valid antiforgery token) trying to become someone else.
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["email"] = DemoSignIn.EnterpriseOwner,
            ["returnUrl"] = "/",
            ["__RequestVerificationToken"] = DemoSignIn.AntiforgeryToken(home),
        });
        using var response = await browser.Portal.PostAsync(new Uri("/signin/demo", UriKind.Relative), form, Cancel);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var after = await browser.Portal.GetStringAsync(new Uri("/", UriKind.Relative), Cancel);
        Assert.Contains($"Welcome, {person.Name}", after, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DemoSignIn_EntraModeAnonymous_SignsNobodyIn()
    {
        await using var provider = await OidcProviderStandIn.StartAsync();
        await using var factory = EntraPortalFixture.CreateEntraPortal(provider, new PortalAppFactory { Environment = "Production" });
        var antiforgery = factory.Services.GetRequiredService<IAntiforgery>();
        var tokens = antiforgery.GetTokens(new DefaultHttpContext { RequestServices = factory.Services });
        var cookieName = factory.Services.GetRequiredService<IOptions<AntiforgeryOptions>>().Value.Cookie.Name!;
        using var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        using var request = new HttpRequestMessage(HttpMethod.Post, "/signin/demo")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["email"] = DemoSignIn.EnterpriseOwner,
                ["returnUrl"] = "/",
                [tokens.FormFieldName] = tokens.RequestToken!,
            }),
        };
        request.Headers.Add("Cookie", $"{cookieName}={tokens.CookieToken}");

        using var response = await client.SendAsync(request, Cancel);

        // Unknown addresses are shown to anonymous visitors as the sign-in page (see the authorization matrix).
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/signin?returnUrl=", response.Headers.Location?.PathAndQueryOrOriginal(), StringComparison.Ordinal);
        Assert.False(response.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith(AuthenticationSetup.CookieName, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Start_EntraMode_CreatesBootstrapEnterpriseWithoutDemoData()
    {
        await using var provider = await OidcProviderStandIn.StartAsync();
        await using var factory = EntraPortalFixture.CreateEntraPortal(provider)
            .WithSetting("Portal:Enterprise:Slug", "fabrikam")
            .WithSetting("Portal:Enterprise:Name", "Fabrikam");

        await using var db = await factory.Services.GetRequiredService<Core.Data.IPortalDbContextFactory>().CreateAsync(Cancel);
        var enterprises = db.Enterprises.Select(e => new { e.Slug, e.Name }).ToList();
        var enterprise = Assert.Single(enterprises);
        Assert.Equal(("fabrikam", "Fabrikam"), (enterprise.Slug, enterprise.Name));
        Assert.Empty(db.People.ToList());
    }

    private static void AssertExplainsMissingSignIn(string message)
    {
        Assert.Contains("'Production'", message, StringComparison.Ordinal);
        Assert.Contains("AzureAd:ClientId", message, StringComparison.Ordinal);
        Assert.Contains("Portal:Auth:AllowDemoSignIn=true", message, StringComparison.Ordinal);
    }

    private static IEnumerable<Exception> Flatten(Exception error)
    {
        for (var current = error; current is not null; current = current.InnerException)
        {
            yield return current;
            if (current is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions.SelectMany(Flatten))
                {
                    yield return inner;
                }
            }
        }
    }

    private sealed class Environment(string name) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = name;

        public string ApplicationName { get; set; } = "ByokPortal.Web";

        public string ContentRootPath { get; set; } = AppContext.BaseDirectory;

        public Microsoft.Extensions.FileProviders.IFileProvider ContentRootFileProvider { get; set; } = new Microsoft.Extensions.FileProviders.NullFileProvider();
    }
}
