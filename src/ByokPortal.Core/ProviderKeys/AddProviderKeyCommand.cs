using ByokPortal.Core.Access;
using System.Text.Json;
using ByokPortal.Core.ApiKeys;
using ByokPortal.Core.Audit;
using ByokPortal.Core.Common;
using ByokPortal.Core.CustomModels;
using ByokPortal.Core.Data;
using ByokPortal.Core.Secrets;
using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace ByokPortal.Core.ProviderKeys;

public sealed record ProviderKeySaved(Guid Id, string Name, string MaskedHint, int ModelCount);

/// <summary>
/// "Add API key" / "Add a custom key": the credential (one secret, however many fields the provider takes) goes to the secret store,
/// then the key row (opaque reference and masked hint only), its models, its assignment and the audit event are written by one
/// SaveChanges — all or nothing. If the database write fails, the secret just stored is deleted again (<see cref="UnsavedSecret"/>);
/// after a crash between the two writes, the orphan sweeper removes it.
/// </summary>
public sealed class AddProviderKeyCommand(
    IPortalDbContextFactory dbFactory,
    ISecretStore secrets,
    OwnerScopes scopes,
    AuditTrail audit,
    IValidator<ProviderKeyInput> validator,
    ProviderRegistry providers,
    TimeProvider time,
    ILogger<AddProviderKeyCommand> logger)
{
    public async Task<Result<ProviderKeySaved>> ExecuteAsync(Actor actor, KeyScope scope, ProviderKeyInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(input);
        var validation = await validator.ValidateAsync(input, o => o.IncludeRuleSets(ProviderKeyRuleSets.ForSave(adding: true, scope)), cancellationToken);
        if (!validation.IsValid)
        {
            return ValidationError.From(validation);
        }

        await using var db = await dbFactory.CreateAsync(cancellationToken);
        var resolved = await scopes.ResolveAsync(db, actor, scope, AuditActions.ProviderKeyCreate, cancellationToken);
        if (!resolved.IsSuccess)
        {
            return resolved.Error!;
        }

        var owner = resolved.Value;
        if (OrganizationKeysPolicy.RefuseAdding(owner) is { } refused)
        {
            return refused;
        }

        var name = input.Name.Trim();
        var normalizedName = ProviderKey.NormalizeName(name);
        if (await db.ProviderKeys.InScope(owner).AnyAsync(k => k.NormalizedName == normalizedName, cancellationToken))
        {
            return FieldRules.DuplicateName(name, owner);
        }

        var apiKeyIds = owner.OrganizationId is null ? [] : input.AssignedApiKeyIds;
        if (owner.OrganizationId is { } organizationId && apiKeyIds.Count > 0)
        {
            var active = await db.OrganizationApiKeys
                .Where(OrganizationApiKey.ActiveAt(time.GetUtcNow()))
                .CountAsync(k => apiKeyIds.Contains(k.Id) && k.OrganizationId == organizationId, cancellationToken);
            if (active != apiKeyIds.Count)
            {
                return ValidationError.For(nameof(ProviderKeyInput.ApiKeyIds), ProviderKeyAssignments.InactiveApiKey);
            }
        }

        var rules = providers.Get(input.Provider);
        var credential = rules.Secret(input);
        var connection = rules.Connection(input);
        SecretReference? secret = credential is null ? null : await secrets.CreateAsync(credential, cancellationToken);
        try
        {
            var now = time.GetUtcNow();
            var key = new ProviderKey
            {
                EnterpriseId = owner.EnterpriseId,
                OrganizationId = owner.OrganizationId,
                Scope = owner.ScopeKey,
                Name = name,
                NormalizedName = normalizedName,
                Provider = input.Provider,
                BaseUrl = connection.BaseUrl,
                ApiVersion = connection.ApiVersion,
                SettingsJson = connection.SettingsJson,
                SecretName = secret?.Name,
                SecretVersion = secret?.Version,
                MaskedHint = rules.MaskedHint(credential),
                CreatedById = actor.PersonId,
                CreatedAt = now,
                UpdatedAt = now,
                AssignedToEntireOrganization = owner.OrganizationId is null || input.AssignToEntireOrganization,
            };
            db.ProviderKeys.Add(key);
            var modelIds = input.DistinctModelIds;
            foreach (var modelId in modelIds)
            {
                db.CustomModels.Add(new CustomModel
                {
                    ProviderKeyId = key.Id,
                    EnterpriseId = owner.EnterpriseId,
                    OrganizationId = owner.OrganizationId,
                    ModelId = modelId,
                    Enabled = true,
                    AccessMode = ModelAccessMode.ChoosePerOrganization,
                    CreatedAt = now,
                    UpdatedAt = now,
                });
            }

            foreach (var apiKeyId in apiKeyIds)
            {
                db.ProviderKeyAssignments.Add(new ProviderKeyAssignment { ProviderKeyId = key.Id, ApiKeyId = apiKeyId });
            }

            audit.Record(db, actor, AuditActions.ProviderKeyCreate, owner.Target("provider_key", key.Id.ToString(), name),
                JsonSerializer.Serialize(new
                {
                    provider = input.Provider.ToString(),
                    baseUrl = key.BaseUrl,
                    models = modelIds,
                    assignment = key.AssignedToEntireOrganization ? "organization" : "api_keys",
                    secretVersion = secret?.Version,
                }));
            await db.SaveChangesAsync(cancellationToken);
            return new ProviderKeySaved(key.Id, key.Name, key.MaskedHint, modelIds.Count);
        }
        catch (Exception e)
        {
            if (secret is not null)
            {
                await UnsavedSecret.DiscardAsync(secrets, secret, isNewSecret: true, logger);
            }

            if (e is DbUpdateException && await NameTakenAsync(owner, normalizedName, cancellationToken))
            {
                // Another owner saved the same name a moment ago (the unique index said so).
                return FieldRules.DuplicateName(name, owner);
            }

            throw;
        }
    }

    private async Task<bool> NameTakenAsync(ResolvedScope owner, string normalizedName, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateAsync(cancellationToken);
        return await db.ProviderKeys.InScope(owner).AnyAsync(k => k.NormalizedName == normalizedName, cancellationToken);
    }
}
