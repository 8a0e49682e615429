using System.Globalization;
using System.Text.Json;
using ByokPortal.Core.Audit;
using ByokPortal.Core.Common;
using ByokPortal.Core.Data;
using ByokPortal.Core.Secrets;

namespace ByokPortal.Core.ProviderKeys;

public sealed record CredentialTestResult(CredentialTestStatus Status, string Message, int ModelCount, IReadOnlyList<ModelCheck> Checks);

/// <summary>
/// Tests a saved key's credential against its provider and records the outcome on the key (status, message, time): "Test credentials"
/// on a row and the background health check both use it. A change of health (working → failing, failing → working) is audited in the
/// same SaveChanges as the new status. The runtime refuses a key whose credential is known to be invalid, never falling back.
/// </summary>
public sealed class CredentialCheck(ISecretStore secrets, IProviderModelClient providers, AuditTrail audit, TimeProvider time)
{
    public const int MessageMaxLength = 500;

    public async Task<CredentialTestResult> RunAsync(ProviderKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        var credential = key.SecretReference is { } reference ? await secrets.GetAsync(reference, cancellationToken) : null;
        var listed = await providers.ListModelsAsync(
            new ProviderEndpoint(key.Provider, new StoredConnection(key.BaseUrl, key.ApiVersion, key.SettingsJson)), credential, cancellationToken);
        return listed.IsSuccess
            ? new(CredentialTestStatus.Succeeded, Passed(listed.Value), listed.Value.Models.Count, listed.Value.Checks)
            : listed.Error is ProviderCallError failed
                ? new(failed.RefusedCredential ? CredentialTestStatus.Invalid : CredentialTestStatus.Failed, failed.Message, 0, failed.Checks ?? [])
                : new(CredentialTestStatus.Failed, listed.Error!.Message, 0, []);
    }

    /// <summary>Writes the result on the key and, when the key's health changed, the audit event; the caller saves.</summary>
    public void Record(IPortalDbContext db, Actor actor, ProviderKey key, CredentialTestResult result, string action)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(result);
        var before = key.LastTestStatus;
        key.LastTestStatus = result.Status;
        key.LastTestMessage = result.Message.Length > MessageMaxLength ? result.Message[..MessageMaxLength] : result.Message;
        key.LastTestedAt = time.GetUtcNow();
        var target = new AuditTarget("provider_key", key.Id.ToString(), key.Name, key.EnterpriseId, key.OrganizationId);
        var outcome = result.Status == CredentialTestStatus.Succeeded ? AuditOutcome.Succeeded : AuditOutcome.Failed;
        if (Health(before) != Health(result.Status))
        {
            audit.Record(db, actor, AuditActions.ProviderKeyHealthChange, target,
                JsonSerializer.Serialize(new { from = before.ToString(), to = result.Status.ToString() }), outcome);
        }

        audit.Record(db, actor, action, target, JsonSerializer.Serialize(new { result = result.Status.ToString() }), outcome);
    }

    /// <summary>Working or failing; a key never tested counts as working until a check says otherwise.</summary>
    public static bool IsFailing(CredentialTestStatus status) => status is CredentialTestStatus.Invalid or CredentialTestStatus.Failed;

    private static bool Health(CredentialTestStatus status) => IsFailing(status);

    private static string Passed(ModelListing listing)
    {
        var models = listing.Models.Count == 1 ? "1 model" : $"{listing.Models.Count.ToString(CultureInfo.InvariantCulture)} models";
        var regions = listing.Checks.Where(c => c.Region is not null).ToList();
        return regions.Count == 0
            ? $"The credentials work: {models} available."
            : $"The credentials work in every region ({string.Join("; ", regions.Select(c => c.Message))}): {models} available.";
    }
}
