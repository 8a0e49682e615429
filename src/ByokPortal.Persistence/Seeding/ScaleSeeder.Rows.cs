using ByokPortal.Core.ApiKeys;
using ByokPortal.Core.CustomModels;
using ByokPortal.Core.Organizations;
using ByokPortal.Core.People;
using ByokPortal.Core.ProviderKeys;

namespace ByokPortal.Persistence.Seeding;

public sealed partial class ScaleSeeder
{
    public static string OrganizationSlug(ScaleShape shape, int index)
    {
        ArgumentNullException.ThrowIfNull(shape);
        return $"{shape.EnterpriseSlug}-team-{index:D4}";
    }

    public static string EnterpriseModelId(int key, int model) => $"scale-e{key:D3}-m{model}";

    private static Person NewPerson(int index, DateTimeOffset now) =>
        new() { Email = $"person-{index:D5}@scale.test", DisplayName = $"Person {index:D5}", CreatedAt = now };

    private async Task<ProviderKey> NewKeyAsync(ScaleShape shape, Guid enterpriseId, Guid? organizationId, string name, Guid createdBy, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var credential = $"sk-scale-{Guid.NewGuid():N}";
        var reference = await secrets.CreateAsync(credential, cancellationToken);
        return new ProviderKey
        {
            EnterpriseId = enterpriseId,
            OrganizationId = organizationId,
            Scope = ProviderKey.ScopeFor(organizationId),
            Name = name,
            NormalizedName = ProviderKey.NormalizeName(name),
            Provider = ProviderKind.OpenAICompatible,
            BaseUrl = shape.ProviderBaseUrl,
            SecretName = reference.Name,
            SecretVersion = reference.Version,
            MaskedHint = ProviderKey.MaskOf(credential),
            CreatedById = createdBy,
            CreatedAt = now,
            UpdatedAt = now,
        };
    }

    private sealed class ScaleRows
    {
        public List<Organization> Organizations { get; } = [];

        public List<Person> People { get; } = [];

        public List<EnterpriseMembership> EnterpriseMemberships { get; } = [];

        public List<OrganizationMembership> OrganizationMemberships { get; } = [];

        public List<ProviderKey> Keys { get; } = [];

        public List<CustomModel> Models { get; } = [];

        public List<OrganizationApiKey> ApiKeys { get; } = [];

        public List<ProviderKeyAssignment> Assignments { get; } = [];

        public List<ModelAccessGrant> Grants { get; } = [];

        public List<OrganizationModelSetting> Settings { get; } = [];
    }
}
