using ByokPortal.Core.Audit;
using ByokPortal.Core.Common;
using ByokPortal.Core.Data;
using ByokPortal.Core.Identity;

namespace ByokPortal.Core.Scim;

public sealed class PatchScimGroupCommand(IPortalDbContextFactory dbFactory, AuditTrail audit, TimeProvider time)
{
    public Task<Result<ScimGroup>> ExecuteAsync(ScimClient client, Guid id, ScimGroupPatch patch, string? clientAddress, CancellationToken cancellationToken) =>
        ScimGroupStore.UpdateAsync(dbFactory, audit, time, client, id, patch, clientAddress, cancellationToken);
}
