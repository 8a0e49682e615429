using ByokPortal.Core.Common;

namespace ByokPortal.Core.CustomModels;

/// <summary>A model ID as the provider names it (or an Azure / Foundry deployment name), added from a provider key.</summary>
public sealed class CustomModel : IVersioned
{
    public const int ModelIdMaxLength = 200;

    public Guid Id { get; set; } = Guid.NewGuid();

    public Guid ProviderKeyId { get; set; }

    /// <summary>Copied from the key, so availability queries need no join to find the owner.</summary>
    public Guid EnterpriseId { get; set; }

    /// <summary>Copied from the key: null for enterprise models.</summary>
    public Guid? OrganizationId { get; set; }

    public required string ModelId { get; set; }

    public bool Enabled { get; set; } = true;

    /// <summary>Enterprise models only: "Allow for all organizations" or "Choose per organization" (then <see cref="ModelAccessGrant"/> rows).</summary>
    public ModelAccessMode AccessMode { get; set; } = ModelAccessMode.ChoosePerOrganization;

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public Guid Version { get; set; } = Guid.NewGuid();
}

public enum ModelAccessMode
{
    /// <summary>Only the organizations with a grant; a new model has none until an owner chooses.</summary>
    ChoosePerOrganization = 0,

    /// <summary>Every organization of the enterprise, including organizations created later.</summary>
    AllOrganizations = 1,
}

/// <summary>An enterprise model granted to one organization ("Choose per organization").</summary>
public sealed class ModelAccessGrant
{
    public Guid CustomModelId { get; set; }

    public Guid OrganizationId { get; set; }
}
