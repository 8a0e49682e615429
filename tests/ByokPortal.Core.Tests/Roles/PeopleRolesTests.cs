using ByokPortal.Core.Access;
using ByokPortal.Core.Audit;
using ByokPortal.Core.Common;
using ByokPortal.Core.Identity;
using ByokPortal.Core.Organizations;
using ByokPortal.Core.People;
using ByokPortal.Testing;
using Microsoft.EntityFrameworkCore;

namespace ByokPortal.Core.Tests.Roles;

/// <summary>Issue 10: adding people, giving and taking roles, last-owner protection, and roles from groups next to roles given by hand.</summary>
public sealed class PeopleRolesTests(PortalFixture portal) : IClassFixture<PortalFixture>
{
    private static CancellationToken Ct => PortalFixture.Ct;

    private async Task<OrganizationAccess> AccessAsync(Guid personId, string organizationSlug)
    {
        await using var db = await portal.DbAsync();
        return await db.GetOrganizationAccessBySlugAsync(personId, organizationSlug, Ct);
    }

    private async Task<bool> IsEnterpriseOwnerAsync(Guid personId, string enterpriseSlug)
    {
        await using var db = await portal.DbAsync();
        return await db.IsEnterpriseOwnerBySlugAsync(personId, enterpriseSlug, Ct);
    }

    [Fact]
    public async Task AddPerson_ByEmail_GetsRolesAtOnce_AndCanBeDemotedAndRemoved()
    {
        var enterprise = await TestEnterprise.CreateAsync(portal);
        var ada = await portal.ActorAsync(DemoSignIn.EnterpriseOwner);
        var email = $"nora.{Guid.NewGuid().ToString("N")[..8]}@contoso.test";

        var added = await portal.Get<AddPersonCommand>().ExecuteAsync(ada, enterprise.Slug,
            new AddPersonInput("  " + email.ToUpperInvariant() + " ", "Nora Ndiaye", false, [new OrganizationRoleChange(enterprise.OrganizationId, OrganizationRole.Owner)]), Ct);

        Assert.True(added.IsSuccess, added.Error?.Message);
        Assert.Equal(email, added.Value.Email);
        Assert.Equal(OrganizationAccess.Owner, await AccessAsync(added.Value.PersonId, enterprise.OrganizationSlug));
        Assert.Equal(OrganizationAccess.None, await AccessAsync(added.Value.PersonId, enterprise.SiblingSlug));
        var people = await portal.Get<ListPeopleQuery>().ExecuteAsync(ada, enterprise.Slug, "nora", 0, 10, Ct);
        var row = Assert.Single(people.Value.Items);
        Assert.Equal((OrganizationRole.Owner, RoleSource.Hand), (row.Organizations.Single().Role, row.Organizations.Single().Source));
        var demoPeople = await portal.Get<ListDemoPeopleQuery>().ExecuteAsync(Ct);
        Assert.Contains(demoPeople, p => p.Email == email);

        var demoted = await portal.Get<UpdatePersonRolesCommand>().ExecuteAsync(ada, enterprise.Slug, added.Value.PersonId,
            new UpdatePersonRolesInput(false, [new OrganizationRoleChange(enterprise.OrganizationId, OrganizationRole.Member)]), Ct);
        Assert.True(demoted.IsSuccess, demoted.Error?.Message);
        Assert.Equal(OrganizationAccess.Member, await AccessAsync(added.Value.PersonId, enterprise.OrganizationSlug));

        var removed = await portal.Get<RemovePersonCommand>().ExecuteAsync(ada, enterprise.Slug, added.Value.PersonId, false, Ct);
        Assert.True(removed.IsSuccess, removed.Error?.Message);
        Assert.Equal(OrganizationAccess.None, await AccessAsync(added.Value.PersonId, enterprise.OrganizationSlug));
        Assert.Empty((await portal.Get<ListPeopleQuery>().ExecuteAsync(ada, enterprise.Slug, "nora", 0, 10, Ct)).Value.Items);
        await using var db = await portal.DbAsync();
        var actions = (await TestData.AuditEventsForAsync(db, added.Value.PersonId.ToString(), Ct)).Select(e => e.Action).ToList();
        Assert.Equal([AuditActions.PersonAdd, AuditActions.PersonRolesUpdate, AuditActions.PersonRemove], actions);
    }

