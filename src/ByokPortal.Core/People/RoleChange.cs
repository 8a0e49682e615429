namespace ByokPortal.Core.People;

/// <summary>A change of a person's roles, for the audit log: "+owner of contoso-web (group)", "-enterprise owner (by hand)".</summary>
public sealed record RoleChange(Guid PersonId, string Change);
