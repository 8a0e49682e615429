using ByokPortal.Core.Audit;
using ByokPortal.Core.Common;
using ByokPortal.Core.Data;
using ByokPortal.Core.Identity;
using ByokPortal.Core.People;

namespace ByokPortal.Core.Scim;

public sealed class CreateScimGroupCommand(IPortalDbContextFactory dbFactory, AuditTrail audit, TimeProvider time)
{
    public async Task<Result<ScimGroup>> ExecuteAsync(ScimClient client, ScimGroupInput input, string? clientAddress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(input);
        if (ScimRules.CheckGroup(input.DisplayName ?? "", input.ExternalId) is { } invalid)
        {
            return invalid;
        }

        await using var db = await dbFactory.CreateAsync(cancellationToken);
        var name = input.DisplayName!.Trim();
        if (await ScimGroupStore.NameTakenAsync(db, client.EnterpriseId, name, null, cancellationToken))
        {
            return new ScimUniquenessError($"A group named {name} already exists.");
        }

        var now = time.GetUtcNow();
        var group = new DirectoryGroup { EnterpriseId = client.EnterpriseId, DisplayName = name, ExternalId = input.ExternalId, CreatedAt = now, UpdatedAt = now };
        db.DirectoryGroups.Add(group);
        var result = await ScimGroupStore.ChangeMembersAsync(db, client, group, input.Members ?? [], [], replace: null, now, new GroupSync(audit, client.ToActor(clientAddress), AuditActions.ScimGroupCreate), cancellationToken);
        if (!result.IsSuccess)
        {
            return result.Error!;
        }

        ScimGroupStore.Audit(audit, db, client, clientAddress, AuditActions.ScimGroupCreate, group, new { externalId = group.ExternalId, members = result.Value.Added, roles = result.Value.RoleChanges });
        await db.SaveChangesAsync(cancellationToken);
        return ScimGroupStore.ToScim(group, result.Value.Members);
    }
}
