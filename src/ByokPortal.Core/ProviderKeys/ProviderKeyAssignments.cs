using ByokPortal.Core.ApiKeys;
using ByokPortal.Core.Common;
using ByokPortal.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace ByokPortal.Core.ProviderKeys;

/// <summary>
/// How an organization key is assigned: to the entire organization ("Organization (all keys)") or to specific API keys of that
/// organization (which must be active). Writes only the assignment rows that change; the caller saves.
/// </summary>
public static class ProviderKeyAssignments
{
    public const string NoApiKeyChosen = "Choose at least one API key, or assign the key to the entire organization.";
    public const string InactiveApiKey = "One of the chosen API keys does not exist, was revoked or has expired.";

    public static async Task<(Error? Error, bool Changed)> ApplyAsync(
        IPortalDbContext db, ProviderKey key, Guid organizationId, bool entireOrganization, IEnumerable<Guid> apiKeyIds, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(key);
        var wanted = entireOrganization ? [] : apiKeyIds.ToHashSet();
        if (!entireOrganization && wanted.Count == 0)
        {
            return (ValidationError.For(nameof(ProviderKeyInput.ApiKeyIds), NoApiKeyChosen), false);
        }

        if (wanted.Count > 0)
        {
            var valid = await db.OrganizationApiKeys
                .Where(OrganizationApiKey.ActiveAt(now))
                .Where(k => wanted.Contains(k.Id) && k.OrganizationId == organizationId)
                .CountAsync(cancellationToken);
            if (valid != wanted.Count)
            {
                return (ValidationError.For(nameof(ProviderKeyInput.ApiKeyIds), InactiveApiKey), false);
            }
        }

        var changed = key.AssignedToEntireOrganization != entireOrganization;
        key.AssignedToEntireOrganization = entireOrganization;
        var current = await db.ProviderKeyAssignments.Where(a => a.ProviderKeyId == key.Id).ToListAsync(cancellationToken);
        var removed = current.Where(a => !wanted.Contains(a.ApiKeyId)).ToList();
        db.ProviderKeyAssignments.RemoveRange(removed);
        var added = wanted.Where(id => current.All(a => a.ApiKeyId != id)).ToList();
        foreach (var apiKeyId in added)
        {
            db.ProviderKeyAssignments.Add(new ProviderKeyAssignment { ProviderKeyId = key.Id, ApiKeyId = apiKeyId });
        }

        return (null, changed || removed.Count > 0 || added.Count > 0);
    }
}
