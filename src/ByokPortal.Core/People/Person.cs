namespace ByokPortal.Core.People;

public sealed class Person
{
    public const int EmailMaxLength = 254;
    public const int DisplayNameMaxLength = 200;
    public const int ExternalIdMaxLength = 256;

    public Guid Id { get; set; } = Guid.NewGuid();

    /// <summary>Lower-case e-mail address; unique.</summary>
    public required string Email { get; set; }

    public required string DisplayName { get; set; }

    /// <summary>The Entra ID object ID (<c>oid</c>) once the person has signed in with Entra ID; unique when set.</summary>
    public string? ExternalObjectId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? LastSignInAt { get; set; }

    /// <summary>
    /// When the person was disabled (by an owner, or by SCIM deprovisioning); null while active. A disabled person cannot sign in,
    /// their sessions end, and every role check treats them as having no role.
    /// </summary>
    public DateTimeOffset? DisabledAt { get; set; }

    /// <summary>The provisioning client's own ID for the person (SCIM <c>externalId</c>; Entra ID sends the mail nickname or object ID).</summary>
    public string? ScimExternalId { get; set; }

    public static string NormalizeEmail(string email) => email.Trim().ToLowerInvariant();
}
