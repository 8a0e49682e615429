using System.Text.Json;
using ByokPortal.Core.Availability;

namespace ByokPortal.Runtime.Snapshots;

/// <summary>
/// The models one API key may use, computed by <see cref="ModelAvailability"/> when the snapshot was built: each model ID once, served by the
/// first key in resolution order (the API key's own keys, then the organization's, then the enterprise's). The two list answers are
/// serialized once, on first use. A plain dictionary, never written after construction (safe for concurrent reads): a snapshot holds one
/// table per organization, and building thousands of frozen dictionaries cost more than their faster lookups save.
/// </summary>
public sealed class ModelTable
{
    public static readonly ModelTable Empty = new([]);

    private readonly Dictionary<string, RuntimeRoute>.AlternateLookup<ReadOnlySpan<char>> _bySpan;
    private byte[]? _portalList;
    private byte[]? _openAIList;

    public ModelTable(IReadOnlyList<RuntimeRoute> ordered)
    {
        ArgumentNullException.ThrowIfNull(ordered);
        var first = new Dictionary<string, RuntimeRoute>(ordered.Count, StringComparer.Ordinal);
        var unique = new List<RuntimeRoute>(ordered.Count);
        foreach (var route in ordered)
        {
            if (first.TryAdd(route.ModelId, route))
            {
                unique.Add(route);
            }
        }

        Routes = unique;
        _bySpan = first.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>In resolution order, each model ID once.</summary>
    public IReadOnlyList<RuntimeRoute> Routes { get; }

    public bool TryGet(ReadOnlySpan<char> modelId, out RuntimeRoute route) => _bySpan.TryGetValue(modelId, out route!);

    /// <summary><c>GET /api/v1/models</c>: <c>{"data":[{"id","keyId","keyName","provider","source"}]}</c>.</summary>
    public byte[] PortalListJson => _portalList ??= Serialize(writer =>
    {
        foreach (var route in Routes)
        {
            writer.WriteStartObject();
            writer.WriteString("id", route.ModelId);
            writer.WriteString("keyId", route.Key.Id);
            writer.WriteString("keyName", route.Key.Name);
            writer.WriteString("provider", Core.ProviderKeys.ProviderKindNames.DisplayName(route.Key.Provider));
            writer.WriteString("source", route.SourceName);
            writer.WriteEndObject();
        }
    }, openAI: false);

    /// <summary><c>GET /v1/models</c>: OpenAI's list shape, <c>{"object":"list","data":[{"id","object":"model","owned_by"}]}</c>.</summary>
    public byte[] OpenAIListJson => _openAIList ??= Serialize(writer =>
    {
        foreach (var route in Routes)
        {
            writer.WriteStartObject();
            writer.WriteString("id", route.ModelId);
            writer.WriteString("object", "model");
            writer.WriteString("owned_by", route.Key.Name);
            writer.WriteEndObject();
        }
    }, openAI: true);

    private static byte[] Serialize(Action<Utf8JsonWriter> items, bool openAI)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            if (openAI)
            {
                writer.WriteString("object", "list");
            }

            writer.WriteStartArray("data");
            items(writer);
            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
