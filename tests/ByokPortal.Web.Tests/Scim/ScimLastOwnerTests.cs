using ByokPortal.Core.People;
using ByokPortal.Testing;
using Microsoft.EntityFrameworkCore;

namespace ByokPortal.Web.Tests.Scim;

/// <summary>
/// What a SCIM client reads when it tries to deactivate or delete the enterprise's last active owner: an RFC 7644 error (400,
/// scimType "mutability", the reason in <c>detail</c>), and nothing of the request applied. A portal of its own: the test makes a
/// provisioned user Contoso's only owner.
/// </summary>
public sealed class ScimLastOwnerTests(ScimClientFixture scim) : IClassFixture<ScimClientFixture>
{
    private const string PatchSchema = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

    [Fact]
    public async Task DeactivateOrDeleteTheLastActiveOwner_AnswersAScimMutabilityError_AndTheUserStays()
    {
        var userName = $"owner.{Guid.NewGuid().ToString("N")[..6]}@contoso.test";
        var created = await scim.SendAsync(HttpMethod.Post, "/scim/v2/Users", $$"""
            {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"{{userName}}","displayName":"Only Owner","active":true}
            """);
        Assert.Equal(201, created.Status);
        var userId = created.Body!["id"]!.GetValue<string>();
        await MakeOnlyOwnerAsync(Guid.Parse(userId));

        var deactivate = await scim.SendAsync(HttpMethod.Patch, $"/scim/v2/Users/{userId}", $$"""
            {"schemas":["{{PatchSchema}}"],"Operations":[{"op":"Replace","path":"active","value":"False"},{"op":"Replace","path":"displayName","value":"Renamed"}]}
            """);
        var delete = await scim.SendAsync(HttpMethod.Delete, $"/scim/v2/Users/{userId}");

        foreach (var (status, body, _) in new[] { deactivate, delete })
        {
            Assert.Equal(400, status);
            Assert.Equal("urn:ietf:params:scim:api:messages:2.0:Error", body!["schemas"]![0]!.GetValue<string>());
            Assert.Equal("400", body["status"]!.GetValue<string>());
            Assert.Equal("mutability", body["scimType"]!.GetValue<string>());
            Assert.Contains("last active owner", body["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        }

        var fetched = await scim.SendAsync(HttpMethod.Get, $"/scim/v2/Users/{userId}");
        Assert.Equal(200, fetched.Status);
        Assert.True(fetched.Body!["active"]!.GetValue<bool>());
        Assert.Equal("Only Owner", fetched.Body["displayName"]!.GetValue<string>());
    }

    /// <summary>Makes the user an owner of Contoso by hand and takes the role from everyone else, through the people page's use case.</summary>
    private async Task MakeOnlyOwnerAsync(Guid personId)
    {
        var ada = await scim.ActorAsync(DemoSignIn.EnterpriseOwner);
        var promoted = await scim.Get<UpdatePersonRolesCommand>().ExecuteAsync(ada, "contoso", personId, new UpdatePersonRolesInput(true, []), ScimClientFixture.Ct);
        Assert.True(promoted.IsSuccess, promoted.Error?.Message);
        List<Guid> others;
        await using (var db = await scim.DbAsync())
        {
            others = await db.EnterpriseMemberships.Where(m => m.Role == EnterpriseRole.Owner && m.PersonId != personId && db.Enterprises.Any(e => e.Id == m.EnterpriseId && e.Slug == "contoso"))
                .Select(m => m.PersonId).ToListAsync(ScimClientFixture.Ct);
        }

        var owner = new Core.Common.Actor(personId, "owner", "127.0.0.1");
        foreach (var other in others)
        {
            var demoted = await scim.Get<UpdatePersonRolesCommand>().ExecuteAsync(owner, "contoso", other, new UpdatePersonRolesInput(false, []), ScimClientFixture.Ct);
            Assert.True(demoted.IsSuccess, demoted.Error?.Message);
        }
    }
}
