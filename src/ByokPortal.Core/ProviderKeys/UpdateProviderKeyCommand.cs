using ByokPortal.Core.Access;
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
/// Edits a key: name, endpoint and settings, assignment, more models; a new credential when one is typed (stored as a new version in
/// the secret store, which the runtime uses at once), the stored one kept when the credential is left empty. The provider cannot
/// change. A concurrent edit gets a conflict. When the save does not happen (a conflict, a database failure), the new version is taken
/// back and the key goes on with its previous one.
/// </summary>
public sealed class UpdateProviderKeyCommand(
    IPortalDbContextFactory dbFactory,
    ISecretStore secrets,
    OwnerScopes scopes,
    AuditTrail audit,
    IValidator<ProviderKeyInput> validator,
    ProviderRegistry providers,
    TimeProvider time,
    ILogger<UpdateProviderKeyCommand> logger)
{
    public async Task<Result<ProviderKeySaved>> ExecuteAsync(Actor actor, KeyScope scope, Guid keyId, Guid expectedVersion, ProviderKeyInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(input);
        await using var db = await dbFactory.CreateAsync(cancellationToken);
        var found = await scopes.ResolveKeyAsync(db, actor, scope, keyId, AuditActions.ProviderKeyUpdate, cancellationToken);
        if (!found.IsSuccess)
        {
            return found.Error!;
        }

        var (owner, key) = found.Value;
        if (OrganizationKeysPolicy.RefuseChanging(owner) is { } refused)
        {
            return refused;
        }

        input = input with { Provider = key.Provider };
        var validation = await validator.ValidateAsync(input, o => o.IncludeRuleSets(ProviderKeyRuleSets.ForSave(adding: false, scope)), cancellationToken);
        if (!validation.IsValid)
        {
            return ValidationError.From(validation);
        }

        var rules = providers.Get(key.Provider);
        db.ExpectVersion(key, expectedVersion);
        var changes = new List<string>();
        var name = input.Name.Trim();
        var normalizedName = ProviderKey.NormalizeName(name);
        if (!string.Equals(key.Name, name, StringComparison.Ordinal))
        {
            if (normalizedName != key.NormalizedName && await db.ProviderKeys.InScope(owner).AnyAsync(k => k.NormalizedName == normalizedName, cancellationToken))
            {
                return FieldRules.DuplicateName(name, owner);
            }

            key.Name = name;
            key.NormalizedName = normalizedName;
            changes.Add("name");
        }

        var credential = rules.Secret(input);
        var connection = rules.Connection(input);
        if (SavedConnection.AddressChanged(key, connection))
        {
            if (key.SecretName is not null && credential is null)
            {
                return ValidationError.For(rules.Form.Rows is null ? nameof(ProviderKeyInput.Credential) : nameof(ProviderKeyInput.CredentialRows), SavedConnection.StoredKeyNeedsItsAddress(rules));
            }

            key.LastTestStatus = CredentialTestStatus.NotTested;
            changes.Add("endpoint");
        }

        if (!string.Equals(key.SettingsJson, connection.SettingsJson, StringComparison.Ordinal) && !changes.Contains("endpoint"))
        {
            changes.Add("settings");
        }

        key.BaseUrl = connection.BaseUrl;
        key.ApiVersion = connection.ApiVersion;
        key.SettingsJson = connection.SettingsJson;

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
        var newModels = input.DistinctModelIds.Except(existingModels, StringComparer.Ordinal).ToList();
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

        if (credential is null)
        {
            if (changes.Count == 0)
            {
                return new ProviderKeySaved(key.Id, key.Name, key.MaskedHint, existingModels.Count);
            }

            return await SaveAsync(db, actor, owner, key, changes, newModels, existingModels.Count, now, null, cancellationToken);
        }

        var isNewSecret = key.SecretName is null;
        var previousVersion = key.SecretVersion;
        var written = isNewSecret
            ? await secrets.CreateAsync(credential, cancellationToken)
            : await secrets.UpdateAsync(key.SecretName!, credential, cancellationToken);
        try
        {
            key.SecretName = written.Name;
            key.SecretVersion = written.Version;
            key.MaskedHint = rules.MaskedHint(credential);
            key.LastTestStatus = CredentialTestStatus.NotTested;
            key.LastTestMessage = null;
            key.LastTestedAt = null;
            changes.Add("credential");
            var saved = await SaveAsync(db, actor, owner, key, changes, newModels, existingModels.Count, now, new { previous = previousVersion, current = written.Version }, cancellationToken);
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
        DateTimeOffset now, object? secretVersions, CancellationToken cancellationToken)
    {
        key.UpdatedAt = now;
        audit.Record(db, actor, AuditActions.ProviderKeyUpdate, owner.Target("provider_key", key.Id.ToString(), key.Name),
            JsonSerializer.Serialize(new { changed = changes, modelsAdded = newModels, secretVersions }));
        if (await db.TrySaveAsync("This API key", cancellationToken) is { } conflict)
        {
            return conflict;
        }

        return new ProviderKeySaved(key.Id, key.Name, key.MaskedHint, existingModelCount + newModels.Count);
    }
}
