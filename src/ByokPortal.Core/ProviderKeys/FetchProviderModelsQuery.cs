using ByokPortal.Core.Access;
using ByokPortal.Core.Audit;
using ByokPortal.Core.Common;
using ByokPortal.Core.Data;
using ByokPortal.Core.Secrets;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace ByokPortal.Core.ProviderKeys;

/// <summary>
/// "Fetch new models" and the form's "Test credentials": asks the provider for its models with the credential typed in the form,
/// or, when editing with the credential left empty, the stored one. Only owners of the scope may make the portal call out (the portal
/// is not an open proxy), and only with connection fields that Save would accept (<see cref="ProviderKeyRuleSets.ForCall"/>).
/// While the enterprise does not allow organization keys, an organization's keys cannot be checked either. Nothing is stored.
/// </summary>
public sealed class FetchProviderModelsQuery(
    IPortalDbContextFactory dbFactory,
    ISecretStore secrets,
    OwnerScopes scopes,
    IProviderModelClient providers,
    ProviderRegistry registry,
    IValidator<ProviderKeyInput> validator)
{
    public async Task<Result<ModelListing>> ExecuteAsync(Actor actor, KeyScope scope, ProviderKeyInput input, Guid? existingKeyId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        string? credential;
        await using (var db = await dbFactory.CreateAsync(cancellationToken))
        {
            var resolved = await scopes.ResolveAsync(db, actor, scope, AuditActions.ProviderKeyTest, cancellationToken);
            if (!resolved.IsSuccess)
            {
                return resolved.Error!;
            }

            var owner = resolved.Value;
            if ((existingKeyId is null ? OrganizationKeysPolicy.RefuseAdding(owner) : OrganizationKeysPolicy.RefuseChanging(owner)) is { } refused)
            {
                return refused;
            }

            ProviderKey? key = null;
            if (existingKeyId is { } keyId)
            {
                key = await db.ProviderKeys.AsNoTracking().FindInScopeAsync(owner, keyId, cancellationToken);
                if (key is null)
                {
                    return new NotFoundError(OwnerScopes.KeyNotFound);
                }

                input = input with { Provider = key.Provider };
            }

            var validation = await validator.ValidateAsync(input, o => o.IncludeRuleSets(ProviderKeyRuleSets.ForCall(adding: key is null)), cancellationToken);
            if (!validation.IsValid)
            {
                return ValidationError.From(validation);
            }

            var rules = registry.Get(input.Provider);
            credential = rules.Secret(input);
            if (key is not null && credential is null && key.SecretReference is { } reference)
            {
                if (SavedConnection.AddressChanged(key, rules.Connection(input)))
                {
                    return ValidationError.For(rules.Form.Rows is null ? nameof(ProviderKeyInput.Credential) : nameof(ProviderKeyInput.CredentialRows), SavedConnection.StoredKeyNeedsItsAddress(rules));
                }

                credential = await secrets.GetAsync(reference, cancellationToken);
            }
        }

        var connection = registry.Get(input.Provider).Connection(input);
        return await providers.ListModelsAsync(new ProviderEndpoint(input.Provider, connection), credential, cancellationToken);
    }
}
