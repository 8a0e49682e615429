using System.Net;
using ByokPortal.Core.Access;
using ByokPortal.Core.Audit;
using ByokPortal.Core.Common;
using ByokPortal.Core.Identity;
using ByokPortal.Core.Organizations;
using ByokPortal.Core.People;
using ByokPortal.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ByokPortal.Web.Tests.Authentication;

/// <summary>
/// Issue 10: group mappings applied at Microsoft Entra ID sign-in, against the local OpenID Connect provider issuing a groups claim.
/// Roles from groups follow the token at each sign-in; roles given by hand stay; a groups overage grants nothing from groups and is recorded.
/// </summary>
public sealed class EntraGroupMappingTests(EntraPortalFixture portal) : IClassFixture<EntraPortalFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<(Actor Owner, OrganizationCreated Organization)> SetUpAsync(string groupObjectId)
    {
        using (var browser = portal.CreateBrowser())
        {
            await browser.SignInAsync(portal.BootstrapOwner);
        }

        var ownerId = await portal.QueryAsync(db => db.People.Where(p => p.ExternalObjectId == portal.BootstrapOwner.ObjectId).Select(p => p.Id).SingleAsync(Ct));
        var owner = new Actor(ownerId, portal.BootstrapOwner.Email, "127.0.0.1");
        using var scope = portal.Factory.Services.CreateScope();
        var slug = "research-" + Guid.NewGuid().ToString("N")[..6];
        var organization = await scope.ServiceProvider.GetRequiredService<CreateOrganizationCommand>()
            .ExecuteAsync(owner, EntraPortalFixture.EnterpriseSlug, new CreateOrganizationInput("Research", slug), Ct);
        Assert.True(organization.IsSuccess, organization.Error?.Message);
        var mapping = await scope.ServiceProvider.GetRequiredService<AddGroupMappingCommand>()
            .ExecuteAsync(owner, EntraPortalFixture.EnterpriseSlug, new AddGroupMappingInput(groupObjectId, MappedRole.OrganizationOwner, organization.Value.Id), Ct);
        Assert.True(mapping.IsSuccess, mapping.Error?.Message);
        return (owner, organization.Value);
    }

    private Task<OrganizationAccess> AccessAsync(string objectId, string slug) => portal.QueryAsync(async db =>
    {
        var personId = await db.People.Where(p => p.ExternalObjectId == objectId).Select(p => p.Id).SingleAsync(Ct);
        return await db.GetOrganizationAccessBySlugAsync(personId, slug, Ct);
    });

    [Fact]
    public async Task SignIn_WithMappedGroupInClaim_GetsRole_LosesItWhenTheGroupIsGone_HandRoleStays()
    {
        var groupObjectId = Guid.NewGuid().ToString();
        var (owner, organization) = await SetUpAsync(groupObjectId);
        var user = portal.Provider.AddUser(new OidcTestUser($"lee.{Guid.NewGuid().ToString("N")[..6]}@entra.test", "Lee Park", Guid.NewGuid().ToString(),
            [Guid.NewGuid().ToString(), groupObjectId]));

        using (var browser = portal.CreateBrowser())
        {
            var outcome = await browser.SignInAsync(user);
            Assert.True(outcome.Status == HttpStatusCode.Redirect, $"Sign-in answered {outcome}");
            using var page = await browser.Portal.GetAsync(new Uri($"/organizations/{organization.Slug}/settings/people", UriKind.Relative), Ct);
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        }

        Assert.Equal(OrganizationAccess.Owner, await AccessAsync(user.ObjectId, organization.Slug));
        var personId = await portal.QueryAsync(db => db.People.Where(p => p.ExternalObjectId == user.ObjectId).Select(p => p.Id).SingleAsync(Ct));
        var membership = await portal.QueryAsync(db => db.OrganizationMemberships.SingleAsync(m => m.PersonId == personId, Ct));
        Assert.Equal((OrganizationRole.Owner, (OrganizationRole?)null), (membership.GroupRole!.Value, membership.HandRole));

        // An owner also gives a hand role; then the directory drops the group.
        using (var scope = portal.Factory.Services.CreateScope())
        {
            var given = await scope.ServiceProvider.GetRequiredService<UpdatePersonRolesCommand>().ExecuteAsync(owner, EntraPortalFixture.EnterpriseSlug, personId,
                new UpdatePersonRolesInput(false, [new OrganizationRoleChange(organization.Id, OrganizationRole.Member)]), Ct);
            Assert.True(given.IsSuccess, given.Error?.Message);
        }

        portal.Provider.AddUser(user with { Groups = [] });
        using (var browser = portal.CreateBrowser())
        {
            await browser.SignInAsync(user);
        }

        Assert.Equal(OrganizationAccess.Member, await AccessAsync(user.ObjectId, organization.Slug));
        var actions = await portal.QueryAsync(db => db.AuditEvents.Where(e => e.TargetId == personId.ToString()).Select(e => e.Action).ToListAsync(Ct));
        Assert.Equal(2, actions.Count(a => a == AuditActions.PersonGroupRolesUpdate));
    }

    [Fact]
    public async Task SignIn_WithGroupsOverage_GrantsNothingFromGroups_AndIsRecorded()
    {
        var groupObjectId = Guid.NewGuid().ToString();
        var (_, organization) = await SetUpAsync(groupObjectId);
        var user = portal.Provider.AddUser(new OidcTestUser($"max.{Guid.NewGuid().ToString("N")[..6]}@entra.test", "Max Overage", Guid.NewGuid().ToString(), GroupsOverage: true));

        using (var browser = portal.CreateBrowser())
        {
            var outcome = await browser.SignInAsync(user);
            Assert.True(outcome.Status == HttpStatusCode.Redirect, $"Sign-in answered {outcome}");
        }

        Assert.Equal(OrganizationAccess.None, await AccessAsync(user.ObjectId, organization.Slug));
        var overage = await portal.QueryAsync(db => db.AuditEvents.CountAsync(e => e.Action == AuditActions.GroupsOverage && e.TargetName == user.Email, Ct));
        Assert.Equal(1, overage);
    }
}
