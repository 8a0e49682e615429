using System.Collections.Frozen;

namespace ByokPortal.Core.ProviderKeys;

/// <summary>Every provider's rules, by kind, as the host registered them (one adapter per <see cref="ProviderKind"/>).</summary>
public sealed class ProviderRegistry
{
    private readonly FrozenDictionary<ProviderKind, IProviderRules> _byKind;

    public ProviderRegistry(IEnumerable<IProviderRules> providers)
    {
        ArgumentNullException.ThrowIfNull(providers);
        All = providers.OrderBy(p => p.Kind).ToList();
        _byKind = All.ToFrozenDictionary(p => p.Kind);
    }

    public IReadOnlyList<IProviderRules> All { get; }

    /// <summary>The rules of <paramref name="kind"/>, or null for a value no adapter serves (input from outside may hold any number).</summary>
    public IProviderRules? Find(ProviderKind kind) => _byKind.GetValueOrDefault(kind);

    public IProviderRules Get(ProviderKind kind) =>
        Find(kind) ?? throw new InvalidOperationException($"No adapter is registered for the provider {kind}.");

    /// <summary>GitHub Models' "Add a custom key" offers OpenAI and Azure AI only.</summary>
    public static readonly IReadOnlyList<ProviderKind> CustomKeyProviders = [ProviderKind.OpenAI, ProviderKind.AzureOpenAI];
}
