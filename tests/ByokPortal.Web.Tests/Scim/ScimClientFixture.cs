using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using ByokPortal.Core.Common;
using ByokPortal.Core.Data;
using ByokPortal.Core.Identity;
using ByokPortal.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ByokPortal.Web.Tests.Scim;

/// <summary>The real portal with a SCIM token that Contoso's owner created through the use case, and an HTTP client presenting it.</summary>
public sealed class ScimClientFixture : IAsyncLifetime
{
    public PortalAppFactory Factory { get; } = new();

    public HttpClient Scim { get; private set; } = default!;

    public string Token { get; private set; } = "";

    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        var ada = await ActorAsync(DemoSignIn.EnterpriseOwner);
        using var scope = Factory.Services.CreateScope();
        var issued = await scope.ServiceProvider.GetRequiredService<CreateScimTokenCommand>().ExecuteAsync(ada, "contoso", new CreateScimTokenInput("Entra ID provisioning"), CancellationToken.None);
        Token = issued.Value.Token;
        Scim = Factory.CreateAnonymousClient();
        Scim.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
    }

    public async Task<Actor> ActorAsync(string email)
    {
        await using var db = await DbAsync();
        var id = await db.People.Where(p => p.Email == email).Select(p => p.Id).SingleAsync();
        return new Actor(id, email, "127.0.0.1");
    }

    public Task<IPortalDbContext> DbAsync() => Factory.Services.GetRequiredService<IPortalDbContextFactory>().CreateAsync();

    public T Get<T>()
        where T : notnull => Factory.Services.CreateScope().ServiceProvider.GetRequiredService<T>();

    public async Task<(int Status, JsonObject? Body, HttpResponseMessage Response)> SendAsync(HttpMethod method, string path, string? json = null, HttpClient? client = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/scim+json");
        }

        var response = await (client ?? Scim).SendAsync(request, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        return ((int)response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text) as JsonObject, response);
    }

    public async ValueTask DisposeAsync()
    {
        Scim?.Dispose();
        await Factory.DisposeAsync();
    }
}
