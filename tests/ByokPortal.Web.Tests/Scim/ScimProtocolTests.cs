using System.Text.Json.Nodes;
using ByokPortal.Testing;

namespace ByokPortal.Web.Tests.Scim;

/// <summary>
/// The request and response examples of RFC 7644 (§3.3 create, §3.4.1 retrieve, §3.4.2 filter and paging, §3.5.2 PATCH of group
/// members, §3.12 errors) replayed against <c>/scim/v2</c>, with the RFC's bodies (user names made unique per test).
/// </summary>
public sealed class ScimProtocolTests(ScimClientFixture scim) : IClassFixture<ScimClientFixture>
{
    private static string Unique(string prefix) => $"{prefix}{Guid.NewGuid().ToString("N")[..6]}";

    private async Task<string> CreateUserAsync(string userName)
    {
        var (status, body, _) = await scim.SendAsync(HttpMethod.Post, "/scim/v2/Users", $$"""
            {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"{{userName}}","externalId":"{{userName}}",
             "name":{"formatted":"Ms. Barbara J Jensen III","familyName":"Jensen","givenName":"Barbara"} }
            """);
        Assert.Equal(201, status);
        return body!["id"]!.GetValue<string>();
    }

    [Fact]
    public async Task CreateUser_Rfc7644Section33_Answers201WithResourceLocationAndScimContentType()
    {
        var userName = Unique("bjensen");

        var (status, body, response) = await scim.SendAsync(HttpMethod.Post, "/scim/v2/Users", $$"""
            {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"{{userName}}","externalId":"bjensen",
             "name":{"formatted":"Ms. Barbara J Jensen III","familyName":"Jensen","givenName":"Barbara"} }
            """);

        Assert.Equal(201, status);
        Assert.Equal("application/scim+json", response.Content.Headers.ContentType?.MediaType);
        var id = body!["id"]!.GetValue<string>();
        Assert.Equal(userName, body["userName"]!.GetValue<string>());
        Assert.Equal("bjensen", body["externalId"]!.GetValue<string>());
        Assert.Equal("Ms. Barbara J Jensen III", body["name"]!["formatted"]!.GetValue<string>());
        Assert.True(body["active"]!.GetValue<bool>());
        Assert.Equal("User", body["meta"]!["resourceType"]!.GetValue<string>());
        Assert.EndsWith($"/scim/v2/Users/{id}", body["meta"]!["location"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(body["meta"]!["location"]!.GetValue<string>(), response.Headers.Location!.OriginalString);

        var (getStatus, fetched, _) = await scim.SendAsync(HttpMethod.Get, $"/scim/v2/Users/{id}");
        Assert.Equal(200, getStatus);
        Assert.Equal(userName, fetched!["userName"]!.GetValue<string>());
        Assert.Equal("urn:ietf:params:scim:schemas:core:2.0:User", fetched["schemas"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task CreateUser_DuplicateUserName_Answers409Uniqueness_Section312()
    {
        var userName = Unique("dup");
        await CreateUserAsync(userName);

        var (status, body, _) = await scim.SendAsync(HttpMethod.Post, "/scim/v2/Users", $$"""{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"{{userName.ToUpperInvariant()}}"}""");

        Assert.Equal(409, status);
        Assert.Equal("urn:ietf:params:scim:api:messages:2.0:Error", body!["schemas"]![0]!.GetValue<string>());
        Assert.Equal("409", body["status"]!.GetValue<string>());
        Assert.Equal("uniqueness", body["scimType"]!.GetValue<string>());
    }

    [Fact]
    public async Task ListUsers_FilterAndPaging_Section342()
    {
        var userName = Unique("filter");
        var id = await CreateUserAsync(userName);

        var (status, body, _) = await scim.SendAsync(HttpMethod.Get, $"/scim/v2/Users?filter={Uri.EscapeDataString($"userName eq \"{userName}\"")}");
        var (_, page, _) = await scim.SendAsync(HttpMethod.Get, "/scim/v2/Users?startIndex=2&count=2");
        var (_, none, _) = await scim.SendAsync(HttpMethod.Get, $"/scim/v2/Users?filter={Uri.EscapeDataString("userName eq \"nobody@nowhere.test\"")}");

        Assert.Equal(200, status);
        Assert.Equal("urn:ietf:params:scim:api:messages:2.0:ListResponse", body!["schemas"]![0]!.GetValue<string>());
        Assert.Equal(1, body["totalResults"]!.GetValue<int>());
        Assert.Equal(id, body["Resources"]![0]!["id"]!.GetValue<string>());
        Assert.Equal(2, page!["startIndex"]!.GetValue<int>());
        Assert.Equal(2, page["itemsPerPage"]!.GetValue<int>());
        Assert.True(page["totalResults"]!.GetValue<int>() >= 5, "the demo people and the users made here");
        Assert.Equal(0, none!["totalResults"]!.GetValue<int>());
        Assert.Empty(none["Resources"]!.AsArray());
    }

    [Fact]
    public async Task GroupMembers_PatchAddRemoveReplace_Section352()
    {
        var babs = await CreateUserAsync(Unique("babs"));
        var mandy = await CreateUserAsync(Unique("mandy"));
        var (created, group, _) = await scim.SendAsync(HttpMethod.Post, "/scim/v2/Groups",
            $$"""{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"{{Unique("Tour Guides ")}}"}""");
        Assert.Equal(201, created);
        var groupPath = $"/scim/v2/Groups/{group!["id"]!.GetValue<string>()}";

        // §3.5.2.1: add a member.
        var (added, afterAdd, _) = await scim.SendAsync(HttpMethod.Patch, groupPath, $$"""
            {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
             "Operations":[{"op":"add","path":"members","value":[{"display":"Babs Jensen","$ref":"https://example.com/v2/Users/{{babs}}","value":"{{babs}}"}]}]}
            """);
        Assert.Equal(200, added);
        Assert.Equal([babs], Members(afterAdd!));

        // §3.5.2.3: replace all members.
        var (replaced, afterReplace, _) = await scim.SendAsync(HttpMethod.Patch, groupPath, $$"""
            {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
             "Operations":[{"op":"replace","path":"members","value":[{"display":"Babs Jensen","value":"{{babs}}"},{"display":"Mandy Pepperidge","value":"{{mandy}}"}]}]}
            """);
        Assert.Equal(200, replaced);
        Assert.Equal(new[] { babs, mandy }.Order(), Members(afterReplace!).Order());

        // §3.5.2.2: remove one member by a value filter in the path.
        var (removed, afterRemove, _) = await scim.SendAsync(HttpMethod.Patch, groupPath, $$"""
            {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"remove","path":"members[value eq \"{{babs}}\"]"}]}
            """);
        Assert.Equal(200, removed);
        Assert.Equal([mandy], Members(afterRemove!));

        // §3.5.2.2: remove all members.
        var (cleared, afterClear, _) = await scim.SendAsync(HttpMethod.Patch, groupPath, """
            {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"remove","path":"members"}]}
            """);
        Assert.Equal(200, cleared);
        Assert.Empty(Members(afterClear!));
    }

    [Fact]
    public async Task Errors_AreScimErrorBodies_Section312()
    {
        var unknown = await scim.SendAsync(HttpMethod.Get, $"/scim/v2/Users/{Guid.NewGuid()}");
        var badFilter = await scim.SendAsync(HttpMethod.Get, $"/scim/v2/Users?filter={Uri.EscapeDataString("userName co \"x\"")}");
        var badJson = await scim.SendAsync(HttpMethod.Post, "/scim/v2/Users", "{not json");
        var noUserName = await scim.SendAsync(HttpMethod.Post, "/scim/v2/Users", """{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"]}""");
        var badPatch = await scim.SendAsync(HttpMethod.Patch, $"/scim/v2/Users/{await CreateUserAsync(Unique("patch"))}",
            """{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"active","value":"maybe"}]}""");

        Assert.Equal((404, "404"), (unknown.Status, unknown.Body!["status"]!.GetValue<string>()));
        Assert.Equal((400, "invalidFilter"), (badFilter.Status, badFilter.Body!["scimType"]!.GetValue<string>()));
        Assert.Equal((400, "invalidSyntax"), (badJson.Status, badJson.Body!["scimType"]!.GetValue<string>()));
        Assert.Equal((400, "invalidValue"), (noUserName.Status, noUserName.Body!["scimType"]!.GetValue<string>()));
        Assert.Equal((400, "invalidValue"), (badPatch.Status, badPatch.Body!["scimType"]!.GetValue<string>()));
        foreach (var body in new[] { unknown.Body, badFilter.Body, badJson.Body, noUserName.Body, badPatch.Body })
        {
            Assert.Equal("urn:ietf:params:scim:api:messages:2.0:Error", body!["schemas"]![0]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task Authentication_OnlyAValidScimToken_PeopleCookiesAndRevokedTokensRefused()
    {
        using var ada = await scim.Factory.CreateSignedInClientAsync(DemoSignIn.EnterpriseOwner);
        using var wrong = scim.Factory.CreateAnonymousClient();
        wrong.DefaultRequestHeaders.Authorization = new("Bearer", "scim_" + new string('x', 40));

        var withCookie = await scim.SendAsync(HttpMethod.Get, "/scim/v2/Users", client: ada);
        var withWrongToken = await scim.SendAsync(HttpMethod.Get, "/scim/v2/Users", client: wrong);
        var withToken = await scim.SendAsync(HttpMethod.Get, "/scim/v2/ServiceProviderConfig");

        Assert.Equal(401, withCookie.Status);
        Assert.Equal("urn:ietf:params:scim:api:messages:2.0:Error", withCookie.Body!["schemas"]![0]!.GetValue<string>());
        Assert.Equal(401, withWrongToken.Status);
        Assert.Equal(200, withToken.Status);
        Assert.True(withToken.Body!["patch"]!["supported"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Discovery_ResourceTypesAndSchemas_Section4()
    {
        var types = await scim.SendAsync(HttpMethod.Get, "/scim/v2/ResourceTypes");
        var user = await scim.SendAsync(HttpMethod.Get, "/scim/v2/ResourceTypes/User");
        var schemas = await scim.SendAsync(HttpMethod.Get, "/scim/v2/Schemas");
        var groupSchema = await scim.SendAsync(HttpMethod.Get, "/scim/v2/Schemas/urn:ietf:params:scim:schemas:core:2.0:Group");

        Assert.Equal(2, types.Body!["totalResults"]!.GetValue<int>());
        Assert.Equal("/Users", user.Body!["endpoint"]!.GetValue<string>());
        Assert.Equal(2, schemas.Body!["Resources"]!.AsArray().Count);
        Assert.Equal("Group", groupSchema.Body!["name"]!.GetValue<string>());
    }

    private static List<string> Members(JsonObject group) =>
        group["members"]?.AsArray().Select(m => m!["value"]!.GetValue<string>()).ToList() ?? [];
}
