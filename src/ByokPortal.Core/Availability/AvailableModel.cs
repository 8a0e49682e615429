using ByokPortal.Core.ProviderKeys;

namespace ByokPortal.Core.Availability;

public sealed record AvailableModel(
    Guid CustomModelId,
    string ModelId,
    Guid KeyId,
    string KeyName,
    ProviderKind Provider,
    ModelSource Source,
    CredentialTestStatus KeyStatus)
{
    public string ProviderName => Provider.DisplayName();
}
