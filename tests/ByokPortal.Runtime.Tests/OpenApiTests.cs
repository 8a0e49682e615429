using System.Net;
using System.Text.Json;

namespace ByokPortal.Runtime.Tests;

/// <summary>The OpenAPI document describes every runtime route, and its reference page is served.</summary>
public sealed class OpenApiTests(RuntimeFixture fixture) : IClassFixture<RuntimeFixture>
{
    [Fact]
    public async Task Document_DescribesEveryRuntimeRouteAndNothingElse()
    {
        var client = fixture.Client(null);

        var json = await client.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative), RuntimeFixture.Ct);

        var paths = JsonDocument.Parse(json).RootElement.GetProperty("paths");
        var operations = paths.EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject().Select(o => $"{o.Name.ToUpperInvariant()} {p.Name}"))
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.Equal(
            [
                "GET /api/v1/models", "GET /v1/models", "POST /api/v1/resolve", "POST /v1/chat/completions", "POST /v1/embeddings",
                "POST /v1/messages", "POST /v1/responses",
            ],
            operations);
        Assert.True(paths.GetProperty("/api/v1/resolve").GetProperty("post").GetProperty("responses").TryGetProperty("424", out _));
    }

    [Fact]
    public async Task Reference_IsABrowsablePage()
    {
        using var response = await fixture.Client(null).GetAsync(new Uri("/api/reference/v1", UriKind.Relative), RuntimeFixture.Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
    }
}
