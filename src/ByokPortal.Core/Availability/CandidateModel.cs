using ByokPortal.Core.CustomModels;
using ByokPortal.Core.ProviderKeys;

namespace ByokPortal.Core.Availability;

/// <summary>
/// A model with the facts about it and its key that availability depends on. Nothing here is about one organization, so the runtime
/// snapshot shares one list of candidates between every organization of an enterprise.
/// </summary>
public sealed record CandidateModel(
    Guid CustomModelId,
    string ModelId,
    bool Enabled,
    ModelAccessMode AccessMode,
    Guid? OwnerOrganizationId,
    Guid KeyId,
    string KeyName,
    ProviderKind Provider,
    bool KeyAssignedToEntireOrganization,
    IReadOnlySet<Guid> KeyApiKeyIds,
    CredentialTestStatus KeyStatus)
{
    /// <summary>A key of one organization (null owner: an enterprise key).</summary>
    public bool IsOrganizationKey => OwnerOrganizationId is not null;
}
