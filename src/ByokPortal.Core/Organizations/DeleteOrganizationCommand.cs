using ByokPortal.Core.Access;
using System.Text.Json;
using ByokPortal.Core.Audit;
using ByokPortal.Core.Common;
using ByokPortal.Core.Data;
using ByokPortal.Core.ProviderKeys;
using ByokPortal.Core.Secrets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace ByokPortal.Core.Organizations;

/// <summary>What deleting an organization takes with it, for the confirmation.</summary>
public sealed record OrganizationDeletion(
    Guid Id, string Slug, string Name, bool IsArchived, int ProviderKeys, int Models, int ApiKeys, int Grants, int Roles, int GroupMappings)
{
    /// <summary>Counts what goes with <paramref name="organization"/> (the confirmation shows it; the deletion audits it).</summary>
    internal static async Task<OrganizationDeletion> CountAsync(IPortalDbContext db, Organization organization, CancellationToken cancellationToken)
    {
        var id = organization.Id;
        return new OrganizationDeletion(
            id, organization.Slug, organization.Name, organization.IsArchived,
            await db.ProviderKeys.CountAsync(k => k.OrganizationId == id, cancellationToken),
            await db.CustomModels.CountAsync(m => m.OrganizationId == id, cancellationToken),
            await db.OrganizationApiKeys.CountAsync(k => k.OrganizationId == id, cancellationToken),
            await db.ModelAccessGrants.CountAsync(g => g.OrganizationId == id, cancellationToken),
            await db.OrganizationMemberships.CountAsync(m => m.OrganizationId == id, cancellationToken),
            await db.GroupMappings.CountAsync(m => m.OrganizationId == id, cancellationToken));
    }
}

/// <summary>The confirmation's list of what goes with an organization (enterprise owners).</summary>
public sealed class GetOrganizationDeletionQuery(IPortalDbContextFactory dbFactory, OwnerScopes scopes)
{
    public async Task<Result<OrganizationDeletion>> ExecuteAsync(Actor actor, string enterpriseSlug, Guid organizationId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await using var db = await dbFactory.CreateAsync(cancellationToken);
        var resolved = await scopes.ResolveAsync(db, actor, KeyScope.Enterprise(enterpriseSlug), AuditActions.AccessDenied, cancellationToken);
        if (!resolved.IsSuccess)
        {
            return resolved.Error!;
        }

        var organization = await db.Organizations.AsNoTracking().FirstOrDefaultAsync(o => o.Id == organizationId && o.EnterpriseId == resolved.Value.EnterpriseId, cancellationToken);
        return organization is null ? new NotFoundError("This organization no longer exists.") : await OrganizationDeletion.CountAsync(db, organization, cancellationToken);
    }
}

/// <summary>
/// Deletes an archived organization (enterprise owners), after its slug is typed: its provider keys with their models and assignments,
/// its API keys, the grants of enterprise models to it, its model settings, its people's roles and its group mappings, with the audit
/// event, in one transaction; then its keys' credentials from the secret store. The audit log keeps its history. The slug is free again.
/// </summary>
public sealed partial class DeleteOrganizationCommand(
    IPortalDbContextFactory dbFactory,
    OwnerScopes scopes,
    AuditTrail audit,
    ISecretStore secrets,
    ILogger<DeleteOrganizationCommand> logger)
{
    public async Task<Result<OrganizationDeletion>> ExecuteAsync(Actor actor, string enterpriseSlug, Guid organizationId, string? typedSlug, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await using var db = await dbFactory.CreateAsync(cancellationToken);
        var resolved = await scopes.ResolveAsync(db, actor, KeyScope.Enterprise(enterpriseSlug), AuditActions.OrganizationDelete, cancellationToken);
        if (!resolved.IsSuccess)
        {
            return resolved.Error!;
        }

        var organization = await db.Organizations.FirstOrDefaultAsync(o => o.Id == organizationId && o.EnterpriseId == resolved.Value.EnterpriseId, cancellationToken);
        if (organization is null)
        {
            return new NotFoundError("This organization no longer exists.");
        }

        if (!organization.IsArchived)
        {
            return ValidationError.For("Organization", "Archive the organization before deleting it.");
        }

        if (!string.Equals(typedSlug?.Trim(), organization.Slug, StringComparison.Ordinal))
        {
            return ValidationError.For("Slug", $"Type the organization's slug, {organization.Slug}, to confirm.");
        }

        var deletion = await OrganizationDeletion.CountAsync(db, organization, cancellationToken);
        var id = organization.Id;
        var keys = await db.ProviderKeys.Where(k => k.OrganizationId == id).ToListAsync(cancellationToken);
        var keyIds = keys.Select(k => k.Id).ToList();
        var models = await db.CustomModels.Where(m => keyIds.Contains(m.ProviderKeyId)).ToListAsync(cancellationToken);
        var modelIds = models.Select(m => m.Id).ToList();
        var apiKeys = await db.OrganizationApiKeys.Where(k => k.OrganizationId == id).ToListAsync(cancellationToken);
        var apiKeyIds = apiKeys.Select(k => k.Id).ToList();

        db.ProviderKeyAssignments.RemoveRange(await db.ProviderKeyAssignments.Where(a => keyIds.Contains(a.ProviderKeyId) || apiKeyIds.Contains(a.ApiKeyId)).ToListAsync(cancellationToken));
        db.ModelAccessGrants.RemoveRange(await db.ModelAccessGrants.Where(g => g.OrganizationId == id || modelIds.Contains(g.CustomModelId)).ToListAsync(cancellationToken));
        db.OrganizationModelSettings.RemoveRange(await db.OrganizationModelSettings.Where(s => s.OrganizationId == id || modelIds.Contains(s.CustomModelId)).ToListAsync(cancellationToken));
        db.CustomModels.RemoveRange(models);
        db.ProviderKeys.RemoveRange(keys);
        db.OrganizationApiKeys.RemoveRange(apiKeys);
        db.OrganizationMemberships.RemoveRange(await db.OrganizationMemberships.Where(m => m.OrganizationId == id).ToListAsync(cancellationToken));
        db.GroupMappings.RemoveRange(await db.GroupMappings.Where(m => m.OrganizationId == id).ToListAsync(cancellationToken));
        db.Organizations.Remove(organization);
        audit.Record(db, actor, AuditActions.OrganizationDelete,
            new AuditTarget("organization", id.ToString(), organization.Slug, organization.EnterpriseId),
            JsonSerializer.Serialize(new
            {
                name = organization.Name,
                providerKeys = deletion.ProviderKeys,
                models = deletion.Models,
                apiKeys = deletion.ApiKeys,
                grants = deletion.Grants,
                roles = deletion.Roles,
                groupMappings = deletion.GroupMappings,
            }));
        if (await db.TrySaveAsync("This organization", cancellationToken) is { } conflict)
        {
            return conflict;
        }

        foreach (var secretName in keys.Select(k => k.SecretName).OfType<string>())
        {
            try
            {
                await secrets.DeleteAsync(secretName, CancellationToken.None);
            }
#pragma warning disable CA1031 // the organization is deleted; an orphaned secret is reported for clean-up, not to the owner
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogSecretNotDeleted(logger, id, e);
            }
        }

        return deletion;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Organization {OrganizationId} was deleted but a secret of its keys could not be deleted from the secret store.")]
    private static partial void LogSecretNotDeleted(ILogger logger, Guid organizationId, Exception exception);
}
