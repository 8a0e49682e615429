using System.Collections.Frozen;

namespace ByokPortal.Runtime.Snapshots;

/// <summary>What the runtime knows about one enterprise, built from one policy version. Immutable once built.</summary>
public sealed class EnterpriseRuntime(Guid enterpriseId, Guid version, IReadOnlyList<RuntimeApiKey> apiKeys, IReadOnlyList<RuntimeProviderKey> providerKeys)
{
    public Guid EnterpriseId { get; } = enterpriseId;

    /// <summary>The policy version it was built from (<see cref="Guid.Empty"/>: the enterprise never changed its policy).</summary>
    public Guid Version { get; } = version;

    public IReadOnlyList<RuntimeApiKey> ApiKeys { get; } = apiKeys;

    public IReadOnlyList<RuntimeProviderKey> ProviderKeys { get; } = providerKeys;
}

/// <summary>
/// The whole installation as the runtime serves it: every enterprise's runtime and one index of every API key by its hash. Replaced as a
/// whole (one reference swap) whenever an enterprise's policy version changes; requests read it without locks or database round trips.
/// </summary>
public sealed class RuntimeSnapshot
{
    public static readonly RuntimeSnapshot Empty = new(FrozenDictionary<Guid, EnterpriseRuntime>.Empty, isReady: false);

    public RuntimeSnapshot(IReadOnlyDictionary<Guid, EnterpriseRuntime> enterprises, bool isReady = true)
    {
        ArgumentNullException.ThrowIfNull(enterprises);
        Enterprises = enterprises.ToFrozenDictionary();
        ApiKeys = Enterprises.Values.SelectMany(e => e.ApiKeys).ToFrozenDictionary(k => k.Hash);
        IsReady = isReady;
    }

    public FrozenDictionary<Guid, EnterpriseRuntime> Enterprises { get; }

    public FrozenDictionary<ApiKeyHash, RuntimeApiKey> ApiKeys { get; }

    /// <summary>False until the first build finished: the runtime answers 503 until then.</summary>
    public bool IsReady { get; }

    public RuntimeSnapshot With(EnterpriseRuntime enterprise)
    {
        ArgumentNullException.ThrowIfNull(enterprise);
        var enterprises = Enterprises.ToDictionary();
        enterprises[enterprise.EnterpriseId] = enterprise;
        return new RuntimeSnapshot(enterprises);
    }

    public RuntimeSnapshot Without(Guid enterpriseId)
    {
        var enterprises = Enterprises.ToDictionary();
        enterprises.Remove(enterpriseId);
        return new RuntimeSnapshot(enterprises);
    }
}
