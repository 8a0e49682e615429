using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using ByokPortal.Providers.Adapters;
using ByokPortal.Runtime.Snapshots;

namespace ByokPortal.Runtime.Resolution;

/// <summary>
/// Writes <c>POST /api/v1/resolve</c>'s answer (<see cref="ResolveResponse"/>, exactly as <see cref="RuntimeJson.Options"/> would serialize
/// it) straight as UTF-8 into the response. The part before <c>provider</c> (the model and the key's ID, name and source) is written once per
/// route and kept beside it for as long as its snapshot lives; the provider part holds the credential and is written per call, never kept.
/// </summary>
internal static class ResolveAnswer
{
    private static readonly ConditionalWeakTable<RuntimeRoute, byte[]> Prefixes = [];

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = RuntimeJson.Options.Encoder, SkipValidation = true };

    public static void Write(IBufferWriter<byte> output, RuntimeRoute route, CopilotProviderConfig provider)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(provider);
        output.Write(Prefix(route));
        using var json = new Utf8JsonWriter(output, WriterOptions);
        json.WriteStartObject();
        json.WriteString("type"u8, provider.Type);
        json.WriteString("baseUrl"u8, provider.BaseUrl);
        WriteIfSet(json, "apiKey"u8, provider.ApiKey);
        WriteIfSet(json, "bearerToken"u8, provider.BearerToken);
        WriteIfSet(json, "wireApi"u8, provider.WireApi);
        if (provider.AzureApiVersion is { } version)
        {
            json.WriteStartObject("azure"u8);
            json.WriteString("apiVersion"u8, version);
            json.WriteEndObject();
        }

        json.WriteEndObject();
        if (provider.Note is { } note)
        {
            // Not a valid JSON document on its own (SkipValidation): the object's other half was written from the prefix.
            json.WriteString("note"u8, note);
        }

        json.Flush();
        output.Write("}"u8);
    }

    private static void WriteIfSet(Utf8JsonWriter json, ReadOnlySpan<byte> name, string? value)
    {
        if (value is not null)
        {
            json.WriteString(name, value);
        }
    }

    /// <summary><c>{"model":…,"key":{"id":…,"name":…,"source":…},"provider":</c></summary>
    private static byte[] Prefix(RuntimeRoute route) =>
        Prefixes.TryGetValue(route, out var prefix) ? prefix : Prefixes.GetValue(route, static r =>
        {
            var buffer = new ArrayBufferWriter<byte>(256);
            using (var json = new Utf8JsonWriter(buffer, WriterOptions))
            {
                json.WriteStartObject();
                json.WriteString("model"u8, r.ModelId);
                json.WriteStartObject("key"u8);
                json.WriteString("id"u8, r.Key.Id);
                json.WriteString("name"u8, r.Key.Name);
                json.WriteString("source"u8, r.SourceName);
                json.WriteEndObject();
                json.WritePropertyName("provider"u8);
            }

            return buffer.WrittenSpan.ToArray();
        });
}
