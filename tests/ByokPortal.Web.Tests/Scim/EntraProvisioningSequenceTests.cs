using ByokPortal.Core.Access;
using ByokPortal.Core.Audit;
using ByokPortal.Core.Identity;
using ByokPortal.Testing;
using Microsoft.EntityFrameworkCore;

namespace ByokPortal.Web.Tests.Scim;

/// <summary>
/// The requests Microsoft Entra ID's provisioning service sends, in its order and with its habits (a filter query before each create,
/// capitalised ops, <c>active</c> as the string "False", <c>emails[type eq "work"].value</c>, members removed by a value-filter path):
/// provision a user and a group, update, deactivate, reactivate, and delete them.
/// </summary>
public sealed class EntraProvisioningSequenceTests(ScimClientFixture scim) : IClassFixture<ScimClientFixture>
{
    private const string PatchSchema = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

    private async Task<OrganizationAccess> AccessAsync(Guid personId)
    {
        await using var db = await scim.DbAsync();
        return await db.GetOrganizationAccessBySlugAsync(personId, "contoso-research", ScimClientFixture.Ct);
    }

    [Fact]
    public async Task EntraSequence_ProvisionUpdateDeactivateDeleteUserAndGroup()
    {
        var upn = $"alex.{Guid.NewGuid().ToString("N")[..6]}@contoso.test";
        var groupObjectId = Guid.NewGuid().ToString();

        // 1. Does the user exist? Entra asks by userName first.
        var query = await scim.SendAsync(HttpMethod.Get, $"/scim/v2/Users?filter={Uri.EscapeDataString($"userName eq \"{upn}\"")}");
        Assert.Equal(0, query.Body!["totalResults"]!.GetValue<int>());

        // 2. Create it, as Entra's default attribute mappings send it.
        var created = await scim.SendAsync(HttpMethod.Post, "/scim/v2/Users", $$"""
            {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
             "externalId":"alex","userName":"{{upn}}","active":true,"displayName":"Alex Wilber",
             "emails":[{"primary":true,"type":"work","value":"{{upn}}"}],"meta":{"resourceType":"User"},
             "name":{"formatted":"Alex Wilber","familyName":"Wilber","givenName":"Alex"},"roles":[]}
            """);
        Assert.Equal(201, created.Status);
        var userId = created.Body!["id"]!.GetValue<string>();
        var personId = Guid.Parse(userId);

