namespace ByokPortal.Core.Common;

/// <summary>Who can act on the portal: a signed-in person, an organization API key (applications), a SCIM token, or the portal itself.</summary>
public enum ActorKind
{
    Person = 0,
    ApiKey = 1,
    ScimToken = 2,
    System = 3,
}

/// <summary>
/// Who is acting, as the edge knows them: a person (ID from the sign-in cookie) or an organization API key (by ID), and where the
/// request came from. It carries no roles on purpose: every use case re-reads roles from the database at the moment it runs.
/// <see cref="Name"/> is what the audit log shows: a person's e-mail address, or an API key's non-secret prefix and name.
/// </summary>
public sealed record Actor(ActorKind Kind, Guid Id, string Name, string? ClientAddress)
{
    /// <summary>A signed-in person.</summary>
    public Actor(Guid personId, string email, string? clientAddress)
        : this(ActorKind.Person, personId, email, clientAddress)
    {
    }

    /// <summary>The portal itself (background checks, the usage writer): never holds a role.</summary>
    public static readonly Actor System = new(ActorKind.System, Guid.Empty, "ByokPortal", null);

    /// <summary>An organization API key, named in the audit log by its prefix and name (never its secret).</summary>
    public static Actor ForApiKey(Guid apiKeyId, string prefix, string name, string? clientAddress) =>
        new(ActorKind.ApiKey, apiKeyId, $"API key {prefix}… ({name})", clientAddress);

    /// <summary>A SCIM provisioning token, named by its name.</summary>
    public static Actor ForScimToken(Guid tokenId, string name, string? clientAddress) =>
        new(ActorKind.ScimToken, tokenId, $"SCIM token {name}", clientAddress);

    /// <summary>The person's ID; <see cref="Guid.Empty"/> for actors that are not people (they hold no roles).</summary>
    public Guid PersonId => Kind == ActorKind.Person ? Id : Guid.Empty;

    public bool IsPerson => Kind == ActorKind.Person;

    /// <summary>The audit log's name of the kind: person, api_key, scim_token, system.</summary>
    public string KindName => Kind switch
    {
        ActorKind.ApiKey => "api_key",
        ActorKind.ScimToken => "scim_token",
        ActorKind.System => "system",
        _ => "person",
    };
}
