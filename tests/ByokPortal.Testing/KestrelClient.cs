using System.Net;

namespace ByokPortal.Testing;

/// <summary>
/// Real HTTP to a portal on a real Kestrel port (<see cref="PortalAppFactory.StartOnFreePort"/>): a client with its own cookie jar that
/// does not follow redirects, so tests see 302s, headers and cookies exactly as a browser would receive them.
/// </summary>
public sealed class KestrelClient : IDisposable
{
    private readonly HttpClientHandler _handler;

    public KestrelClient(Uri address)
    {
        ArgumentNullException.ThrowIfNull(address);
        _handler = new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() };
        Http = new HttpClient(_handler) { BaseAddress = address };
    }

    public HttpClient Http { get; }

    public CookieContainer Cookies => _handler.CookieContainer;

    /// <summary>The sign-in cookie's value as the browser holds it (to replay it from elsewhere).</summary>
    public string? CookieValue(string name) => Cookies.GetCookies(Http.BaseAddress!).FirstOrDefault(c => c.Name == name)?.Value;

    /// <summary>Signs in with the demo sign-in form (its antiforgery token included), as the sign-in page's button does.</summary>
    public async Task<HttpResponseMessage> SignInAsync(string email, string returnUrl = "/")
    {
        var page = await Http.GetStringAsync(new Uri("/signin", UriKind.Relative));
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["email"] = email,
            ["returnUrl"] = returnUrl,
            ["__RequestVerificationToken"] = DemoSignIn.AntiforgeryToken(page),
        });
        return await Http.PostAsync(new Uri("/signin/demo", UriKind.Relative), form);
    }

    /// <summary>Posts the layout's sign-out form, with the token the home page rendered (or none).</summary>
    public async Task<HttpResponseMessage> SignOutAsync(bool withAntiforgeryToken = true)
    {
        var fields = new Dictionary<string, string>();
        if (withAntiforgeryToken)
        {
            fields["__RequestVerificationToken"] = DemoSignIn.AntiforgeryToken(await Http.GetStringAsync(new Uri("/", UriKind.Relative)));
        }

        using var form = new FormUrlEncodedContent(fields);
        return await Http.PostAsync(new Uri("/signout", UriKind.Relative), form);
    }

    public void Dispose()
    {
        Http.Dispose();
        _handler.Dispose();
    }
}
