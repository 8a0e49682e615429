using System.Net;
using ByokPortal.Testing;
using Microsoft.AspNetCore.Components.Endpoints;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace ByokPortal.Web.Tests.Authorization;

public sealed class AuthorizationMatrixTests(PortalFixture portal) : IClassFixture<PortalFixture>
{
    public static TheoryData<string, Persona> Requests()
    {
        var data = new TheoryData<string, Persona>();
        foreach (var routeCase in AuthorizationMatrix.Cases)
        {
            foreach (var persona in Enum.GetValues<Persona>())
            {
                data.Add(routeCase.Method + " " + routeCase.Template, persona);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task Route_AsPersona_GivesExpectedOutcome(string route, Persona persona)
    {
        var routeCase = AuthorizationMatrix.Cases.Single(c => c.Method + " " + c.Template == route);
        var expected = routeCase.Expected[persona];
        var email = AuthorizationMatrix.People[persona];
        var client = routeCase.NeedsFreshClient
            ? email is null ? portal.Factory.CreateAnonymousClient() : await portal.Factory.CreateSignedInClientAsync(email)
            : email is null ? portal.Anonymous : portal.As(email);

        using var request = new HttpRequestMessage(new HttpMethod(routeCase.Method), routeCase.Url);
        if (routeCase.Body is not null)
        {
            request.Content = await routeCase.Body(client);
        }

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var location = response.Headers.Location?.OriginalString ?? "";
        var because = $"{routeCase} as {persona} answered {(int)response.StatusCode} {location}";

        switch (expected)
        {
            case Outcome.Ok:
                Assert.True(response.StatusCode == HttpStatusCode.OK, because);
                break;
            case Outcome.SignIn:
                Assert.True(response.StatusCode == HttpStatusCode.Redirect && location.Contains("/signin?returnUrl=", StringComparison.Ordinal), because);
                break;
            case Outcome.NoAccess:
                Assert.True(response.StatusCode == HttpStatusCode.Forbidden, because);
                Assert.Contains("No access", body, StringComparison.Ordinal);
                Assert.Contains("You don&#x27;t have access to this page", body, StringComparison.Ordinal);
                break;
            case Outcome.Unauthorized:
                Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, because);
                break;
            case Outcome.Forbidden:
                Assert.True(response.StatusCode == HttpStatusCode.Forbidden, because);
                break;
            case Outcome.NotFound:
                Assert.True(response.StatusCode == HttpStatusCode.NotFound, because);
                break;
            case Outcome.Redirect:
                Assert.True(response.StatusCode == HttpStatusCode.Redirect && !location.Contains("returnUrl=", StringComparison.Ordinal), because);
                break;
            case Outcome.BadRequest:
                Assert.True(response.StatusCode == HttpStatusCode.BadRequest, because);
                break;
            default:
                throw new InvalidOperationException($"Unknown outcome {expected}.");
        }
    }

    [Fact]
    public void EveryRoute_HasAnEntryInTheMatrix()
    {
        var registered = RegisteredRoutes(portal.Factory.Services);
        var covered = AuthorizationMatrix.Cases.Select(c => c.Method + " " + c.Template).ToHashSet(StringComparer.Ordinal);
        var missing = registered.Where(r => !covered.Contains(r)).ToList();
        Assert.True(missing.Count == 0, "Routes without an authorization matrix entry: " + string.Join(", ", missing));
    }

    [Fact]
    public void EveryMatrixEntry_IsARegisteredRoute()
    {
        var registered = RegisteredRoutes(portal.Factory.Services);
        var stale = AuthorizationMatrix.Cases.Select(c => c.Method + " " + c.Template).Where(c => !registered.Contains(c)).ToList();
        Assert.True(stale.Count == 0, "Matrix entries for routes the portal does not have: " + string.Join(", ", stale));
    }

    /// <summary>Every page and endpoint the app maps, as "METHOD /template", leaving out the framework's own (circuit hub, static files).</summary>
    internal static HashSet<string> RegisteredRoutes(IServiceProvider services)
    {
        var routes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var endpoint in services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var template = "/" + (endpoint.RoutePattern.RawText ?? "").TrimStart('/');
            if (template.StartsWith("/_", StringComparison.Ordinal)
                || template == "/{**path:file}"
                || endpoint.Metadata.Any(m => m.GetType().Name.Contains("StaticAsset", StringComparison.Ordinal)))
            {
                continue;
            }

            if (endpoint.Metadata.GetMetadata<ComponentTypeMetadata>() is not null)
            {
                // A page is reached by GET (its form posts go through the same endpoint).
                if (endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods.Contains("GET") != false)
                {
                    routes.Add("GET " + template);
                }

                continue;
            }

            foreach (var method in endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
            {
                routes.Add(method + " " + template);
            }
        }

        return routes;
    }
}
