using ByokPortal.Core.Audit;
using ByokPortal.Core.Common;
using ByokPortal.Core.Data;
using ByokPortal.Core.Identity;

namespace ByokPortal.Core.Scim;

public sealed class ReplaceScimUserCommand(IPortalDbContextFactory dbFactory, AuditTrail audit, TimeProvider time)
{
    public async Task<Result<ScimUser>> ExecuteAsync(ScimClient client, Guid id, ScimUserInput input, string? clientAddress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        return await ScimUserStore.UpdateAsync(dbFactory, audit, time, client, id,
            new ScimUserPatch(input.UserName ?? "", input.DisplayName ?? input.UserName ?? "", input.Active, SetExternalId: true, input.ExternalId),
            clientAddress, cancellationToken);
    }
}
