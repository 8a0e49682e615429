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
        Assert.True(paths.GetProperty("/v1/chat/completions").GetProperty("post").GetProperty("responses").TryGetProperty("500", out _));
    }

    [Fact]
    public async Task Document_SaysEveryRouteTakesAnApiKeyInAnyOfItsThreeHeaders_AndCanAnswer401_429And503()
    {
        var client = fixture.Client(null);

        var json = await client.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative), RuntimeFixture.Ct);

        var document = JsonDocument.Parse(json).RootElement;
        var schemes = document.GetProperty("components").GetProperty("securitySchemes");
        Assert.Equal("bearer", schemes.GetProperty(RuntimeOpenApi.BearerScheme).GetProperty("scheme").GetString());
        Assert.Equal("x-api-key", schemes.GetProperty(RuntimeOpenApi.AnthropicScheme).GetProperty("name").GetString());
        Assert.Equal("api-key", schemes.GetProperty(RuntimeOpenApi.AzureScheme).GetProperty("name").GetString());
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                var where = $"{operation.Name} {path.Name}";
                var alternatives = operation.Value.GetProperty("security").EnumerateArray()
                    .Select(requirement => Assert.Single(requirement.EnumerateObject()).Name)
                    .Order(StringComparer.Ordinal);
                Assert.Equal(new[] { RuntimeOpenApi.BearerScheme, RuntimeOpenApi.AnthropicScheme, RuntimeOpenApi.AzureScheme }.Order(StringComparer.Ordinal), alternatives);
                var responses = operation.Value.GetProperty("responses");
                foreach (var status in new[] { "401", "429", "503" })
                {
                    Assert.True(responses.TryGetProperty(status, out var response), $"{where} does not list {status}");
                    Assert.True(response.GetProperty("content").TryGetProperty("application/problem+json", out _), $"{where}: {status} is not a problem");
                }
            }
        }
    }

    [Fact]
    public async Task Document_DescribesTheJsonBodyOfEveryPostRoute_ResolveWithItsModelField()
    {
        var client = fixture.Client(null);

        var json = await client.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative), RuntimeFixture.Ct);

        var document = JsonDocument.Parse(json).RootElement;
        foreach (var path in new[] { "/api/v1/resolve", "/v1/chat/completions", "/v1/responses", "/v1/embeddings", "/v1/messages" })
        {
            var body = document.GetProperty("paths").GetProperty(path).GetProperty("post").GetProperty("requestBody");
            Assert.True(body.GetProperty("required").GetBoolean(), path);
            Assert.True(body.GetProperty("content").TryGetProperty("application/json", out _), path);
        }

        var resolveSchema = document.GetProperty("paths").GetProperty("/api/v1/resolve").GetProperty("post").GetProperty("requestBody")
            .GetProperty("content").GetProperty("application/json").GetProperty("schema");
        if (resolveSchema.TryGetProperty("$ref", out var reference))
        {
            resolveSchema = document.GetProperty("components").GetProperty("schemas").GetProperty(reference.GetString()!.Split('/')[^1]);
        }

        Assert.True(resolveSchema.GetProperty("properties").TryGetProperty("model", out _), resolveSchema.ToString());
    }

    [Fact]
    public async Task Reference_IsABrowsablePage()
    {
        using var response = await fixture.Client(null).GetAsync(new Uri("/api/reference/v1", UriKind.Relative), RuntimeFixture.Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
    }
}
