using System.Collections.Frozen;
using System.Text.Json;
using ByokPortal.Providers.Aws;

namespace ByokPortal.Providers.Adapters;

/// <summary>Every region's access key of an AWS Bedrock provider key, as stored (one secret) and as parsed once per snapshot.</summary>
public sealed class BedrockCredentials
{
    private readonly FrozenDictionary<string, AwsAccessKey> _byRegion;

    public BedrockCredentials(IEnumerable<KeyValuePair<string, AwsAccessKey>> regions) =>
        _byRegion = regions.ToFrozenDictionary(StringComparer.Ordinal);

    public IReadOnlyCollection<string> Regions => _byRegion.Keys;

    /// <summary>The region's own access key, else the <c>global</c> set; never another region's.</summary>
    public AwsAccessKey? For(string region) =>
        _byRegion.GetValueOrDefault(region) ?? _byRegion.GetValueOrDefault(AwsBedrockAdapter.GlobalRegion);

    public static BedrockCredentials Parse(string secret)
    {
        using var document = JsonDocument.Parse(secret);
        var regions = document.RootElement.GetProperty("regions").EnumerateArray()
            .Select(r => KeyValuePair.Create(
                r.GetProperty("region").GetString() ?? throw new FormatException("A region has no name."),
                new AwsAccessKey(r.GetProperty("accessKeyId").GetString() ?? "", r.GetProperty("secretAccessKey").GetString() ?? "")))
            .ToList();
        return regions.Count == 0 ? throw new FormatException("No region is stored.") : new BedrockCredentials(regions);
    }

    public override string ToString() => $"BedrockCredentials {{ Regions = {string.Join(", ", Regions)} }}";
}
