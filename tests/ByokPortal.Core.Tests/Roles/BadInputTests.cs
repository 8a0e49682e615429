using ByokPortal.Core.Common;
using ByokPortal.Core.Identity;
using ByokPortal.Core.Organizations;
using ByokPortal.Core.People;
using ByokPortal.Testing;
using Microsoft.EntityFrameworkCore;

namespace ByokPortal.Core.Tests.Roles;

/// <summary>Issue 10's bad-input table: every field of the new forms, refused with a clear message and nothing stored.</summary>
public sealed class BadInputTests(PortalFixture portal) : IClassFixture<PortalFixture>
{
    private static CancellationToken Ct => PortalFixture.Ct;

    private static readonly string TooLong = new('a', 300);

    public static TheoryData<string, string, string, string> OrganizationInputs() => new()
    {
        // name, slug, field, expected message fragment
        { "", "valid-slug", "Name", "Name is required." },
        { "   ", "valid-slug", "Name", "Name is required." },
        { new string('n', 101), "valid-slug", "Name", "at most 100 characters" },
        { "Bad\u0007Name", "valid-slug", "Name", "control, invisible or direction-changing characters" },
        { "Zero\u200BWidth", "valid-slug", "Name", "control, invisible or direction-changing characters" },
        { "Right\u202EToLeft", "valid-slug", "Name", "control, invisible or direction-changing characters" },
        { "Good", "", "Slug", "Slug is required." },
        { "Good", "Upper-Case", "Slug", "lower-case letters, digits and single hyphens" },
        { "Good", "two--hyphens", "Slug", "lower-case letters, digits and single hyphens" },
        { "Good", "-leading", "Slug", "lower-case letters, digits and single hyphens" },
        { "Good", "spa ce", "Slug", "lower-case letters, digits and single hyphens" },
        { "Good", "tab\tslug", "Slug", "lower-case letters, digits and single hyphens" },
        { "Good", new string('s', 65), "Slug", "at most 64 characters" },
        { "Good", "settings", "Slug", "is reserved" },
        { "Good", "new", "Slug", "is reserved" },
        { "Good", "scim", "Slug", "is reserved" },
        { "Good", "contoso-web", "Slug", "already exists" },
    };

    [Theory]
    [MemberData(nameof(OrganizationInputs))]
    public async Task NewOrganization_BadInput_RefusedWithMessage_NothingStored(string name, string slug, string field, string message)
    {
        var ada = await portal.ActorAsync(DemoSignIn.EnterpriseOwner);
        await using var before = await portal.DbAsync();
        var count = await before.Organizations.CountAsync(Ct);

        var result = await portal.Get<CreateOrganizationCommand>().ExecuteAsync(ada, "contoso", new CreateOrganizationInput(name, slug), Ct);

        Assert.Contains(TestData.MessagesFor(result.Error, field), m => m.Contains(message, StringComparison.Ordinal));
        await using var after = await portal.DbAsync();
        Assert.Equal(count, await after.Organizations.CountAsync(Ct));
    }

    public static TheoryData<string, string> Emails() => new()
    {
        { "", "E-mail address is required." },
        { "not-an-email", "valid e-mail address" },
        { "two@@contoso.test", "valid e-mail address" },
        { "no-domain@", "valid e-mail address" },
        { "no-dot@localhost", "valid e-mail address" },
        { "spa ce@contoso.test", "valid e-mail address" },
        { "ctrl\u0001@contoso.test", "control, invisible or direction-changing characters" },
        { "zero\u200B@contoso.test", "control, invisible or direction-changing characters" },
        { new string('a', 250) + "@contoso.test", "at most 254 characters" },
    };

    [Theory]
    [MemberData(nameof(Emails))]
    public async Task AddPerson_BadEmail_RefusedWithMessage_NothingStored(string email, string message)
    {
        var ada = await portal.ActorAsync(DemoSignIn.EnterpriseOwner);
        var oscar = await portal.ActorAsync(DemoSignIn.WebOwner);
        await using var before = await portal.DbAsync();
        var people = await before.People.CountAsync(Ct);

        var enterprise = await portal.Get<AddPersonCommand>().ExecuteAsync(ada, "contoso", new AddPersonInput(email, null, true, []), Ct);
        var organization = await portal.Get<AddOrganizationPersonCommand>().ExecuteAsync(oscar, "contoso-web", new AddOrganizationPersonInput(email, OrganizationRole.Owner), Ct);

        Assert.Contains(TestData.MessagesFor(enterprise.Error, nameof(AddPersonInput.Email)), m => m.Contains(message, StringComparison.Ordinal));
        Assert.Contains(TestData.MessagesFor(organization.Error, nameof(AddOrganizationPersonInput.Email)), m => m.Contains(message, StringComparison.Ordinal));
        await using var after = await portal.DbAsync();
        Assert.Equal(people, await after.People.CountAsync(Ct));
    }

