using System.Globalization;
using ByokPortal.Core.Audit;
using ByokPortal.Core.Common;
using ByokPortal.Core.Data;
using ByokPortal.Core.Secrets;
using Microsoft.EntityFrameworkCore;

namespace ByokPortal.Core.ProviderKeys;

public sealed record CredentialTestResult(CredentialTestStatus Status, string Message, int ModelCount);

/// <summary>
/// "Test credentials" on a saved key: calls the provider with the stored credential and records the result on the key (runtime
/// resolution refuses a key whose credential is known to be invalid, and never falls back to another key).
/// </summary>
public sealed class TestProviderKeyCommand(
    IPortalDbContextFactory dbFactory,
    ISecretStore secrets,
    OwnerScopes scopes,
    IProviderModelClient providers,
    AuditTrail audit,
    TimeProvider time)
{
    public async Task<Result<CredentialTestResult>> ExecuteAsync(Actor actor, KeyScope scope, Guid keyId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await using var db = await dbFactory.CreateAsync(cancellationToken);
        var resolved = await scopes.ResolveAsync(db, actor, scope, AuditActions.ProviderKeyTest, cancellationToken);
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

        var credential = key.SecretReference is { } reference ? await secrets.GetAsync(reference, cancellationToken) : null;
        var listed = await providers.ListModelsAsync(new ProviderEndpoint(key.Provider, key.BaseUrl ?? "", key.ApiVersion), credential, cancellationToken);
        CredentialTestResult result = listed.IsSuccess
            ? new(CredentialTestStatus.Succeeded, $"The credentials work: {listed.Value.Count.ToString(CultureInfo.InvariantCulture)} model(s) available.", listed.Value.Count)
            : new(listed.Error is ProviderCallError { Reason: ProviderFailureReason.Unauthorized } ? CredentialTestStatus.Invalid : CredentialTestStatus.Failed, listed.Error!.Message, 0);

        key.LastTestStatus = result.Status;
        key.LastTestMessage = result.Message.Length > 500 ? result.Message[..500] : result.Message;
        key.LastTestedAt = time.GetUtcNow();
        audit.Record(db, actor, AuditActions.ProviderKeyTest, owner.Target("provider_key", key.Id.ToString(), key.Name),
            System.Text.Json.JsonSerializer.Serialize(new { result = result.Status.ToString() }),
            result.Status == CredentialTestStatus.Succeeded ? AuditOutcome.Succeeded : AuditOutcome.Failed);
        await db.SaveChangesAsync(cancellationToken);
        return result;
    }
}
