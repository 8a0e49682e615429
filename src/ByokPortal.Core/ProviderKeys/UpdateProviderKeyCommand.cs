using System.Text.Json;
using ByokPortal.Core.Audit;
using ByokPortal.Core.Common;
using ByokPortal.Core.CustomModels;
using ByokPortal.Core.Data;
using ByokPortal.Core.Secrets;
using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace ByokPortal.Core.ProviderKeys;

/// <summary>
/// Edits a key: name, endpoint, assignment, more models; a new credential when one is typed (stored as a new version in the secret
/// store), the stored one kept when the field is left empty. The provider cannot change. A concurrent edit gets a conflict.
/// When the save does not happen (a conflict, a database failure), the new version is taken back and the key goes on with its
/// previous one.
/// </summary>
public sealed class UpdateProviderKeyCommand(
    IPortalDbContextFactory dbFactory,
    ISecretStore secrets,
    OwnerScopes scopes,
    AuditTrail audit,
    IValidator<ProviderKeyInput> validator,
    TimeProvider time,
    ILogger<UpdateProviderKeyCommand> logger)
{
    public async Task<Result<ProviderKeySaved>> ExecuteAsync(Actor actor, KeyScope scope, Guid keyId, Guid expectedVersion, ProviderKeyInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(input);
        input.IsEdit = true;
        input.RequireModels = false;
        if (scope.IsEnterprise)
        {
            input.AssignToEntireOrganization = true;
        }

        if (input.AssignToEntireOrganization)
        {
            input.ApiKeyIds.Clear();
        }

        await using var db = await dbFactory.CreateAsync(cancellationToken);
        var resolved = await scopes.ResolveAsync(db, actor, scope, AuditActions.ProviderKeyUpdate, cancellationToken);
        if (!resolved.IsSuccess)
        {
            return resolved.Error!;
        }

        var owner = resolved.Value;
        var key = await db.ProviderKeys.FindInScopeAsync(owner, keyId, cancellationToken);
        if (key is null)
        {
            return new NotFoundError("This API key no longer exists.");
        }

        if (OrganizationKeysPolicy.RefuseChanging(owner) is { } refused)
        {
            return refused;
        }

        input.Provider = key.Provider;
        var validation = await validator.ValidateAsync(input, cancellationToken);
        if (!validation.IsValid)
        {
            return ValidationError.From(validation);
        }

        db.ExpectVersion(key, expectedVersion);
        var changes = new List<string>();
        var name = input.Name.Trim();
        var normalizedName = ProviderKey.NormalizeName(name);
        if (!string.Equals(key.Name, name, StringComparison.Ordinal))
        {
            if (normalizedName != key.NormalizedName && await db.ProviderKeys.InScope(owner).AnyAsync(k => k.NormalizedName == normalizedName, cancellationToken))
            {
                return AddProviderKeyCommand.DuplicateName(name, owner);
            }

            key.Name = name;
            key.NormalizedName = normalizedName;
            changes.Add("name");
        }

        if (FetchProviderModelsCommand.EndpointChanged(key, input))
        {
            if (key.SecretName is not null && string.IsNullOrWhiteSpace(input.Credential))
            {
                return ValidationError.For(nameof(ProviderKeyInput.Credential), FetchProviderModelsCommand.StoredKeyNeedsItsEndpoint(key.Provider));
            }

            key.BaseUrl = input.EffectiveBaseUrl;
            key.ApiVersion = input.EffectiveApiVersion;
            key.LastTestStatus = CredentialTestStatus.NotTested;
            changes.Add("endpoint");
        }

        if (owner.OrganizationId is { } organizationId)
        {
            var (assignmentError, assignmentChanged) = await ProviderKeyAssignments.ApplyAsync(
                db, key, organizationId, input.AssignToEntireOrganization, input.ApiKeyIds, time.GetUtcNow(), cancellationToken);
            if (assignmentError is not null)
            {
                return assignmentError;
            }

            if (assignmentChanged)
            {
                changes.Add("assignment");
            }
        }

        var now = time.GetUtcNow();
        var existingModels = await db.CustomModels.Where(m => m.ProviderKeyId == key.Id).Select(m => m.ModelId).ToListAsync(cancellationToken);
        var newModels = input.ModelIds.Select(m => m.Trim()).Distinct(StringComparer.Ordinal).Except(existingModels, StringComparer.Ordinal).ToList();
        if (existingModels.Count + newModels.Count > ProviderKeyInputValidator.MaxModelsPerKey)
        {
            return ValidationError.For(nameof(ProviderKeyInput.ModelIds), $"A key can serve at most {ProviderKeyInputValidator.MaxModelsPerKey} models.");
        }

        foreach (var modelId in newModels)
        {
            db.CustomModels.Add(new CustomModel
            {
                ProviderKeyId = key.Id,
                EnterpriseId = key.EnterpriseId,
                OrganizationId = key.OrganizationId,
                ModelId = modelId,
                CreatedAt = now,
                UpdatedAt = now,
            });
        }

        if (newModels.Count > 0)
        {
            changes.Add($"models+{newModels.Count}");
        }

        var credential = input.Credential?.Trim();
        if (string.IsNullOrEmpty(credential))
        {
            if (changes.Count == 0)
            {
                return new ProviderKeySaved(key.Id, key.Name, key.MaskedHint, existingModels.Count);
            }

            return await SaveAsync(db, actor, owner, key, changes, newModels, existingModels.Count, now, cancellationToken);
        }

        var isNewSecret = key.SecretName is null;
        var written = isNewSecret
            ? await secrets.CreateAsync(credential, cancellationToken)
            : await secrets.UpdateAsync(key.SecretName!, credential, cancellationToken);
        try
        {
            key.SecretName = written.Name;
            key.SecretVersion = written.Version;
            key.MaskedHint = ProviderKey.MaskOf(credential);
            key.LastTestStatus = CredentialTestStatus.NotTested;
            key.LastTestMessage = null;
            key.LastTestedAt = null;
            changes.Add("credential");
            var saved = await SaveAsync(db, actor, owner, key, changes, newModels, existingModels.Count, now, cancellationToken);
            if (!saved.IsSuccess)
            {
                // A conflict: nothing was saved, so the stored key goes on with its previous version.
                await UnsavedSecret.DiscardAsync(secrets, written, isNewSecret, logger);
            }

            return saved;
        }
        catch
        {
            await UnsavedSecret.DiscardAsync(secrets, written, isNewSecret, logger);
            throw;
        }
    }

    private async Task<Result<ProviderKeySaved>> SaveAsync(
        IPortalDbContext db, Actor actor, ResolvedScope owner, ProviderKey key, List<string> changes, List<string> newModels, int existingModelCount,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        key.UpdatedAt = now;
        audit.Record(db, actor, AuditActions.ProviderKeyUpdate, owner.Target("provider_key", key.Id.ToString(), key.Name),
            JsonSerializer.Serialize(new { changed = changes, modelsAdded = newModels }));
        if (await db.TrySaveAsync("This API key", cancellationToken) is { } conflict)
        {
            return conflict;
        }

        return new ProviderKeySaved(key.Id, key.Name, key.MaskedHint, existingModelCount + newModels.Count);
    }
}
