using ByokPortal.Core.ApiKeys;
using ByokPortal.Core.Common;
using ByokPortal.Core.ProviderKeys;

namespace ByokPortal.Web.Components.Organizations.Settings;

/// <summary>What every organization settings page shows around its content: the name, the enterprise policy, the API keys to assign to.</summary>
public sealed record OrganizationSettingsState(string Name, bool OrganizationKeysAllowed, IReadOnlyList<AssignedApiKey> ActiveApiKeys)
{
    public static async Task<Result<OrganizationSettingsState>> LoadAsync(ListApiKeysQuery apiKeys, Actor actor, string organization)
    {
        var result = await apiKeys.ExecuteAsync(actor, organization, CancellationToken.None);
        return result.IsSuccess
            ? new OrganizationSettingsState(result.Value.OrganizationName, result.Value.OrganizationKeysAllowed, result.Value.ActiveKeys)
            : result.Error!;
    }

    public string? AddDisabledReason => OrganizationKeysAllowed ? null : OrganizationKeysPolicy.AddRefused;

    /// <summary>Why the organization's keys cannot be edited, tested or re-assigned (delete stays), or null when they can.</summary>
    public string? ChangeDisabledReason => OrganizationKeysAllowed ? null : OrganizationKeysPolicy.ChangeRefused;
}
