using ByokPortal.Core.Common;
using ByokPortal.Core.Data;

namespace ByokPortal.Core.Audit;

/// <summary>What an audit event is about.</summary>
public sealed record AuditTarget(string Type, string? Id, string? Name, Guid EnterpriseId, Guid? OrganizationId = null);

/// <summary>
/// The one way features record audit events. <see cref="Record"/> adds the event to the same context as the change,
/// so both are written by one SaveChanges (one transaction): if the event cannot be written, the change fails too.
/// </summary>
public sealed class AuditTrail(TimeProvider time)
{
    public AuditEvent Record(IPortalDbContext db, Actor actor, string action, AuditTarget target, string? details = null, AuditOutcome outcome = AuditOutcome.Succeeded)
    {
        ArgumentNullException.ThrowIfNull(db);
        var auditEvent = Create(actor, action, target, details, outcome);
        db.AuditEvents.Add(auditEvent);
        return auditEvent;
    }

    /// <summary>Records a refused attempt on its own: nothing else changes, so it is saved at once.</summary>
    public async Task RecordDeniedAsync(IPortalDbContext db, Actor actor, string action, AuditTarget target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        db.AuditEvents.Add(Create(actor, action, target, null, AuditOutcome.Denied));
        await db.SaveChangesAsync(cancellationToken);
    }

    private AuditEvent Create(Actor actor, string action, AuditTarget target, string? details, AuditOutcome outcome) => new()
    {
        OccurredAt = time.GetUtcNow(),
        EnterpriseId = target.EnterpriseId,
        OrganizationId = target.OrganizationId,
        ActorId = actor.Id == Guid.Empty ? null : actor.Id,
        ActorType = actor.KindName,
        ActorName = Truncate(actor.Name) ?? "",
        Action = action,
        TargetType = target.Type,
        TargetId = Truncate(target.Id),
        TargetName = Truncate(target.Name),
        ClientAddress = Truncate(actor.ClientAddress),
        Outcome = outcome,
        Details = details,
    };

    private static string? Truncate(string? value) =>
        value is { Length: > AuditEvent.TextMaxLength } ? value[..AuditEvent.TextMaxLength] : value;
}
