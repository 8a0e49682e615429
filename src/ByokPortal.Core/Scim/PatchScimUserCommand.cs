using ByokPortal.Core.Audit;
using ByokPortal.Core.Common;
using ByokPortal.Core.Data;
using ByokPortal.Core.Identity;

namespace ByokPortal.Core.Scim;

public sealed class PatchScimUserCommand(IPortalDbContextFactory dbFactory, AuditTrail audit, TimeProvider time)
{
    public Task<Result<ScimUser>> ExecuteAsync(ScimClient client, Guid id, ScimUserPatch patch, string? clientAddress, CancellationToken cancellationToken) =>
        ScimUserStore.UpdateAsync(dbFactory, audit, time, client, id, patch, clientAddress, cancellationToken);
}
