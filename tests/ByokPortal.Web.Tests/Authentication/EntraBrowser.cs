using System.Net;
using System.Text.RegularExpressions;
using ByokPortal.Testing;
using Microsoft.AspNetCore.Mvc.Testing;

namespace ByokPortal.Web.Tests.Authentication;

/// <summary>
/// Plays the browser between the portal (in memory, at https://localhost) and the OpenID Connect stand-in: one cookie jar
/// for the portal, redirects followed by hand, the provider's form_post page submitted as a browser would.
/// </summary>
public sealed partial class EntraBrowser : IDisposable
{
    private readonly OidcProviderStandIn _provider;

    public EntraBrowser(PortalAppFactory portal, OidcProviderStandIn provider)
    {
        ArgumentNullException.ThrowIfNull(portal);
        _provider = provider;
        Portal = portal.CreateClient(new WebApplicationFactoryClientOptions
        {
            // https, as in production: the OpenID Connect correlation and nonce cookies are Secure.
            BaseAddress = PortalAddress,
            AllowAutoRedirect = false,
            HandleCookies = true,
        });
        Provider = provider.CreateClient();
    }

    public static Uri PortalAddress { get; } = new("https://localhost/");

    /// <summary>The portal, with this browser's cookies.</summary>
    public HttpClient Portal { get; }

    /// <summary>The provider's pages (no cookies needed: the account is chosen per request).</summary>
    public HttpClient Provider { get; }

    /// <summary>Starts at the portal's "Sign in with Microsoft" link and returns the portal's last answer once the flow is back at the portal.</summary>
    public async Task<SignInOutcome> SignInAsync(OidcTestUser user, string returnUrl = "/", IdTokenDefect defect = IdTokenDefect.None)
    {
        using var challenge = await Portal.GetAsync(new Uri($"/signin/entra?returnUrl={Uri.EscapeDataString(returnUrl)}", UriKind.Relative), Cancel);
        var authorize = RedirectTarget(challenge, "the portal's challenge");
        if (!_provider.Owns(authorize))
        {
            throw new InvalidOperationException($"The portal did not redirect to the provider: {authorize}");
        }

        using var login = await Provider.GetAsync(OidcProviderStandIn.ChooseAccount(authorize, user, defect), Cancel);
        using var callback = await SubmitToPortalAsync(login);
        var body = await callback.Content.ReadAsStringAsync(Cancel);
        return new SignInOutcome(callback.StatusCode, callback.Headers.Location, body);
    }

    /// <summary>POSTs /signout with the antiforgery token of the home page's sign-out form, then follows the redirects
    /// through the provider's end-session endpoint back to the portal; returns each location visited.</summary>
    public async Task<IReadOnlyList<Uri>> SignOutAsync()
    {
        var home = await Portal.GetStringAsync(new Uri("/", UriKind.Relative), Cancel);
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = DemoSignIn.AntiforgeryToken(home),
        });
        var response = await Portal.PostAsync(new Uri("/signout", UriKind.Relative), form, Cancel);
        var visited = new List<Uri>();
        while (response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Found or HttpStatusCode.SeeOther && visited.Count < 10)
        {
            var target = RedirectTarget(response, "sign-out");
            visited.Add(target);
            response.Dispose();
            response = await ClientFor(target).GetAsync(target, Cancel);
        }

        response.Dispose();
        return visited;
    }

    public void Dispose()
    {
        Portal.Dispose();
        Provider.Dispose();
    }

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <summary>The provider answers with a redirect (response_mode=query) or an auto-submitting form (form_post) to the portal.</summary>
    private async Task<HttpResponseMessage> SubmitToPortalAsync(HttpResponseMessage providerAnswer)
    {
        if (providerAnswer.StatusCode == HttpStatusCode.Redirect || providerAnswer.StatusCode == HttpStatusCode.Found)
        {
            var target = RedirectTarget(providerAnswer, "the provider");
            return await Portal.GetAsync(target, Cancel);
        }

        var html = await providerAnswer.Content.ReadAsStringAsync(Cancel);
        var form = FormPattern().Match(html);
        if (providerAnswer.StatusCode != HttpStatusCode.OK || !form.Success)
        {
            throw new InvalidOperationException($"The provider answered {(int)providerAnswer.StatusCode} without a redirect or a form_post page: {html}");
        }

        var fields = InputPattern().Matches(form.Groups["body"].Value)
            .ToDictionary(m => WebUtility.HtmlDecode(m.Groups["name"].Value), m => WebUtility.HtmlDecode(m.Groups["value"].Value), StringComparer.Ordinal);
        using var content = new FormUrlEncodedContent(fields);
        return await Portal.PostAsync(new Uri(WebUtility.HtmlDecode(form.Groups["action"].Value)), content, Cancel);
    }

    private HttpClient ClientFor(Uri target) => _provider.Owns(target) ? Provider : Portal;

    private static Uri RedirectTarget(HttpResponseMessage response, string what)
    {
        var location = response.Headers.Location
                       ?? throw new InvalidOperationException($"Expected a redirect from {what}, got {(int)response.StatusCode}.");
        return location.IsAbsoluteUri ? location : new Uri(response.RequestMessage!.RequestUri!, location);
    }

    [GeneratedRegex("<form method=\"post\" action=\"(?<action>[^\"]+)\">(?<body>.*?)</form>", RegexOptions.Singleline)]
    private static partial Regex FormPattern();

    [GeneratedRegex("<input type=\"hidden\" name=\"(?<name>[^\"]+)\" value=\"(?<value>[^\"]*)\" />")]
    private static partial Regex InputPattern();
}

/// <summary>The portal's answer to the provider's callback: a redirect to the return URL when sign-in succeeded.</summary>
public sealed record SignInOutcome(HttpStatusCode Status, Uri? Location, string Body)
{
    public override string ToString() => $"{(int)Status} {Location}";
}

internal static class UriExtensions
{
    public static string PathAndQueryOrOriginal(this Uri uri) => uri.IsAbsoluteUri ? uri.PathAndQuery : uri.OriginalString;
}
