using ByokPortal.Core.Availability;

namespace ByokPortal.Runtime.Snapshots;

/// <summary>A model an API key may use, and the provider key that serves it. Enterprise models' routes are shared by every organization.</summary>
public sealed class RuntimeRoute(string modelId, Guid customModelId, RuntimeProviderKey key, ModelSource source)
{
    public string ModelId { get; } = modelId;

    public Guid CustomModelId { get; } = customModelId;

    public RuntimeProviderKey Key { get; } = key;

    public ModelSource Source { get; } = source;

    /// <summary>The contract's name of the source: <c>apiKey</c>, <c>organization</c> or <c>enterprise</c> (also the <c>x-byok-key-source</c> header).</summary>
    public string SourceName { get; } = SourceNameOf(source);

    public static string SourceNameOf(ModelSource source) => source switch
    {
        ModelSource.OrganizationApiKey => "apiKey",
        ModelSource.Organization => "organization",
        _ => "enterprise",
    };
}
