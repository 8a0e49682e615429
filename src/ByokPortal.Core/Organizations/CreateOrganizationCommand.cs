using ByokPortal.Core.Access;
using System.Text.Json;
using ByokPortal.Core.Audit;
using ByokPortal.Core.Common;
using ByokPortal.Core.Data;
using ByokPortal.Core.ProviderKeys;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace ByokPortal.Core.Organizations;

public sealed record OrganizationCreated(Guid Id, string Slug, string Name);

/// <summary>
/// Creates an organization of the enterprise (enterprise owners). Its slug is unique across the portal and stays taken while an archived
/// organization holds it. A new organization has no grants: it receives the models allowed for all organizations, and nothing else.
/// </summary>
public sealed class CreateOrganizationCommand(IPortalDbContextFactory dbFactory, OwnerScopes scopes, AuditTrail audit, IValidator<CreateOrganizationInput> validator, TimeProvider time)
{
    public async Task<Result<OrganizationCreated>> ExecuteAsync(Actor actor, string enterpriseSlug, CreateOrganizationInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(input);
        input = input with { Name = input.Name?.Trim() ?? "", Slug = input.Slug?.Trim() ?? "" };
        var validation = await validator.ValidateAsync(input, cancellationToken);
        if (!validation.IsValid)
        {
            return ValidationError.From(validation);
        }

        await using var db = await dbFactory.CreateAsync(cancellationToken);
        var resolved = await scopes.ResolveAsync(db, actor, KeyScope.Enterprise(enterpriseSlug), AuditActions.OrganizationCreate, cancellationToken);
        if (!resolved.IsSuccess)
        {
            return resolved.Error!;
        }

        if (await SlugTakenAsync(db, input.Slug, cancellationToken) is { } taken)
        {
            return taken;
        }

        var organization = new Organization { EnterpriseId = resolved.Value.EnterpriseId, Slug = input.Slug, Name = input.Name, CreatedAt = time.GetUtcNow() };
        db.Organizations.Add(organization);
        audit.Record(db, actor, AuditActions.OrganizationCreate,
            new AuditTarget("organization", organization.Id.ToString(), organization.Slug, organization.EnterpriseId, organization.Id),
            JsonSerializer.Serialize(new { name = organization.Name }));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Someone took the slug between the check and the save: the unique index refused it.
            return ValidationError.For(nameof(CreateOrganizationInput.Slug), $"An organization with the slug \"{input.Slug}\" already exists. Choose another slug.");
        }

        return new OrganizationCreated(organization.Id, organization.Slug, organization.Name);
    }

    private static async Task<ValidationError?> SlugTakenAsync(IPortalDbContext db, string slug, CancellationToken cancellationToken)
    {
        var holder = await db.Organizations.AsNoTracking().Where(o => o.Slug == slug).Select(o => new { o.Name, o.ArchivedAt }).FirstOrDefaultAsync(cancellationToken);
        if (holder is null)
        {
            return null;
        }

        return ValidationError.For(nameof(CreateOrganizationInput.Slug), holder.ArchivedAt is null
            ? $"An organization with the slug \"{slug}\" already exists. Choose another slug."
            : $"The slug \"{slug}\" belongs to an archived organization. Restore or delete that organization, or choose another slug.");
    }
}
