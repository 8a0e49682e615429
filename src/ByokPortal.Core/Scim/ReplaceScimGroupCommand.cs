using ByokPortal.Core.Audit;
using ByokPortal.Core.Common;
using ByokPortal.Core.Data;
using ByokPortal.Core.Identity;

namespace ByokPortal.Core.Scim;

public sealed class ReplaceScimGroupCommand(IPortalDbContextFactory dbFactory, AuditTrail audit, TimeProvider time)
{
    public Task<Result<ScimGroup>> ExecuteAsync(ScimClient client, Guid id, ScimGroupInput input, string? clientAddress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        return ScimGroupStore.UpdateAsync(dbFactory, audit, time, client, id,
            new ScimGroupPatch(input.DisplayName ?? "", SetExternalId: true, input.ExternalId, ReplaceMembers: input.Members ?? []), clientAddress, cancellationToken);
    }
}
