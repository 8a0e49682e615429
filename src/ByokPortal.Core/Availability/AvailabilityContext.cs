using ByokPortal.Core.Organizations;

namespace ByokPortal.Core.Availability;

/// <summary>The facts about one organization that availability depends on. <see cref="OrganizationArchived"/>: nothing is available to it.</summary>
public sealed record AvailabilityContext(
    Guid OrganizationId,
    ModelsPermission Permission,
    IReadOnlyDictionary<Guid, bool> Settings,
    IReadOnlySet<Guid> GrantedModelIds,
    bool OrganizationKeysAllowed,
    Guid? ApiKeyId = null,
    bool OrganizationArchived = false);
