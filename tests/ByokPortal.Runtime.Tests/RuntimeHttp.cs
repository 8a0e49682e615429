using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace ByokPortal.Runtime.Tests;

/// <summary>Calls of the runtime's routes as an application makes them, and what the answers say.</summary>
public static class RuntimeHttp
{
    private static CancellationToken Ct => RuntimeFixture.Ct;

    public static async Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> ResolveAsync(this HttpClient client, string model) =>
        await PostJsonAsync(client, "/api/v1/resolve", JsonSerializer.Serialize(new { model }));

    public static async Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> PostJsonAsync(this HttpClient client, string path, string json)
    {
        ArgumentNullException.ThrowIfNull(client);
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        var response = await client.PostAsync(new Uri(path, UriKind.Relative), content, Ct);
        return (response.StatusCode, await BodyAsync(response), response);
    }

    public static async Task<(HttpStatusCode Status, JsonElement Body)> GetJsonAsync(this HttpClient client, string path)
    {
        ArgumentNullException.ThrowIfNull(client);
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative), Ct);
        return (response.StatusCode, await BodyAsync(response));
    }

    /// <summary>The model IDs <c>GET /api/v1/models</c> lists, in its order, with their key names and sources.</summary>
    public static async Task<IReadOnlyList<(string Id, string KeyName, string Source)>> ModelsAsync(this HttpClient client)
    {
        var (status, body) = await client.GetJsonAsync("/api/v1/models");
        Assert.Equal(HttpStatusCode.OK, status);
        return body.GetProperty("data").EnumerateArray()
            .Select(m => (m.GetProperty("id").GetString()!, m.GetProperty("keyName").GetString()!, m.GetProperty("source").GetString()!))
            .ToList();
    }

    private static async Task<JsonElement> BodyAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync(Ct);
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    public static string ProblemType(this JsonElement problem) => problem.GetProperty("type").GetString()!;
}
