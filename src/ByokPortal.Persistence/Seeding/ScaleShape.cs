namespace ByokPortal.Persistence.Seeding;

/// <summary>What <see cref="ScaleSeeder"/> builds: the sizes of issue 8's "Speed and scale", and where the provider keys point.</summary>
public sealed record ScaleShape
{
    public const string DefaultEnterpriseSlug = "scale";

    public string EnterpriseSlug { get; init; } = DefaultEnterpriseSlug;

    public int Organizations { get; init; } = 5_000;

    /// <summary>The first third are enterprise keys, the rest belong to one organization each.</summary>
    public int ProviderKeys { get; init; } = 300;

    public int ModelsPerKey { get; init; } = 10;

    /// <summary>Enterprise models granted to each organization ("Choose per organization"): 20 × 5,000 = 100,000 grants.</summary>
    public int GrantsPerOrganization { get; init; } = 20;

    /// <summary>One owner and three members per organization: 20,000 people.</summary>
    public int PeoplePerOrganization { get; init; } = 4;

    /// <summary>10,000 API keys.</summary>
    public int ApiKeysPerOrganization { get; init; } = 2;

    /// <summary>Every key's Base URL (an OpenAI-compatible endpoint: the load script points it at its stand-in provider).</summary>
    public string ProviderBaseUrl { get; init; } = "https://api.openai.com/v1";

    /// <summary>How many issued tokens <see cref="ScaleSeedResult.SampleTokens"/> keeps (the rest are shown to nobody).</summary>
    public int SampleTokens { get; init; } = 8;

    public int EnterpriseKeys => ProviderKeys / 3;

    /// <summary>The enterprise models every organization may use (the first two enterprise keys' models).</summary>
    public int AllOrganizationsModels => Math.Min(EnterpriseKeys, 2) * ModelsPerKey;
}
