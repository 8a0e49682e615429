using ByokPortal.Core.Access;
using ByokPortal.Core.Common;

namespace ByokPortal.Core.ProviderKeys;

/// <summary>
/// The enterprise policy "Allow organizations to add their own API keys", as the key use cases enforce it: while it is off, an
/// organization's keys cannot be added, edited, tested, used to fetch models or re-assigned (by anyone, on the server); they can
/// still be deleted. Enterprise keys are not concerned.
/// </summary>
public static class OrganizationKeysPolicy
{
    public const string AddRefused = "Your enterprise does not allow organizations to add their own API keys.";

    public const string ChangeRefused =
        "Your enterprise does not allow organizations to add their own API keys, so this organization's keys can only be deleted: editing, testing and changing their assignment are unavailable.";

    /// <summary>Null when the scope may add keys; otherwise the refusal.</summary>
    public static ForbiddenError? RefuseAdding(ResolvedScope owner) => IsLocked(owner) ? new ForbiddenError(AddRefused) : null;

    /// <summary>Null when the scope's keys may be edited, tested, used to fetch models and re-assigned; otherwise the refusal.</summary>
    public static ForbiddenError? RefuseChanging(ResolvedScope owner) => IsLocked(owner) ? new ForbiddenError(ChangeRefused) : null;

    private static bool IsLocked(ResolvedScope owner)
    {
        ArgumentNullException.ThrowIfNull(owner);
        return owner.OrganizationId is not null && !owner.OrganizationKeysAllowed;
    }
}
