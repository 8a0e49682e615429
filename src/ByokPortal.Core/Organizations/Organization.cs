using ByokPortal.Core.Common;

namespace ByokPortal.Core.Organizations;

public sealed class Organization : IVersioned
{
    public const int NameMaxLength = 100;

    public Guid Id { get; set; } = Guid.NewGuid();

    public Guid EnterpriseId { get; set; }

    public required string Slug { get; set; }

    public required string Name { get; set; }

    /// <summary>"Models permissions": All publishers, or Only select models (then <see cref="OrganizationModelSetting"/> rows decide).</summary>
    public ModelsPermission ModelsPermission { get; set; } = ModelsPermission.AllPublishers;

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>
    /// Set while the organization is archived: its people lose access, its API keys are refused and no model is available to it;
    /// its keys, models, grants and roles are kept, and its slug stays taken, until it is restored (or deleted).
    /// </summary>
    public DateTimeOffset? ArchivedAt { get; set; }

    public bool IsArchived => ArchivedAt is not null;

    public Guid Version { get; set; } = Guid.NewGuid();
}

public enum ModelsPermission
{
    /// <summary>Every model the organization can reach, custom-key models included.</summary>
    AllPublishers = 0,

    /// <summary>An explicit list: a reachable model is usable only when its setting says Enabled.</summary>
    OnlySelectModels = 1,
}
