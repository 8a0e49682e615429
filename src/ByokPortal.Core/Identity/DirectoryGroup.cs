namespace ByokPortal.Core.Identity;

/// <summary>A group provisioned by the enterprise's SCIM client (<c>/scim/v2/Groups</c>); its ID is the SCIM resource ID.</summary>
public sealed class DirectoryGroup
{
    public const int DisplayNameMaxLength = 256;
    public const int ExternalIdMaxLength = 256;

    public Guid Id { get; set; } = Guid.NewGuid();

    public Guid EnterpriseId { get; set; }

    public required string DisplayName { get; set; }

    /// <summary>The client's ID for the group; Entra ID sends the group's object ID, so Entra group mappings apply to it too.</summary>
    public string? ExternalId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>A person in a SCIM group.</summary>
public sealed class DirectoryGroupMember
{
    public Guid GroupId { get; set; }

    public Guid PersonId { get; set; }
}

/// <summary>A mapped group the person belonged to at their last Microsoft Entra ID sign-in (from the groups or roles claim).</summary>
public sealed class SignInGroup
{
    public Guid PersonId { get; set; }

    public required string GroupId { get; set; }
}
