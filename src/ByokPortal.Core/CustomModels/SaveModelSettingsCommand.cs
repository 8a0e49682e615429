using ByokPortal.Core.Access;
using System.Text.Json;
using ByokPortal.Core.Audit;
using ByokPortal.Core.Common;
using ByokPortal.Core.Data;
using ByokPortal.Core.ProviderKeys;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace ByokPortal.Core.CustomModels;

/// <summary>The model modal's Save: the Enabled switch and, for an enterprise model that is enabled, its access.</summary>
public sealed class ModelSettingsInput
{
    public bool Enabled { get; set; }

    public ModelAccessMode AccessMode { get; set; }

    /// <summary>The organizations checked under "Choose per organization".</summary>
    public ISet<Guid> OrganizationIds { get; } = new HashSet<Guid>();

    /// <summary>The version the owner loaded; a save over a newer one is a conflict.</summary>
    public Guid ExpectedVersion { get; set; }
}

public sealed class ModelSettingsInputValidator : AbstractValidator<ModelSettingsInput>
{
    public const int MaxOrganizations = 100_000;

    public ModelSettingsInputValidator()
    {
        RuleFor(i => i.AccessMode).IsInEnum().WithMessage("Choose who can use the model.");
        RuleFor(i => i.OrganizationIds.Count).LessThanOrEqualTo(MaxOrganizations).WithMessage("Too many organizations.");
        RuleFor(i => i.ExpectedVersion).NotEmpty().WithMessage("Reload the page and try again.");
    }
}

public sealed record ModelSettingsSaved(bool Enabled, ModelAccessMode AccessMode, int GrantCount, int Added, int Removed);

/// <summary>
/// Saves a model's settings in one transaction, writing only what changed: grants are diffed against the stored set, so checking
/// one more organization among 5,000 inserts one row. While a model is disabled its access is left as it was (the Access tab is
/// unavailable then). A concurrent save by another owner gets a conflict, and nothing is overwritten.
/// </summary>
public sealed class SaveModelSettingsCommand(
    IPortalDbContextFactory dbFactory,
    OwnerScopes scopes,
    AuditTrail audit,
    IValidator<ModelSettingsInput> validator,
    TimeProvider time)
{
    public async Task<Result<ModelSettingsSaved>> ExecuteAsync(Actor actor, KeyScope scope, Guid modelId, ModelSettingsInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(input);
        var validation = await validator.ValidateAsync(input, cancellationToken);
        if (!validation.IsValid)
        {
            return ValidationError.From(validation);
        }

        await using var db = await dbFactory.CreateAsync(cancellationToken);
        var resolved = await scopes.ResolveAsync(db, actor, scope, AuditActions.ModelAccessUpdate, cancellationToken);
        if (!resolved.IsSuccess)
        {
            return resolved.Error!;
        }

        var owner = resolved.Value;
        var keysInScope = db.ProviderKeys.InScope(owner);
        var model = await db.CustomModels.FirstOrDefaultAsync(m => m.Id == modelId && keysInScope.Any(k => k.Id == m.ProviderKeyId), cancellationToken);
        if (model is null)
        {
            return new NotFoundError("This model no longer exists.");
        }

        db.ExpectVersion(model, input.ExpectedVersion);
        var target = owner.Target("model", model.Id.ToString(), model.ModelId);
        if (model.Enabled != input.Enabled)
        {
            model.Enabled = input.Enabled;
            audit.Record(db, actor, input.Enabled ? AuditActions.ModelEnable : AuditActions.ModelDisable, target);
        }

        int added = 0, removed = 0;
        var grantCount = await db.ModelAccessGrants.CountAsync(g => g.CustomModelId == model.Id, cancellationToken);
        if (model.OrganizationId is null && input.Enabled)
        {
            var modeChanged = model.AccessMode != input.AccessMode;
            model.AccessMode = input.AccessMode;
            if (input.AccessMode == ModelAccessMode.ChoosePerOrganization)
            {
                // Tracked, so removals and additions are written by the same SaveChanges as everything else (one transaction).
                // Archived organizations are not offered: their grants are kept as they are (for a restore), and none is added.
                var stored = await db.ModelAccessGrants.Where(g => g.CustomModelId == model.Id).ToDictionaryAsync(g => g.OrganizationId, cancellationToken);
                var archived = (await db.Organizations.Where(o => o.EnterpriseId == owner.EnterpriseId && o.ArchivedAt != null).Select(o => o.Id).ToListAsync(cancellationToken)).ToHashSet();
                var toAdd = input.OrganizationIds.Where(id => !stored.ContainsKey(id)).ToList();
                var toRemove = stored.Values.Where(g => !input.OrganizationIds.Contains(g.OrganizationId) && !archived.Contains(g.OrganizationId)).ToList();
                if (toAdd.Count > 0)
                {
                    var known = await db.Organizations.CountAsync(o => toAdd.Contains(o.Id) && o.EnterpriseId == owner.EnterpriseId, cancellationToken);
                    if (known != toAdd.Count)
                    {
                        return ValidationError.For(nameof(ModelSettingsInput.OrganizationIds), "One of the chosen organizations no longer exists. Reload and try again.");
                    }

                    if (toAdd.Any(archived.Contains))
                    {
                        return ValidationError.For(nameof(ModelSettingsInput.OrganizationIds), "One of the chosen organizations is archived: restore it before granting it models.");
                    }

                    db.ModelAccessGrants.AddRange(toAdd.Select(id => new ModelAccessGrant { CustomModelId = model.Id, OrganizationId = id }));
                }

                db.ModelAccessGrants.RemoveRange(toRemove);

                (added, removed) = (toAdd.Count, toRemove.Count);
                grantCount = stored.Count + added - removed;
            }

            if (modeChanged || added > 0 || removed > 0)
            {
                audit.Record(db, actor, AuditActions.ModelAccessUpdate, target,
                    JsonSerializer.Serialize(new { mode = input.AccessMode.ToString(), organizationsAdded = added, organizationsRemoved = removed }));
            }
        }

        model.UpdatedAt = time.GetUtcNow();
        if (await db.TrySaveAsync("This model's settings", cancellationToken) is { } conflict)
        {
            return conflict;
        }

        return new ModelSettingsSaved(model.Enabled, model.AccessMode, grantCount, added, removed);
    }
}
