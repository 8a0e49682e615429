using ByokPortal.Core.CustomModels;
using ByokPortal.Core.Organizations;
using ByokPortal.Testing;
using Microsoft.EntityFrameworkCore;

namespace ByokPortal.Core.Tests.Organizations;

/// <summary>
/// An archived organization is not offered where an owner gives something to organizations (a model's "Choose per organization"
/// list, the role and group mapping pickers), and none is given to it; what it already had is kept for a restore. The audit log's
/// filter still finds it, marked archived.
/// </summary>
public sealed class ArchivedOrganizationChoicesTests(PortalFixture portal) : IClassFixture<PortalFixture>
{
    private static CancellationToken Ct => PortalFixture.Ct;

    private readonly PortalSteps _steps = new(portal);

    [Fact]
    public async Task ModelAccess_ArchivedOrganization_NotListedNotGrantable_AndItsGrantSurvivesASaveWithoutIt()
    {
        var enterprise = await TestEnterprise.CreateAsync(portal);
        var ada = await portal.ActorAsync(DemoSignIn.EnterpriseOwner);
        var (_, models) = await _steps.AddKeyAsync(ada, enterprise.EnterpriseScope, TestData.UniqueName("Enterprise key"), null, "gpt-chosen", "gpt-later");
        await _steps.SaveModelSettingsAsync(ada, enterprise.EnterpriseScope, models["gpt-chosen"], true, ModelAccessMode.ChoosePerOrganization, enterprise.OrganizationId, enterprise.SiblingId);
        Assert.True((await portal.Get<ArchiveOrganizationCommand>().ExecuteAsync(ada, enterprise.Slug, enterprise.SiblingId, Ct)).IsSuccess);

        var settings = (await portal.Get<GetModelSettingsQuery>().ExecuteAsync(ada, enterprise.EnterpriseScope, models["gpt-chosen"], Ct)).Value;

        Assert.Equal([enterprise.OrganizationId], settings.Organizations.Select(o => o.Id));
        Assert.Equal([enterprise.OrganizationId], settings.GrantedOrganizationIds);

        // What the dialog sends back (it never saw the archived organization): the archived one's grant stays.
        await _steps.SaveModelSettingsAsync(ada, enterprise.EnterpriseScope, models["gpt-chosen"], true, ModelAccessMode.ChoosePerOrganization, enterprise.OrganizationId);
        Assert.True(await GrantedAsync(models["gpt-chosen"], enterprise.SiblingId), "saving without the archived organization took its grant");

        // A grant to the archived organization is refused, and nothing of that save is kept.
        var loaded = (await portal.Get<GetModelSettingsQuery>().ExecuteAsync(ada, enterprise.EnterpriseScope, models["gpt-later"], Ct)).Value;
        var input = new ModelSettingsInput { Enabled = true, AccessMode = ModelAccessMode.ChoosePerOrganization, ExpectedVersion = loaded.Version };
        input.OrganizationIds.Add(enterprise.SiblingId);
        var refused = await portal.Get<SaveModelSettingsCommand>().ExecuteAsync(ada, enterprise.EnterpriseScope, models["gpt-later"], input, Ct);
        Assert.Contains("archived", Assert.IsType<Common.ValidationError>(refused.Error).Message, StringComparison.Ordinal);
        Assert.False(await GrantedAsync(models["gpt-later"], enterprise.SiblingId));

        // Restored, it is offered again with its grant.
        Assert.True((await portal.Get<RestoreOrganizationCommand>().ExecuteAsync(ada, enterprise.Slug, enterprise.SiblingId, Ct)).IsSuccess);
        var restored = (await portal.Get<GetModelSettingsQuery>().ExecuteAsync(ada, enterprise.EnterpriseScope, models["gpt-chosen"], Ct)).Value;
        Assert.Contains(enterprise.SiblingId, restored.GrantedOrganizationIds);
    }

    [Fact]
    public async Task SearchOrganizations_PickersLeaveArchivedOut_TheAuditFilterMarksThem()
    {
        var enterprise = await TestEnterprise.CreateAsync(portal);
        var ada = await portal.ActorAsync(DemoSignIn.EnterpriseOwner);
        Assert.True((await portal.Get<ArchiveOrganizationCommand>().ExecuteAsync(ada, enterprise.Slug, enterprise.SiblingId, Ct)).IsSuccess);
        var search = portal.Get<SearchOrganizationsQuery>();

        var picker = (await search.ExecuteAsync(ada, enterprise.Slug, "northwind", 20, includeArchived: false, Ct)).Value;
        var filter = (await search.ExecuteAsync(ada, enterprise.Slug, "northwind", 20, includeArchived: true, Ct)).Value;

        Assert.Equal([enterprise.OrganizationSlug], picker.Select(o => o.Slug));
        Assert.Equal(
            [(enterprise.SiblingSlug, true), (enterprise.OrganizationSlug, false)],
            filter.Select(o => (o.Slug, o.Archived)).OrderBy(o => o.Slug, StringComparer.Ordinal));
    }

    private async Task<bool> GrantedAsync(Guid modelId, Guid organizationId)
    {
        await using var db = await portal.DbAsync();
        return await db.ModelAccessGrants.AnyAsync(g => g.CustomModelId == modelId && g.OrganizationId == organizationId, Ct);
    }
}
