namespace ByokPortal.Core.Identity;

/// <summary>The role a mapped group gives its members.</summary>
public enum MappedRole
{
    EnterpriseOwner = 0,
    OrganizationOwner = 1,
    OrganizationMember = 2,
}

/// <summary>
/// A directory group → a role. <see cref="GroupId"/> is an Entra group's object ID (matched against the <c>groups</c> claim at sign-in, or
/// the <c>roles</c> claim when groups are emitted as role claims), an app role's value, or a SCIM group's ID or <c>externalId</c>.
/// </summary>
public sealed class GroupMapping
{
    public const int GroupIdMaxLength = 128;

    public Guid Id { get; set; } = Guid.NewGuid();

    public Guid EnterpriseId { get; set; }

    public required string GroupId { get; set; }

    public MappedRole Role { get; set; }

    /// <summary>For organization roles; null for <see cref="MappedRole.EnterpriseOwner"/>.</summary>
    public Guid? OrganizationId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
