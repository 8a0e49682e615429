using ByokPortal.Core.Access;
using System.Text.Json;
using ByokPortal.Core.Audit;
using ByokPortal.Core.Common;
using ByokPortal.Core.Data;
using ByokPortal.Core.Secrets;
using FluentValidation;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ByokPortal.Core.ProviderKeys;

/// <summary>The new credential of a rotation: the provider's credential fields only (address, settings, models and grants stay).</summary>
public sealed record RotateProviderKeyInput
{
    public string? Credential { get; init; }

    public IReadOnlyList<IReadOnlyDictionary<string, string?>> CredentialRows { get; init; } = [];

    public override string ToString() => nameof(RotateProviderKeyInput);
}

public sealed record ProviderKeyRotated(Guid Id, string Name, string MaskedHint, DateTimeOffset PreviousVersionRetiresAt);

/// <summary>
/// "Rotate": the new credential is tested against the provider first (nothing is stored when it fails), then saved as a new version of
/// the same secret. The key's ID, name, models and grants do not change; the runtime uses the new version at once (the key row changed,
/// so every instance rebuilds its snapshot), while the previous version stays readable for <see cref="ProviderKeyOptions.RotationGracePeriod"/>
/// for requests already under way, then is disabled (<see cref="RetireRotatedVersionsCommand"/>). Audited with both versions' IDs, never values.
/// </summary>
public sealed class RotateProviderKeyCommand(
    IPortalDbContextFactory dbFactory,
    ISecretStore secrets,
    OwnerScopes scopes,
    AuditTrail audit,
    IValidator<ProviderKeyInput> validator,
    ProviderRegistry providers,
    IProviderModelClient client,
    IOptions<ProviderKeyOptions> options,
    TimeProvider time,
    ILogger<RotateProviderKeyCommand> logger)
{
    public async Task<Result<ProviderKeyRotated>> ExecuteAsync(Actor actor, KeyScope scope, Guid keyId, Guid expectedVersion, RotateProviderKeyInput rotation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(rotation);
        await using var db = await dbFactory.CreateAsync(cancellationToken);
        var found = await scopes.ResolveKeyAsync(db, actor, scope, keyId, AuditActions.ProviderKeyRotate, cancellationToken);
        if (!found.IsSuccess)
        {
            return found.Error!;
        }

        var (owner, key) = found.Value;
        if (OrganizationKeysPolicy.RefuseChanging(owner) is { } refused)
        {
            return refused;
        }

        var rules = providers.Get(key.Provider);
        var saved = new StoredConnection(key.BaseUrl, key.ApiVersion, key.SettingsJson);
        var input = rules.InputFor(saved) with { Credential = rotation.Credential, CredentialRows = rotation.CredentialRows };
        var validation = await validator.ValidateAsync(input, o => o.IncludeRuleSets(ProviderKeyRuleSets.Connection, ProviderKeyRuleSets.Add), cancellationToken);
        if (!validation.IsValid)
        {
            return ValidationError.From(validation);
        }

        var credential = rules.Secret(input);
        if (credential is null || key.SecretName is null || key.SecretVersion is null)
        {
            return ValidationError.For(nameof(ProviderKeyInput.Credential), "This key has no stored credential to rotate: edit it to add one.");
        }

        var tested = await client.ListModelsAsync(new ProviderEndpoint(key.Provider, saved), credential, cancellationToken);
        if (!tested.IsSuccess)
        {
            return tested.Error!;
        }

        db.ExpectVersion(key, expectedVersion);
        var previous = key.SecretVersion;
        var written = await secrets.UpdateAsync(key.SecretName, credential, cancellationToken);
        try
        {
            var now = time.GetUtcNow();
            if (key.PreviousSecretVersion is { } older && older != previous)
            {
                // A second rotation inside the grace period: the oldest version is retired now, the one just replaced gets the grace.
                await secrets.DeleteVersionAsync(new SecretReference(key.SecretName, older), cancellationToken);
            }

            key.PreviousSecretVersion = previous;
            key.PreviousSecretRetiresAt = now + options.Value.RotationGracePeriod;
            key.SecretVersion = written.Version;
            key.MaskedHint = rules.MaskedHint(credential);
            key.LastTestStatus = CredentialTestStatus.Succeeded;
            key.LastTestMessage = "Rotated: the new credential was tested and works.";
            key.LastTestedAt = now;
            key.UpdatedAt = now;
            audit.Record(db, actor, AuditActions.ProviderKeyRotate, owner.Target("provider_key", key.Id.ToString(), key.Name),
                JsonSerializer.Serialize(new { previousVersion = previous, newVersion = written.Version, previousRetiresAt = key.PreviousSecretRetiresAt }));
            if (await db.TrySaveAsync("This API key", cancellationToken) is { } conflict)
            {
                await UnsavedSecret.DiscardAsync(secrets, written, isNewSecret: false, logger);
                return conflict;
            }

            return new ProviderKeyRotated(key.Id, key.Name, key.MaskedHint, key.PreviousSecretRetiresAt.Value);
        }
        catch
        {
            await UnsavedSecret.DiscardAsync(secrets, written, isNewSecret: false, logger);
            throw;
        }
    }
}
