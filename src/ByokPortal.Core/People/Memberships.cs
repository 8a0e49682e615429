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

/// <summary>A person's place in an enterprise. Enterprise owners manage the enterprise and every organization in it.</summary>
public sealed class EnterpriseMembership
{
    public Guid EnterpriseId { get; set; }

    public Guid PersonId { get; set; }

    public EnterpriseRole Role { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>A person's place in an organization.</summary>
public sealed class OrganizationMembership
{
    public Guid OrganizationId { get; set; }

    public Guid PersonId { get; set; }

    public OrganizationRole Role { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
