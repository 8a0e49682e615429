using ByokPortal.Core.Access;
using System.Text.Json;
using ByokPortal.Core.Audit;
using ByokPortal.Core.Availability;
using ByokPortal.Core.Common;
using ByokPortal.Core.Data;
using ByokPortal.Core.ProviderKeys;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace ByokPortal.Core.Organizations;

/// <summary>One line of the "Only select models" list: a model the organization can reach, and whether it is switched on.</summary>
public sealed record ModelPermissionRow(AvailableModel Model, bool Enabled);

public sealed record ModelsPermissionsView(string OrganizationName, string EnterpriseName, ModelsPermission Permission, bool OrganizationKeysAllowed, IReadOnlyList<ModelPermissionRow> Models, Guid Version);

/// <summary>
/// "Models permissions" of an organization, for its owners. Every model the organization can reach is listed (enterprise-granted and its
/// own); a model without a stored choice shows as enabled while the organization is on All publishers (switching to Only select models
/// keeps today's models working) and as disabled once it is on Only select models (the list is an explicit allow-list).
/// </summary>
public sealed class GetModelsPermissionsQuery(IPortalDbContextFactory dbFactory, OwnerScopes scopes)
{
    public async Task<Result<ModelsPermissionsView>> ExecuteAsync(Actor actor, string organizationSlug, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateAsync(cancellationToken);
        var resolved = await scopes.ResolveAsync(db, actor, KeyScope.Organization(organizationSlug), AuditActions.AccessDenied, cancellationToken);
        if (!resolved.IsSuccess)
        {
            return resolved.Error!;
        }

        var organization = await db.Organizations.AsNoTracking().SingleAsync(o => o.Id == resolved.Value.OrganizationId, cancellationToken);
        var (context, candidates) = await AvailabilityLoader.LoadAsync(db, organization, null, cancellationToken);
        var reachable = ModelAvailability.Compute(context, candidates, AvailabilityView.Reachable);
        var rows = reachable.Select(m => new ModelPermissionRow(m,
                context.Settings.TryGetValue(m.CustomModelId, out var enabled) ? enabled : organization.ModelsPermission == ModelsPermission.AllPublishers))
            .ToList();
        return new ModelsPermissionsView(organization.Name, resolved.Value.EnterpriseName, organization.ModelsPermission, context.OrganizationKeysAllowed, rows, organization.Version);
    }
}

public sealed class ModelsPermissionsInput
{
    public ModelsPermission Permission { get; set; }

    /// <summary>Under Only select models: the models switched on (every other reachable model is switched off).</summary>
    public ISet<Guid> EnabledModelIds { get; } = new HashSet<Guid>();

    public Guid ExpectedVersion { get; set; }
}

public sealed class ModelsPermissionsInputValidator : AbstractValidator<ModelsPermissionsInput>
{
    public ModelsPermissionsInputValidator()
    {
        RuleFor(i => i.Permission).IsInEnum().WithMessage("Choose All publishers or Only select models.");
        RuleFor(i => i.EnabledModelIds.Count).LessThanOrEqualTo(100_000).WithMessage("Too many models.");
        RuleFor(i => i.ExpectedVersion).NotEmpty().WithMessage("Reload the page and try again.");
    }
}

public sealed record ModelsPermissionsSaved(ModelsPermission Permission, int Enabled, int Disabled);

/// <summary>
/// Saves "Models permissions" in one transaction: the choice and, under Only select models, one setting per reachable model (only changed
/// rows are written). Under All publishers the stored list is kept, so switching back restores it. Concurrent saves get a conflict.
/// </summary>
public sealed class SaveModelsPermissionsCommand(
    IPortalDbContextFactory dbFactory,
    OwnerScopes scopes,
    AuditTrail audit,
    IValidator<ModelsPermissionsInput> validator,
    TimeProvider time)
{
    public async Task<Result<ModelsPermissionsSaved>> ExecuteAsync(Actor actor, string organizationSlug, ModelsPermissionsInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(input);
        var validation = await validator.ValidateAsync(input, cancellationToken);
        if (!validation.IsValid)
        {
            return ValidationError.From(validation);
        }

        await using var db = await dbFactory.CreateAsync(cancellationToken);
        var resolved = await scopes.ResolveAsync(db, actor, KeyScope.Organization(organizationSlug), AuditActions.ModelsPermissionUpdate, cancellationToken);
        if (!resolved.IsSuccess)
        {
            return resolved.Error!;
        }

        var organization = await db.Organizations.SingleAsync(o => o.Id == resolved.Value.OrganizationId, cancellationToken);
        db.ExpectVersion(organization, input.ExpectedVersion);
        int enabled = 0, disabled = 0, changed = 0;
        if (input.Permission == ModelsPermission.OnlySelectModels)
        {
            var (context, candidates) = await AvailabilityLoader.LoadAsync(db, organization, null, cancellationToken);
            var reachable = ModelAvailability.Compute(context, candidates, AvailabilityView.Reachable).Select(m => m.CustomModelId).Distinct().ToList();
            var stored = await db.OrganizationModelSettings.Where(s => s.OrganizationId == organization.Id).ToDictionaryAsync(s => s.CustomModelId, cancellationToken);
            var now = time.GetUtcNow();
            foreach (var modelId in reachable)
            {
                var on = input.EnabledModelIds.Contains(modelId);
                if (on)
                {
                    enabled++;
                }
                else
                {
                    disabled++;
                }

                if (stored.TryGetValue(modelId, out var setting))
                {
                    if (setting.Enabled != on)
                    {
                        setting.Enabled = on;
                        setting.UpdatedAt = now;
                        changed++;
                    }
                }
                else
                {
                    db.OrganizationModelSettings.Add(new OrganizationModelSetting { OrganizationId = organization.Id, CustomModelId = modelId, Enabled = on, UpdatedAt = now });
                    changed++;
                }
            }
        }

        var permissionChanged = organization.ModelsPermission != input.Permission;
        organization.ModelsPermission = input.Permission;
        if (permissionChanged || changed > 0)
        {
            audit.Record(db, actor, AuditActions.ModelsPermissionUpdate, resolved.Value.Target("organization", organization.Id.ToString(), organization.Slug),
                JsonSerializer.Serialize(new { permission = input.Permission.ToString(), enabled, disabled, settingsChanged = changed }));
        }

        if (await db.TrySaveAsync("This organization's models permissions", cancellationToken) is { } conflict)
        {
            return conflict;
        }

        return new ModelsPermissionsSaved(input.Permission, enabled, disabled);
    }
}