    [Fact]
    public async Task LastEnterpriseOwner_CannotBeDemotedOrRemoved_UntilAnotherOwnerExists()
    {
        var enterprise = await TestEnterprise.CreateAsync(portal);
        var ada = await portal.ActorAsync(DemoSignIn.EnterpriseOwner);

        var demote = await portal.Get<UpdatePersonRolesCommand>().ExecuteAsync(ada, enterprise.Slug, ada.PersonId, new UpdatePersonRolesInput(false, []), Ct);
        var remove = await portal.Get<RemovePersonCommand>().ExecuteAsync(ada, enterprise.Slug, ada.PersonId, true, Ct);

        Assert.False(Assert.IsType<LastOwnerError>(demote.Error).CanConfirm);
        Assert.IsType<LastOwnerError>(remove.Error);
        Assert.True(await IsEnterpriseOwnerAsync(ada.PersonId, enterprise.Slug));

        var oscar = await portal.ActorAsync(DemoSignIn.WebOwner);
        var promoted = await portal.Get<UpdatePersonRolesCommand>().ExecuteAsync(ada, enterprise.Slug, oscar.PersonId, new UpdatePersonRolesInput(true, []), Ct);
        Assert.True(promoted.IsSuccess, promoted.Error?.Message);
        var demoteNow = await portal.Get<UpdatePersonRolesCommand>().ExecuteAsync(ada, enterprise.Slug, ada.PersonId, new UpdatePersonRolesInput(false, []), Ct);
        Assert.True(demoteNow.IsSuccess, demoteNow.Error?.Message);
        Assert.False(await IsEnterpriseOwnerAsync(ada.PersonId, enterprise.Slug));
        Assert.True(await IsEnterpriseOwnerAsync(oscar.PersonId, enterprise.Slug));
    }

    [Fact]
    public async Task LastOrganizationOwner_StaysUnlessAnEnterpriseOwnerConfirms()
    {
        var enterprise = await TestEnterprise.CreateAsync(portal);
        var ada = await portal.ActorAsync(DemoSignIn.EnterpriseOwner);
        var oscar = await portal.ActorAsync(DemoSignIn.WebOwner);
        var setRole = portal.Get<SetOrganizationRoleCommand>();

        var byOwnerSelf = await setRole.ExecuteAsync(oscar, enterprise.OrganizationSlug, oscar.PersonId, OrganizationRole.Member, confirmLastOwner: true, Ct);
        var byEnterpriseOwner = await setRole.ExecuteAsync(ada, enterprise.OrganizationSlug, oscar.PersonId, null, confirmLastOwner: false, Ct);

        Assert.False(Assert.IsType<LastOwnerError>(byOwnerSelf.Error).CanConfirm);
        Assert.True(Assert.IsType<LastOwnerError>(byEnterpriseOwner.Error).CanConfirm);
        Assert.Equal(OrganizationAccess.Owner, await AccessAsync(oscar.PersonId, enterprise.OrganizationSlug));

        var confirmed = await setRole.ExecuteAsync(ada, enterprise.OrganizationSlug, oscar.PersonId, null, confirmLastOwner: true, Ct);
        Assert.True(confirmed.IsSuccess, confirmed.Error?.Message);
        Assert.Equal(OrganizationAccess.None, await AccessAsync(oscar.PersonId, enterprise.OrganizationSlug));
    }

