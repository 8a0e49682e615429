using ByokPortal.Core.Access;
using ByokPortal.Core.Audit;
using ByokPortal.Core.Common;
using ByokPortal.Core.Identity;
using ByokPortal.Core.People;
using ByokPortal.Core.Scim;
using ByokPortal.Core.Sessions;
using ByokPortal.Testing;
using Microsoft.EntityFrameworkCore;

namespace ByokPortal.Core.Tests.Roles;

/// <summary>
/// The enterprise always keeps an active owner, whatever the directory does: group sync at sign-in, SCIM group member removal and
/// group deletion keep the last active owner's role (as a role given by hand, with an audit event that says why); SCIM deactivation
/// and deletion of that user are refused whole. Each test has an enterprise of its own, where the person under test ends up the only
/// owner; the same steps for a person who is not the last owner take the role away, so the protection is the rule and not a bug.
/// </summary>
public sealed class LastEnterpriseOwnerTests(PortalFixture portal) : IClassFixture<PortalFixture>
{
    private static CancellationToken Ct => PortalFixture.Ct;

    [Fact]
    public async Task SignIn_GroupsNoLongerGiveTheOwnerRole_TheLastActiveOwnerKeepsItAndTheAuditSaysWhy()
    {
        var enterprise = await TestEnterprise.CreateAsync(portal);
        var ada = await portal.ActorAsync(DemoSignIn.EnterpriseOwner);
        var ownersGroup = Guid.NewGuid().ToString();
        await MapAsync(ada, enterprise, ownersGroup);
        var pat = await SignInAsync("pat", [ownersGroup]);
        var quinn = await SignInAsync("quinn", [ownersGroup]);
        Assert.True(await IsOwnerAsync(pat.Id, enterprise), "the group did not make pat an owner");
        await DemoteAsync(await ActorAsync(pat.Id), enterprise, ada.PersonId);

        // Quinn is not the last owner (pat is one too): the role goes.
        await SignInAsync("quinn", [], quinn.ObjectId);
        Assert.False(await IsOwnerAsync(quinn.Id, enterprise), "quinn kept a role no group gives");

        // Pat is: the role stays, now given by hand, and the audit log says why.
        await SignInAsync("pat", [], pat.ObjectId);
        Assert.True(await IsOwnerAsync(pat.Id, enterprise), "the enterprise was left without an owner");
        Assert.Equal((EnterpriseRole?)EnterpriseRole.Owner, (await MembershipAsync(pat.Id, enterprise)).HandRole);
        var kept = await KeptEventAsync(pat.Id, enterprise);
        Assert.Equal(AuditOutcome.Succeeded, kept.Outcome);
        Assert.Contains("entra_sign_in", kept.Details, StringComparison.Ordinal);
        Assert.Contains("last active owner", kept.Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScimGroup_MemberRemovedOrGroupDeleted_TheLastActiveOwnerKeepsTheRole()
    {
        var enterprise = await TestEnterprise.CreateAsync(portal);
        var ada = await portal.ActorAsync(DemoSignIn.EnterpriseOwner);
        var client = new ScimClient(Guid.NewGuid(), enterprise.Id, "Entra ID provisioning");
        var (uma, umaGroup) = await ProvisionGroupOwnerAsync(client, ada, enterprise, "uma");
        await DemoteAsync(await ActorAsync(uma), enterprise, ada.PersonId);

        var removed = await portal.Get<PatchScimGroupCommand>().ExecuteAsync(client, umaGroup, new ScimGroupPatch(RemoveMembers: [uma]), "127.0.0.1", Ct);

        Assert.True(removed.IsSuccess, removed.Error?.Message);
        Assert.Empty(removed.Value.Members);
        Assert.True(await IsOwnerAsync(uma, enterprise), "removing the member left the enterprise without an owner");
        Assert.Contains(AuditActions.ScimGroupUpdate, (await KeptEventAsync(uma, enterprise)).Details, StringComparison.Ordinal);

        // Vic becomes the only owner through a second group; uma's kept role is taken away by hand; then the group goes.
        var (vic, vicGroup) = await ProvisionGroupOwnerAsync(client, ada: await ActorAsync(uma), enterprise, "vic");
        await DemoteAsync(await ActorAsync(vic), enterprise, uma);
        Assert.False(await IsOwnerAsync(uma, enterprise), "uma stayed an owner once vic was one");

        var deleted = await portal.Get<DeleteScimGroupCommand>().ExecuteAsync(client, vicGroup, "127.0.0.1", Ct);

        Assert.True(deleted.IsSuccess, deleted.Error?.Message);
        Assert.True((await portal.Get<GetScimGroupQuery>().ExecuteAsync(client, vicGroup, false, Ct)).Error is NotFoundError, "the group was not deleted");
        Assert.True(await IsOwnerAsync(vic, enterprise), "deleting the group left the enterprise without an owner");
        Assert.Contains(AuditActions.ScimGroupDelete, (await KeptEventAsync(vic, enterprise)).Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScimUser_DeactivateOrDeleteTheLastActiveOwner_IsRefusedWholeAndAudited_ButWorksOnceAnotherOwnerExists()
    {
        var enterprise = await TestEnterprise.CreateAsync(portal);
        var ada = await portal.ActorAsync(DemoSignIn.EnterpriseOwner);
        var client = new ScimClient(Guid.NewGuid(), enterprise.Id, "Entra ID provisioning");
        var created = await portal.Get<CreateScimUserCommand>().ExecuteAsync(client, new ScimUserInput(Email("wes"), "wes", "Wes", true), "127.0.0.1", Ct);
        Assert.True(created.IsSuccess, created.Error?.Message);
        var wes = created.Value.Id;
        var promoted = await portal.Get<UpdatePersonRolesCommand>().ExecuteAsync(ada, enterprise.Slug, wes, new UpdatePersonRolesInput(true, []), Ct);
        Assert.True(promoted.IsSuccess, promoted.Error?.Message);
        await DemoteAsync(await ActorAsync(wes), enterprise, ada.PersonId);

        var deactivate = await portal.Get<PatchScimUserCommand>().ExecuteAsync(client, wes, new ScimUserPatch(DisplayName: "Wes Renamed", Active: false), "127.0.0.1", Ct);
        var delete = await portal.Get<DeleteScimUserCommand>().ExecuteAsync(client, wes, "127.0.0.1", Ct);

        Assert.Contains("last active owner", Assert.IsType<LastOwnerError>(deactivate.Error).Message, StringComparison.Ordinal);
        Assert.IsType<LastOwnerError>(delete.Error);
        var stored = await portal.Get<GetScimUserQuery>().ExecuteAsync(client, wes, Ct);
        Assert.True(stored.IsSuccess, "the user was deleted");
        Assert.True(stored.Value.Active, "the last owner was deactivated");
        Assert.Equal("Wes", stored.Value.DisplayName);
        Assert.True(await IsOwnerAsync(wes, enterprise));
        await using (var db = await portal.DbAsync())
        {
            var refusals = await db.AuditEvents.AsNoTracking()
                .Where(e => e.TargetId == wes.ToString() && e.Action == AuditActions.PersonLastOwnerKept && e.EnterpriseId == enterprise.Id)
                .OrderBy(e => e.Id).ToListAsync(Ct);
            Assert.Equal([AuditOutcome.Denied, AuditOutcome.Denied], refusals.Select(e => e.Outcome));
            Assert.Contains(AuditActions.ScimUserDeactivate, refusals[0].Details, StringComparison.Ordinal);
            Assert.Contains(AuditActions.ScimUserDelete, refusals[1].Details, StringComparison.Ordinal);
        }

        // Once Ada is an owner again, the same requests go through.
        var restored = await portal.Get<UpdatePersonRolesCommand>().ExecuteAsync(await ActorAsync(wes), enterprise.Slug, ada.PersonId, new UpdatePersonRolesInput(true, []), Ct);
        Assert.True(restored.IsSuccess, restored.Error?.Message);
        Assert.True((await portal.Get<PatchScimUserCommand>().ExecuteAsync(client, wes, new ScimUserPatch(Active: false), "127.0.0.1", Ct)).IsSuccess);
        Assert.False(await IsOwnerAsync(wes, enterprise));
        Assert.True((await portal.Get<DeleteScimUserCommand>().ExecuteAsync(client, wes, "127.0.0.1", Ct)).IsSuccess);
    }

    private static string Email(string name) => $"{name}.{Guid.NewGuid().ToString("N")[..8]}@contoso.test";

    private async Task<Actor> ActorAsync(Guid personId)
    {
        await using var db = await portal.DbAsync();
        var email = await db.People.Where(p => p.Id == personId).Select(p => p.Email).SingleAsync(Ct);
        return new Actor(personId, email, "127.0.0.1");
    }

    private async Task MapAsync(Actor owner, TestEnterprise enterprise, string groupId)
    {
        var mapped = await portal.Get<AddGroupMappingCommand>().ExecuteAsync(owner, enterprise.Slug, new AddGroupMappingInput(groupId, MappedRole.EnterpriseOwner, null), Ct);
        Assert.True(mapped.IsSuccess, mapped.Error?.Message);
    }

    /// <summary>A SCIM user in a SCIM group mapped to enterprise owner: an owner through that group only.</summary>
    private async Task<(Guid Person, Guid Group)> ProvisionGroupOwnerAsync(ScimClient client, Actor ada, TestEnterprise enterprise, string name)
    {
        var user = await portal.Get<CreateScimUserCommand>().ExecuteAsync(client, new ScimUserInput(Email(name), name, name, true), "127.0.0.1", Ct);
        Assert.True(user.IsSuccess, user.Error?.Message);
        var objectId = Guid.NewGuid().ToString();
        var group = await portal.Get<CreateScimGroupCommand>().ExecuteAsync(client, new ScimGroupInput($"Owners {name} {objectId[..6]}", objectId, [user.Value.Id]), "127.0.0.1", Ct);
        Assert.True(group.IsSuccess, group.Error?.Message);
        await MapAsync(ada, enterprise, objectId);
        Assert.True(await IsOwnerAsync(user.Value.Id, enterprise), "the mapped group did not make the user an owner");
        return (user.Value.Id, group.Value.Id);
    }

    /// <summary>Takes the hand-given enterprise owner role away through the people page's use case.</summary>
    private async Task DemoteAsync(Actor by, TestEnterprise enterprise, Guid personId)
    {
        var demoted = await portal.Get<UpdatePersonRolesCommand>().ExecuteAsync(by, enterprise.Slug, personId, new UpdatePersonRolesInput(false, []), Ct);
        Assert.True(demoted.IsSuccess, demoted.Error?.Message);
        Assert.False(await IsOwnerAsync(personId, enterprise));
    }

    private async Task<(Guid Id, string ObjectId)> SignInAsync(string name, IReadOnlyCollection<string> groups, string? objectId = null)
    {
        objectId ??= Guid.NewGuid().ToString();
        var email = $"{name}.{objectId[..8]}@contoso.test";
        var signedIn = await portal.Get<SignInPersonCommand>().ExecuteAsync(new ExternalIdentity(email, name, objectId, "127.0.0.1", groups), SignInMethod.EntraId, Ct);
        Assert.True(signedIn.IsSuccess, signedIn.Error?.Message);
        return (signedIn.Value.PersonId, objectId);
    }

    private async Task<bool> IsOwnerAsync(Guid personId, TestEnterprise enterprise)
    {
        await using var db = await portal.DbAsync();
        return await db.IsEnterpriseOwnerBySlugAsync(personId, enterprise.Slug, Ct);
    }

    private async Task<EnterpriseMembership> MembershipAsync(Guid personId, TestEnterprise enterprise)
    {
        await using var db = await portal.DbAsync();
        return await db.EnterpriseMemberships.AsNoTracking().SingleAsync(m => m.PersonId == personId && m.EnterpriseId == enterprise.Id, Ct);
    }

    private async Task<AuditEvent> KeptEventAsync(Guid personId, TestEnterprise enterprise)
    {
        await using var db = await portal.DbAsync();
        var events = await db.AuditEvents.AsNoTracking()
            .Where(e => e.TargetId == personId.ToString() && e.Action == AuditActions.PersonLastOwnerKept && e.EnterpriseId == enterprise.Id)
            .ToListAsync(Ct);
        return Assert.Single(events);
    }
}
