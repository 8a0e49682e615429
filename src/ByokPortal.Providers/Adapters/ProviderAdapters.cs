using System.Collections.Frozen;
using ByokPortal.Core.ProviderKeys;

namespace ByokPortal.Providers.Adapters;

/// <summary>The adapter of each provider kind, as registered by <see cref="DependencyInjection.AddPortalProviders"/>.</summary>
public sealed class ProviderAdapters(IEnumerable<IProviderAdapter> adapters)
{
    private readonly FrozenDictionary<ProviderKind, IProviderAdapter> _byKind = adapters.ToFrozenDictionary(a => a.Kind);

    /// <summary>The adapter of <paramref name="kind"/>, or null for a value no adapter serves.</summary>
    public IProviderAdapter? Find(ProviderKind kind) => _byKind.GetValueOrDefault(kind);
}
