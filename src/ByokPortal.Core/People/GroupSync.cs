using ByokPortal.Core.Audit;
using ByokPortal.Core.Common;

namespace ByokPortal.Core.People;

/// <summary>Who recomputes roles from groups, and why (the audit action or "entra_sign_in"): for the events the recomputation records itself.</summary>
public sealed record GroupSync(AuditTrail Audit, Actor Actor, string Cause);
