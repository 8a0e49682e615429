using ByokPortal.Core.Access;
using System.Text.Json;
using ByokPortal.Core.Audit;
using ByokPortal.Core.Common;
using ByokPortal.Core.Data;
using ByokPortal.Core.ProviderKeys;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace ByokPortal.Core.Organizations;

/// <summary>Renames an organization (its display name; the slug and URLs stay). Enterprise owners; a concurrent edit gets a conflict.</summary>
public sealed class RenameOrganizationCommand(IPortalDbContextFactory dbFactory, OwnerScopes scopes, AuditTrail audit, IValidator<RenameOrganizationInput> validator)
{
    public async Task<Result<OrganizationCreated>> ExecuteAsync(Actor actor, string enterpriseSlug, Guid organizationId, RenameOrganizationInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(input);
        input = input with { Name = input.Name?.Trim() ?? "" };
        var validation = await validator.ValidateAsync(input, cancellationToken);
        if (!validation.IsValid)
        {
            return ValidationError.From(validation);
        }

        await using var db = await dbFactory.CreateAsync(cancellationToken);
        var resolved = await scopes.ResolveAsync(db, actor, KeyScope.Enterprise(enterpriseSlug), AuditActions.OrganizationRename, cancellationToken);
        if (!resolved.IsSuccess)
        {
            return resolved.Error!;
        }

        var organization = await db.Organizations.FirstOrDefaultAsync(o => o.Id == organizationId && o.EnterpriseId == resolved.Value.EnterpriseId, cancellationToken);
        if (organization is null)
        {
            return new NotFoundError("This organization no longer exists.");
        }

        db.ExpectVersion(organization, input.ExpectedVersion);
        var previous = organization.Name;
        organization.Name = input.Name;
        audit.Record(db, actor, AuditActions.OrganizationRename,
            new AuditTarget("organization", organization.Id.ToString(), organization.Slug, organization.EnterpriseId, organization.Id),
            JsonSerializer.Serialize(new { from = previous, to = organization.Name }));
        return await db.TrySaveAsync("This organization", cancellationToken) is { } conflict
            ? conflict
            : new OrganizationCreated(organization.Id, organization.Slug, organization.Name);
    }
}
