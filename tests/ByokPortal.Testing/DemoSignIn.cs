using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;

namespace ByokPortal.Testing;

/// <summary>The demo people of PRODUCT.md and HTTP clients signed in as them through the real demo sign-in form.</summary>
public static partial class DemoSignIn
{
    public const string EnterpriseOwner = "ada@contoso.test";
    public const string WebOwner = "oscar@contoso.test";
    public const string DataOwner = "olga@contoso.test";
    public const string WebMember = "mia@contoso.test";

    /// <summary>A client that keeps cookies and does not follow redirects, so tests see 302s as they are.</summary>
    public static HttpClient CreateAnonymousClient(this PortalAppFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        return factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
    }

    public static async Task<HttpClient> CreateSignedInClientAsync(this PortalAppFactory factory, string email)
    {
        var client = factory.CreateAnonymousClient();
        var page = await client.GetStringAsync(new Uri("/signin", UriKind.Relative));
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["email"] = email,
            ["returnUrl"] = "/",
            ["__RequestVerificationToken"] = AntiforgeryToken(page),
        });
        using var response = await client.PostAsync(new Uri("/signin/demo", UriKind.Relative), form);
        if (response.StatusCode != HttpStatusCode.Redirect || response.Headers.Location?.OriginalString != "/")
        {
            throw new InvalidOperationException($"Demo sign-in as {email} failed: {(int)response.StatusCode} {response.Headers.Location}");
        }

        return client;
    }

    /// <summary>The antiforgery token rendered into a page's forms.</summary>
    public static string AntiforgeryToken(string html)
    {
        var match = TokenPattern().Match(html);
        return match.Success ? WebUtility.HtmlDecode(match.Groups[1].Value) : throw new InvalidOperationException("The page has no antiforgery token.");
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