    [Fact]
    public async Task OrganizationOwner_ManagesOwnPeople_AnotherOrganizationsPeopleAreNotFound()
    {
        var enterprise = await TestEnterprise.CreateAsync(portal);
        var oscar = await portal.ActorAsync(DemoSignIn.WebOwner);
        var olga = await portal.ActorAsync(DemoSignIn.DataOwner);
        var mia = await portal.ActorAsync(DemoSignIn.WebMember);

        var promoted = await portal.Get<SetOrganizationRoleCommand>().ExecuteAsync(oscar, enterprise.OrganizationSlug, mia.PersonId, OrganizationRole.Owner, false, Ct);
        var crossList = await portal.Get<ListOrganizationPeopleQuery>().ExecuteAsync(olga, enterprise.OrganizationSlug, null, 0, 10, Ct);
        var crossChange = await portal.Get<SetOrganizationRoleCommand>().ExecuteAsync(olga, enterprise.OrganizationSlug, mia.PersonId, null, false, Ct);
        var swapped = await portal.Get<SetOrganizationRoleCommand>().ExecuteAsync(olga, enterprise.SiblingSlug, mia.PersonId, null, false, Ct);
        var byMember = await portal.Get<AddOrganizationPersonCommand>().ExecuteAsync(mia, enterprise.SiblingSlug, new AddOrganizationPersonInput("x@contoso.test", OrganizationRole.Owner), Ct);

        Assert.True(promoted.IsSuccess, promoted.Error?.Message);
        Assert.IsType<NotFoundError>(crossList.Error);
        Assert.IsType<NotFoundError>(crossChange.Error);
        Assert.IsType<NotFoundError>(swapped.Error);
        Assert.IsType<NotFoundError>(byMember.Error);
        Assert.Equal(OrganizationAccess.Owner, await AccessAsync(mia.PersonId, enterprise.OrganizationSlug));
        var people = await portal.Get<ListOrganizationPeopleQuery>().ExecuteAsync(oscar, enterprise.OrganizationSlug, null, 0, 10, Ct);
        Assert.Equal([DemoSignIn.WebMember, DemoSignIn.WebOwner], people.Value.Items.Select(p => p.Email).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task GroupMapping_GivesRoleFromScimGroup_HandRolesStay_RemovingMappingTakesOnlyTheGroupRole()
    {
        var enterprise = await TestEnterprise.CreateAsync(portal);
        var ada = await portal.ActorAsync(DemoSignIn.EnterpriseOwner);
        var mia = await portal.ActorAsync(DemoSignIn.WebMember);
        var objectId = Guid.NewGuid().ToString();
        await using (var db = await portal.DbAsync())
        {
            var group = new DirectoryGroup { EnterpriseId = enterprise.Id, DisplayName = "Data admins", ExternalId = objectId, CreatedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow };
            db.DirectoryGroups.Add(group);
            db.DirectoryGroupMembers.Add(new DirectoryGroupMember { GroupId = group.Id, PersonId = mia.PersonId });
            await db.SaveChangesAsync(Ct);
        }

        var mapped = await portal.Get<AddGroupMappingCommand>().ExecuteAsync(ada, enterprise.Slug, new AddGroupMappingInput(objectId, MappedRole.OrganizationOwner, enterprise.SiblingId), Ct);
        var mappedHere = await portal.Get<AddGroupMappingCommand>().ExecuteAsync(ada, enterprise.Slug, new AddGroupMappingInput(objectId, MappedRole.OrganizationOwner, enterprise.OrganizationId), Ct);

        Assert.True(mapped.IsSuccess && mappedHere.IsSuccess, mapped.Error?.Message ?? mappedHere.Error?.Message);
        Assert.Equal(OrganizationAccess.Owner, await AccessAsync(mia.PersonId, enterprise.SiblingSlug));
        Assert.Equal(OrganizationAccess.Owner, await AccessAsync(mia.PersonId, enterprise.OrganizationSlug));
        var row = (await portal.Get<ListPeopleQuery>().ExecuteAsync(ada, enterprise.Slug, DemoSignIn.WebMember, 0, 5, Ct)).Value.Items.Single();
        Assert.Equal(RoleSource.HandAndGroups, row.Organizations.Single(o => o.OrganizationId == enterprise.OrganizationId).Source);
        Assert.Equal(RoleSource.Groups, row.Organizations.Single(o => o.OrganizationId == enterprise.SiblingId).Source);

        Assert.True((await portal.Get<RemoveGroupMappingCommand>().ExecuteAsync(ada, enterprise.Slug, mapped.Value.Id, Ct)).IsSuccess);
        Assert.True((await portal.Get<RemoveGroupMappingCommand>().ExecuteAsync(ada, enterprise.Slug, mappedHere.Value.Id, Ct)).IsSuccess);

        Assert.Equal(OrganizationAccess.None, await AccessAsync(mia.PersonId, enterprise.SiblingSlug));
        Assert.Equal(OrganizationAccess.Member, await AccessAsync(mia.PersonId, enterprise.OrganizationSlug));
    }
}
