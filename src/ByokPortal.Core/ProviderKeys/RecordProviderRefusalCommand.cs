using System.Text.Json;
using ByokPortal.Core.Audit;
using ByokPortal.Core.Common;
using ByokPortal.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace ByokPortal.Core.ProviderKeys;

/// <summary>
/// The provider refused a key on a gateway request (401 or 403): the key is marked invalid (shown on its row, with the time), so every
/// runtime instance fails its models at once, with no fallback, until an owner fixes it or a successful Test credentials clears the mark.
/// Recorded in the audit log as done by the API key whose request met the refusal. A key already marked stays as it is.
/// </summary>
public sealed class RecordProviderRefusalCommand(IPortalDbContextFactory dbFactory, AuditTrail audit, TimeProvider time)
{
    public async Task<Result<Done>> ExecuteAsync(Actor actor, Guid keyId, int statusCode, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await using var db = await dbFactory.CreateAsync(cancellationToken);
        var key = await db.ProviderKeys.FirstOrDefaultAsync(k => k.Id == keyId, cancellationToken);
        if (key is null)
        {
            return new NotFoundError("This key no longer exists.");
        }

        if (key.LastTestStatus == CredentialTestStatus.Invalid)
        {
            return Done.Value;
        }

        var what = statusCode == 403 ? "forbidden (403)" : "rejected (401)";
        var before = key.LastTestStatus;
        key.LastTestStatus = CredentialTestStatus.Invalid;
        key.LastTestMessage = $"{key.Provider.DisplayName()} {what} this key on a gateway request. Fix the key or test it again.";
        key.LastTestedAt = time.GetUtcNow();
        key.RecheckRequestedAt = key.LastTestedAt;
        var target = new AuditTarget("provider_key", key.Id.ToString(), key.Name, key.EnterpriseId, key.OrganizationId);
        audit.Record(db, actor, AuditActions.ProviderKeyRefused, target, JsonSerializer.Serialize(new { status = statusCode }), AuditOutcome.Failed);
        if (!CredentialCheck.IsFailing(before))
        {
            audit.Record(db, actor, AuditActions.ProviderKeyHealthChange, target,
                JsonSerializer.Serialize(new { from = before.ToString(), to = key.LastTestStatus.ToString() }), AuditOutcome.Failed);
        }
        return await db.TrySaveAsync("This key", cancellationToken) is { } conflict ? conflict : Done.Value;
    }
}
