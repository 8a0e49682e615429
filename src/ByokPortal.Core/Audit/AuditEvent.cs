namespace ByokPortal.Core.Audit;

/// <summary>Who did what to which object, when, from where, and how it ended. Never holds a secret.</summary>
public sealed class AuditEvent
{
    public const int ActionMaxLength = 64;
    public const int TextMaxLength = 256;

    public long Id { get; set; }

    public DateTimeOffset OccurredAt { get; set; }

    public Guid EnterpriseId { get; set; }

    public Guid? OrganizationId { get; set; }

    /// <summary>The person, API key or SCIM token that acted (by ID); null for the portal itself.</summary>
    public Guid? ActorId { get; set; }

    /// <summary>person, api_key, scim_token or system (<see cref="Common.Actor.KindName"/>).</summary>
    public string ActorType { get; set; } = "person";

    /// <summary>A person's e-mail address, or an API key's prefix and name: never a secret.</summary>
    public required string ActorName { get; set; }

    /// <summary>A dotted verb such as <c>provider_key.create</c>; see <see cref="AuditActions"/>.</summary>
    public required string Action { get; set; }

    public required string TargetType { get; set; }

    public string? TargetId { get; set; }

    public string? TargetName { get; set; }

    public string? ClientAddress { get; set; }

    public AuditOutcome Outcome { get; set; }

    /// <summary>Optional non-secret detail as a short JSON object (e.g. the models added).</summary>
    public string? Details { get; set; }
}

public enum AuditOutcome
{
    Succeeded = 0,
    Denied = 1,
    Failed = 2,
}
