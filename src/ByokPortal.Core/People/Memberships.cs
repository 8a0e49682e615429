namespace ByokPortal.Core.People;

public enum EnterpriseRole
{
    Member = 0,
    Owner = 1,
}

public enum OrganizationRole
{
    Member = 0,
    Owner = 1,
}

/// <summary>
/// A person's place in an enterprise. Enterprise owners manage the enterprise and every organization in it.
/// <see cref="Role"/> is what access checks read: the higher of the role given by hand (<see cref="HandRole"/>) and the role that comes
/// from the person's directory groups (<see cref="GroupRole"/>). The row lasts while either source, or SCIM provisioning, holds it.
/// </summary>
public sealed class EnterpriseMembership
{
    public Guid EnterpriseId { get; set; }

    public Guid PersonId { get; set; }

    /// <summary>The role in force: the higher of <see cref="HandRole"/> and <see cref="GroupRole"/>.</summary>
    public EnterpriseRole Role { get; set; }

    /// <summary>Given by an owner: Member (added, no enterprise role) or Owner; null when not added by hand.</summary>
    public EnterpriseRole? HandRole { get; set; }

    /// <summary>From mapped directory groups: Owner, or Member when groups give organization roles only; null when none.</summary>
    public EnterpriseRole? GroupRole { get; set; }

    /// <summary>The SCIM client created or linked the person in this enterprise (SCIM lists them while this is set).</summary>
    public bool Provisioned { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>A person's place in an organization; <see cref="Role"/> is the higher of the hand-given and the group-given role.</summary>
public sealed class OrganizationMembership
{
    public Guid OrganizationId { get; set; }

    public Guid PersonId { get; set; }

    /// <summary>The role in force: the higher of <see cref="HandRole"/> and <see cref="GroupRole"/>.</summary>
    public OrganizationRole Role { get; set; }

    /// <summary>Given by an owner; null when the role comes only from groups.</summary>
    public OrganizationRole? HandRole { get; set; }

    /// <summary>From mapped directory groups; null when no group gives a role here.</summary>
    public OrganizationRole? GroupRole { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