    [Fact]
    public async Task AddPerson_BadNameOrOrganizations_Refused()
    {
        var ada = await portal.ActorAsync(DemoSignIn.EnterpriseOwner);
        var add = portal.Get<AddPersonCommand>();
        var web = await portal.OrganizationIdAsync("contoso-web");
        var foreign = await portal.OtherEnterpriseOrganizationIdAsync();

        var longName = await add.ExecuteAsync(ada, "contoso", new AddPersonInput("ok@contoso.test", TooLong, false, []), Ct);
        var controlName = await add.ExecuteAsync(ada, "contoso", new AddPersonInput("ok@contoso.test", "Bad\u0000Name", false, []), Ct);
        var duplicate = await add.ExecuteAsync(ada, "contoso",
            new AddPersonInput("ok@contoso.test", null, false, [new(web, OrganizationRole.Owner), new(web, OrganizationRole.Member)]), Ct);
        var otherEnterprise = await add.ExecuteAsync(ada, "contoso", new AddPersonInput("ok@contoso.test", null, false, [new(foreign, OrganizationRole.Owner)]), Ct);
        var badRole = await add.ExecuteAsync(ada, "contoso", new AddPersonInput("ok@contoso.test", null, false, [new(web, (OrganizationRole)7)]), Ct);

        Assert.Contains("at most 200 characters", longName.Error!.Message, StringComparison.Ordinal);
        Assert.Contains("control, invisible or direction-changing characters", controlName.Error!.Message, StringComparison.Ordinal);
        Assert.Contains("listed once", duplicate.Error!.Message, StringComparison.Ordinal);
        Assert.IsType<NotFoundError>(otherEnterprise.Error);
        Assert.Contains("Owner or Member", badRole.Error!.Message, StringComparison.Ordinal);
        await using var db = await portal.DbAsync();
        Assert.False(await db.People.AnyAsync(p => p.Email == "ok@contoso.test", Ct), "nothing half-applied");
    }

    public static TheoryData<string, string> GroupIds() => new()
    {
        { "", "Group object ID is required." },
        { "has space", "object ID" },
        { "ctrl\u0007", "control, invisible or direction-changing characters" },
        { new string('g', 129), "at most 128 characters" },
        { "-leading-hyphen", "object ID" },
    };

    [Theory]
    [MemberData(nameof(GroupIds))]
    public async Task GroupMapping_BadGroupId_Refused(string groupId, string message)
    {
        var ada = await portal.ActorAsync(DemoSignIn.EnterpriseOwner);

        var result = await portal.Get<AddGroupMappingCommand>().ExecuteAsync(ada, "contoso", new AddGroupMappingInput(groupId, MappedRole.EnterpriseOwner, null), Ct);

        Assert.Contains(TestData.MessagesFor(result.Error, nameof(AddGroupMappingInput.GroupId)), m => m.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task GroupMapping_OrganizationRoleWithoutOrganization_AndScimTokenBadNames_Refused()
    {
        var ada = await portal.ActorAsync(DemoSignIn.EnterpriseOwner);

        var noOrganization = await portal.Get<AddGroupMappingCommand>().ExecuteAsync(ada, "contoso", new AddGroupMappingInput(Guid.NewGuid().ToString(), MappedRole.OrganizationMember, null), Ct);
        var emptyName = await portal.Get<CreateScimTokenCommand>().ExecuteAsync(ada, "contoso", new CreateScimTokenInput(" "), Ct);
        var longName = await portal.Get<CreateScimTokenCommand>().ExecuteAsync(ada, "contoso", new CreateScimTokenInput(TooLong), Ct);
        var controlName = await portal.Get<CreateScimTokenCommand>().ExecuteAsync(ada, "contoso", new CreateScimTokenInput("a\u0085b"), Ct);

        Assert.Contains("Choose the organization.", noOrganization.Error!.Message, StringComparison.Ordinal);
        Assert.Contains("Name is required.", emptyName.Error!.Message, StringComparison.Ordinal);
        Assert.Contains("at most 100 characters", longName.Error!.Message, StringComparison.Ordinal);
        Assert.Contains("control, invisible or direction-changing characters", controlName.Error!.Message, StringComparison.Ordinal);
        await using var db = await portal.DbAsync();
        Assert.False(await db.ScimTokens.AnyAsync(Ct));
    }

    [Fact]
    public async Task Rename_BadName_Refused_NameKept()
    {
        var ada = await portal.ActorAsync(DemoSignIn.EnterpriseOwner);
        var id = await portal.OrganizationIdAsync("contoso-data");
        var version = (await portal.Get<ListOrganizationsQuery>().ExecuteAsync(ada, "contoso", new OrganizationListRequest("contoso-data"), Ct)).Value.Items.Single().Version;

        var result = await portal.Get<RenameOrganizationCommand>().ExecuteAsync(ada, "contoso", id, new RenameOrganizationInput("\u202E", version), Ct);

        Assert.Contains(TestData.MessagesFor(result.Error, "Name"), m => m.Contains("control, invisible or direction-changing characters", StringComparison.Ordinal));
        await using var db = await portal.DbAsync();
        Assert.Equal("Contoso Data", await db.Organizations.Where(o => o.Id == id).Select(o => o.Name).SingleAsync(Ct));
    }
}