        // 3. The group: query by displayName without members, then create it with the group's object ID as externalId.
        var groupQuery = await scim.SendAsync(HttpMethod.Get, $"/scim/v2/Groups?excludedAttributes=members&filter={Uri.EscapeDataString("displayName eq \"Research Owners\"")}");
        Assert.Equal(0, groupQuery.Body!["totalResults"]!.GetValue<int>());
        var group = await scim.SendAsync(HttpMethod.Post, "/scim/v2/Groups", $$"""
            {"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"externalId":"{{groupObjectId}}","displayName":"Research Owners","members":[]}
            """);
        Assert.Equal(201, group.Status);
        var groupPath = $"/scim/v2/Groups/{group.Body!["id"]!.GetValue<string>()}";

        // The enterprise owner maps the group (by its Entra object ID) to owner of contoso-research.
        var ada = await scim.ActorAsync(DemoSignIn.EnterpriseOwner);
        await using (var db = await scim.DbAsync())
        {
            var research = await db.Organizations.Where(o => o.Slug == "contoso-research").Select(o => o.Id).SingleAsync(ScimClientFixture.Ct);
            var mapped = await scim.Get<AddGroupMappingCommand>().ExecuteAsync(ada, "contoso", new AddGroupMappingInput(groupObjectId, MappedRole.OrganizationOwner, research), ScimClientFixture.Ct);
            Assert.True(mapped.IsSuccess, mapped.Error?.Message);
        }

        Assert.Equal(OrganizationAccess.None, await AccessAsync(personId));

        // 4. Entra adds the member: the mapped role applies at once.
        var addMember = await scim.SendAsync(HttpMethod.Patch, groupPath, $$"""
            {"schemas":["{{PatchSchema}}"],"Operations":[{"op":"Add","path":"members","value":[{"value":"{{userId}}"}]}]}
            """);
        Assert.Equal(200, addMember.Status);
        Assert.Equal(OrganizationAccess.Owner, await AccessAsync(personId));

        // 5. Attribute updates, Entra style.
        var update = await scim.SendAsync(HttpMethod.Patch, $"/scim/v2/Users/{userId}", $$"""
            {"schemas":["{{PatchSchema}}"],"Operations":[
              {"op":"Replace","path":"displayName","value":"Alex W. Wilber"},
              {"op":"Replace","path":"emails[type eq \"work\"].value","value":"{{upn}}"},
              {"op":"Add","path":"name.givenName","value":"Alex"},
              {"op":"Replace","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department","value":"Research"},
              {"op":"Add","value":{"title":"Scientist","preferredLanguage":"en-US"} }]}
            """);
        Assert.Equal(200, update.Status);
        Assert.Equal("Alex W. Wilber", update.Body!["displayName"]!.GetValue<string>());

        // 6. Deactivation: active as the string "False"; every role goes at once.
        var deactivate = await scim.SendAsync(HttpMethod.Patch, $"/scim/v2/Users/{userId}", $$"""
            {"schemas":["{{PatchSchema}}"],"Operations":[{"op":"Replace","path":"active","value":"False"}]}
            """);
        Assert.Equal(200, deactivate.Status);
        Assert.False(deactivate.Body!["active"]!.GetValue<bool>());
        Assert.Equal(OrganizationAccess.None, await AccessAsync(personId));
        await using (var db = await scim.DbAsync())
        {
            Assert.NotNull((await db.People.SingleAsync(p => p.Id == personId, ScimClientFixture.Ct)).DisabledAt);
        }

        // Reactivated, the group's role comes back.
        var reactivate = await scim.SendAsync(HttpMethod.Patch, $"/scim/v2/Users/{userId}", $$"""
            {"schemas":["{{PatchSchema}}"],"Operations":[{"op":"Replace","value":{"active":"True"} }]}
            """);
        Assert.True(reactivate.Body!["active"]!.GetValue<bool>());
        Assert.Equal(OrganizationAccess.Owner, await AccessAsync(personId));

        // 7. Removed from the group by a value-filter path: the role goes.
        var removeMember = await scim.SendAsync(HttpMethod.Patch, groupPath, $$"""
            {"schemas":["{{PatchSchema}}"],"Operations":[{"op":"Remove","path":"members[value eq \"{{userId}}\"]"}]}
            """);
        Assert.Equal(200, removeMember.Status);
        Assert.Equal(OrganizationAccess.None, await AccessAsync(personId));

        // 8. Deletion of the user and the group.
        Assert.Equal(204, (await scim.SendAsync(HttpMethod.Delete, $"/scim/v2/Users/{userId}")).Status);
        Assert.Equal(404, (await scim.SendAsync(HttpMethod.Get, $"/scim/v2/Users/{userId}")).Status);
        Assert.Equal(204, (await scim.SendAsync(HttpMethod.Delete, groupPath)).Status);
        Assert.Equal(404, (await scim.SendAsync(HttpMethod.Get, groupPath)).Status);

        // Every change is audited as done by the SCIM token.
        await using (var db = await scim.DbAsync())
        {
            var events = await db.AuditEvents.AsNoTracking().Where(e => e.Action.StartsWith("scim.")).OrderBy(e => e.Id).ToListAsync(ScimClientFixture.Ct);
            var mine = events.Where(e => e.TargetId == userId || e.TargetName == "Research Owners").ToList();
            Assert.Equal(
                [AuditActions.ScimUserCreate, AuditActions.ScimGroupCreate, AuditActions.ScimGroupUpdate, AuditActions.ScimUserUpdate,
                 AuditActions.ScimUserDeactivate, AuditActions.ScimUserUpdate, AuditActions.ScimGroupUpdate, AuditActions.ScimUserDelete, AuditActions.ScimGroupDelete],
                mine.Select(e => e.Action));
            Assert.All(mine, e => Assert.Equal(("scim_token", "SCIM token Entra ID provisioning"), (e.ActorType, e.ActorName)));
            Assert.DoesNotContain(events, e => (e.Details ?? "").Contains(scim.Token, StringComparison.Ordinal));
        }
    }
}
