using ByokPortal.Core.Audit;
using ByokPortal.Core.Common;
using ByokPortal.Core.Data;
using ByokPortal.Core.Secrets;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace ByokPortal.Core.ProviderKeys;

/// <summary>
/// "Fetch new models" and the form's "Test credentials": asks the provider for its models with the credential typed in the form,
/// or, when editing with the field left empty, the stored one. Only owners of the scope may make the portal call out (the portal is
/// not an open proxy), and only with connection fields that Save would accept (<see cref="ProviderKeyInputValidator.ConnectionFields"/>).
/// While the enterprise does not allow organization keys, an organization's keys cannot be checked either. Nothing is stored.
/// </summary>
public sealed class FetchProviderModelsCommand(
    IPortalDbContextFactory dbFactory,
    ISecretStore secrets,
    OwnerScopes scopes,
    IProviderModelClient providers,
    IValidator<ProviderKeyInput> validator)
{
    public async Task<Result<IReadOnlyList<string>>> ExecuteAsync(Actor actor, KeyScope scope, ProviderKeyInput input, Guid? existingKeyId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        string? credential = input.Credential?.Trim();
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
                    return new NotFoundError("This API key no longer exists.");
                }

                input.Provider = key.Provider;
            }

            input.IsEdit = key is not null;
            var validation = await validator.ValidateAsync(input, options => options.IncludeProperties(ProviderKeyInputValidator.ConnectionFields), cancellationToken);
            if (!validation.IsValid)
            {
                return ValidationError.From(validation);
            }

            if (key is not null && string.IsNullOrEmpty(credential) && key.SecretReference is { } reference)
            {
                // A saved key only ever goes to the address it was saved with: pointing it elsewhere needs the key typed again,
                // or an owner could read any saved key back by sending it to a server of their own.
                if (EndpointChanged(key, input))
                {
                    return ValidationError.For(nameof(ProviderKeyInput.Credential), StoredKeyNeedsItsEndpoint(key.Provider));
                }

                credential = await secrets.GetAsync(reference, cancellationToken);
            }
        }

        if (!ProviderCatalog.IsKnown(input.Provider))
        {
            return ValidationError.For(nameof(ProviderKeyInput.Provider), "Choose a provider.");
        }

        var provider = ProviderCatalog.Get(input.Provider);
        if (provider.ApiKeyRequired && string.IsNullOrEmpty(credential))
        {
            return ValidationError.For(nameof(ProviderKeyInput.Credential), "Key is required.");
        }

        if (input.EffectiveBaseUrl is not { } baseUrl)
        {
            return ValidationError.For(nameof(ProviderKeyInput.BaseUrl), $"{provider.EndpointLabel} is required.");
        }

        return await providers.ListModelsAsync(new ProviderEndpoint(input.Provider, baseUrl, input.EffectiveApiVersion), credential, cancellationToken);
    }

    internal static bool EndpointChanged(ProviderKey key, ProviderKeyInput input) =>
        !string.Equals(key.BaseUrl, input.EffectiveBaseUrl, StringComparison.OrdinalIgnoreCase)
        || !string.Equals(key.ApiVersion, input.EffectiveApiVersion, StringComparison.Ordinal);

    /// <summary>"…a different base URL", "…a different resource URL or API version" (Azure's api-version is part of the address too).</summary>
    internal static string StoredKeyNeedsItsEndpoint(ProviderKind provider)
    {
        var info = ProviderCatalog.Get(provider);
        var label = char.ToLowerInvariant(info.EndpointLabel[0]) + info.EndpointLabel[1..];
        var what = info.TakesApiVersion ? $"{label} or API version" : label;
        return $"Enter the key again to use it with a different {what}: a saved key is only sent to the address it was saved with.";
    }
}
