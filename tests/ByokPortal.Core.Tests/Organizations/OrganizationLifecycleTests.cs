using ByokPortal.Core.Access;
using ByokPortal.Core.ApiKeys;
using ByokPortal.Core.Audit;
using ByokPortal.Core.Availability;
using ByokPortal.Core.Common;
using ByokPortal.Core.CustomModels;
using ByokPortal.Core.Organizations;
using ByokPortal.Core.People;
using ByokPortal.Core.Workspace;
using ByokPortal.Testing;
using Microsoft.EntityFrameworkCore;

namespace ByokPortal.Core.Tests.Organizations;

/// <summary>Issue 10: an organization's life (create, rename, archive, restore, delete) through the real use cases and a real SQLite file.</summary>
public sealed class OrganizationLifecycleTests(PortalFixture portal) : IClassFixture<PortalFixture>
{
    private static CancellationToken Ct => PortalFixture.Ct;

    private readonly PortalSteps _steps = new(portal);

    private async Task<OrganizationCreated> CreateAsync(Actor owner, TestEnterprise enterprise, string name)
    {
        var slug = Slug.Suggest(name);
        var created = await portal.Get<CreateOrganizationCommand>().ExecuteAsync(owner, enterprise.Slug, new CreateOrganizationInput(name, slug), Ct);
        Assert.True(created.IsSuccess, created.Error?.Message);
        return created.Value;
    }

    [Fact]
    public async Task NewOrganization_ReceivesModelsAllowedForAll_AndNothingGrantedToOthers()
    {
        var enterprise = await TestEnterprise.CreateAsync(portal);
        var ada = await portal.ActorAsync(DemoSignIn.EnterpriseOwner);
        var (_, models) = await _steps.AddKeyAsync(ada, enterprise.EnterpriseScope, TestData.UniqueName("Enterprise key"), null, "gpt-for-all", "gpt-chosen");
        await _steps.SaveModelSettingsAsync(ada, enterprise.EnterpriseScope, models["gpt-for-all"], true, ModelAccessMode.AllOrganizations);
        await _steps.SaveModelSettingsAsync(ada, enterprise.EnterpriseScope, models["gpt-chosen"], true, ModelAccessMode.ChoosePerOrganization, enterprise.OrganizationId);

        var created = await CreateAsync(ada, enterprise, $"Contoso Labs {Guid.NewGuid():N}"[..30]);

        var picker = await _steps.PickerAsync(ada, created.Slug);
        Assert.Equal(["gpt-for-all"], picker.Select(m => m.ModelId));
        var list = await portal.Get<ListOrganizationsQuery>().ExecuteAsync(ada, enterprise.Slug, new OrganizationListRequest(created.Slug), Ct);
        var row = Assert.Single(list.Value.Items);
        Assert.Equal((0, 0, 1), (row.Owners, row.Members, row.Models));
        await using var db = await portal.DbAsync();
        var audit = Assert.Single(await TestData.AuditEventsForAsync(db, created.Id.ToString(), Ct));
        Assert.Equal((AuditActions.OrganizationCreate, DemoSignIn.EnterpriseOwner), (audit.Action, audit.ActorName));
    }

    [Fact]
    public async Task Rename_KeepsSlug_AndStaleVersionConflicts()
    {
        var enterprise = await TestEnterprise.CreateAsync(portal);
        var ada = await portal.ActorAsync(DemoSignIn.EnterpriseOwner);
        var created = await CreateAsync(ada, enterprise, "Rename Me " + Guid.NewGuid().ToString("N")[..6]);
        var row = (await portal.Get<ListOrganizationsQuery>().ExecuteAsync(ada, enterprise.Slug, new OrganizationListRequest(created.Slug), Ct)).Value.Items.Single();

        var renamed = await portal.Get<RenameOrganizationCommand>().ExecuteAsync(ada, enterprise.Slug, created.Id, new RenameOrganizationInput("  Renamed Org  ", row.Version), Ct);
        var stale = await portal.Get<RenameOrganizationCommand>().ExecuteAsync(ada, enterprise.Slug, created.Id, new RenameOrganizationInput("Other", row.Version), Ct);

        Assert.True(renamed.IsSuccess, renamed.Error?.Message);
        Assert.Equal(("Renamed Org", created.Slug), (renamed.Value.Name, renamed.Value.Slug));
        Assert.IsType<ConflictError>(stale.Error);
        await using var db = await portal.DbAsync();
        Assert.Equal("Renamed Org", await db.Organizations.Where(o => o.Id == created.Id).Select(o => o.Name).SingleAsync(Ct));
    }

    [Fact]
    public async Task Archive_TakesAccessApiKeysAndModelsAway_RestoreGivesThemBack()
    {
        var enterprise = await TestEnterprise.CreateAsync(portal);
        var ada = await portal.ActorAsync(DemoSignIn.EnterpriseOwner);
        var oscar = await portal.ActorAsync(DemoSignIn.WebOwner);
        var (_, models) = await _steps.AddKeyAsync(ada, enterprise.EnterpriseScope, TestData.UniqueName("Key"), null, "gpt-archived");
        await _steps.SaveModelSettingsAsync(ada, enterprise.EnterpriseScope, models["gpt-archived"], true, ModelAccessMode.AllOrganizations);
        var apiKey = await _steps.IssueApiKeyAsync(oscar, enterprise.OrganizationSlug, "support-bot");
        var archived = await portal.Get<ArchiveOrganizationCommand>().ExecuteAsync(ada, enterprise.Slug, enterprise.OrganizationId, Ct);

        Assert.True(archived.IsSuccess, archived.Error?.Message);
        Assert.Empty(await _steps.ForApiKeyAsync(enterprise.OrganizationId, apiKey.Id));
        Assert.IsType<NotFoundError>((await portal.Get<GetModelPickerQuery>().ExecuteAsync(oscar, enterprise.OrganizationSlug, Ct)).Error);
        Assert.IsType<NotFoundError>((await portal.Get<IssueApiKeyCommand>().ExecuteAsync(oscar, enterprise.OrganizationSlug, new IssueApiKeyInput { Name = "x" }, Ct)).Error);
        await using (var db = await portal.DbAsync())
        {
            Assert.Equal(OrganizationAccess.None, await db.GetOrganizationAccessBySlugAsync(ada.PersonId, enterprise.OrganizationSlug, Ct));
            Assert.True(await db.OrganizationMemberships.AnyAsync(m => m.OrganizationId == enterprise.OrganizationId, Ct), "roles are kept");
        }

        var workspace = await portal.Get<GetWorkspaceQuery>().ExecuteAsync(oscar.PersonId, Ct);
        Assert.DoesNotContain(workspace!.Organizations, o => o.Id == enterprise.OrganizationId);

        var taken = await portal.Get<CreateOrganizationCommand>().ExecuteAsync(ada, enterprise.Slug, new CreateOrganizationInput("Again", enterprise.OrganizationSlug), Ct);
        Assert.Contains("archived organization", Assert.IsType<ValidationError>(taken.Error).Message, StringComparison.Ordinal);

        var restored = await portal.Get<RestoreOrganizationCommand>().ExecuteAsync(ada, enterprise.Slug, enterprise.OrganizationId, Ct);
        Assert.True(restored.IsSuccess, restored.Error?.Message);
        Assert.Equal(["gpt-archived"], (await _steps.PickerAsync(oscar, enterprise.OrganizationSlug)).Select(m => m.ModelId));
    }

    [Fact]
    public async Task Delete_OnlyArchived_WithTypedSlug_RemovesEverythingThatBelongsToIt()
    {
        var enterprise = await TestEnterprise.CreateAsync(portal);
        var ada = await portal.ActorAsync(DemoSignIn.EnterpriseOwner);
        var oscar = await portal.ActorAsync(DemoSignIn.WebOwner);
        var (_, enterpriseModels) = await _steps.AddKeyAsync(ada, enterprise.EnterpriseScope, TestData.UniqueName("Key"), null, "gpt-granted");
        await _steps.SaveModelSettingsAsync(ada, enterprise.EnterpriseScope, enterpriseModels["gpt-granted"], true, ModelAccessMode.ChoosePerOrganization, enterprise.OrganizationId, enterprise.SiblingId);
        var apiKey = await _steps.IssueApiKeyAsync(oscar, enterprise.OrganizationSlug, "app");
        var (organizationKeyId, _) = await _steps.AddKeyAsync(oscar, enterprise.OrganizationScope, TestData.UniqueName("Org key"), [apiKey.Id], "org-model");
        var secretsBefore = portal.SecretFolders().Count;
        var delete = portal.Get<DeleteOrganizationCommand>();

        var notArchived = await delete.ExecuteAsync(ada, enterprise.Slug, enterprise.OrganizationId, enterprise.OrganizationSlug, Ct);
        Assert.Contains("Archive the organization", Assert.IsType<ValidationError>(notArchived.Error).Message, StringComparison.Ordinal);
        Assert.True((await portal.Get<ArchiveOrganizationCommand>().ExecuteAsync(ada, enterprise.Slug, enterprise.OrganizationId, Ct)).IsSuccess);
        var preview = await portal.Get<GetOrganizationDeletionQuery>().ExecuteAsync(ada, enterprise.Slug, enterprise.OrganizationId, Ct);
        Assert.Equal((1, 1, 1, 1, 2), (preview.Value.ProviderKeys, preview.Value.Models, preview.Value.ApiKeys, preview.Value.Grants, preview.Value.Roles));
        var wrongSlug = await delete.ExecuteAsync(ada, enterprise.Slug, enterprise.OrganizationId, "not-the-slug", Ct);
        Assert.IsType<ValidationError>(wrongSlug.Error);
        var byOwner = await delete.ExecuteAsync(oscar, enterprise.Slug, enterprise.OrganizationId, enterprise.OrganizationSlug, Ct);
        Assert.IsType<NotFoundError>(byOwner.Error);

        var deleted = await delete.ExecuteAsync(ada, enterprise.Slug, enterprise.OrganizationId, enterprise.OrganizationSlug, Ct);

        Assert.True(deleted.IsSuccess, deleted.Error?.Message);
        await using var db = await portal.DbAsync();
        Assert.False(await db.Organizations.AnyAsync(o => o.Id == enterprise.OrganizationId, Ct));
        Assert.False(await db.ProviderKeys.AnyAsync(k => k.Id == organizationKeyId, Ct));
        Assert.False(await db.OrganizationApiKeys.AnyAsync(k => k.OrganizationId == enterprise.OrganizationId, Ct));
        Assert.False(await db.ModelAccessGrants.AnyAsync(g => g.OrganizationId == enterprise.OrganizationId, Ct));
        Assert.True(await db.ModelAccessGrants.AnyAsync(g => g.OrganizationId == enterprise.SiblingId, Ct), "the sibling's grant stays");
        Assert.False(await db.OrganizationMemberships.AnyAsync(m => m.OrganizationId == enterprise.OrganizationId, Ct));
        Assert.Equal(secretsBefore - 1, portal.SecretFolders().Count);
        Assert.Contains(await db.AuditEvents.AsNoTracking().Where(e => e.Action == AuditActions.OrganizationDelete).Select(e => e.TargetName).ToListAsync(Ct),
            n => n == enterprise.OrganizationSlug);
        var reused = await portal.Get<CreateOrganizationCommand>().ExecuteAsync(ada, enterprise.Slug, new CreateOrganizationInput("Reused", enterprise.OrganizationSlug), Ct);
        Assert.True(reused.IsSuccess, "a deleted organization's slug is free again");
    }

    [Fact]
    public async Task OrganizationUseCases_RefuseEveryoneButEnterpriseOwners()
    {
        var enterprise = await TestEnterprise.CreateAsync(portal);
        foreach (var email in new[] { DemoSignIn.WebOwner, DemoSignIn.WebMember, DemoSignIn.DataOwner })
        {
            var actor = await portal.ActorAsync(email);
            Assert.IsType<NotFoundError>((await portal.Get<CreateOrganizationCommand>().ExecuteAsync(actor, enterprise.Slug, new CreateOrganizationInput("X", "x-" + Guid.NewGuid().ToString("N")[..6]), Ct)).Error);
            Assert.IsType<NotFoundError>((await portal.Get<ArchiveOrganizationCommand>().ExecuteAsync(actor, enterprise.Slug, enterprise.OrganizationId, Ct)).Error);
            Assert.IsType<NotFoundError>((await portal.Get<ListOrganizationsQuery>().ExecuteAsync(actor, enterprise.Slug, new OrganizationListRequest(), Ct)).Error);
        }

        await using var db = await portal.DbAsync();
        Assert.False(await db.Organizations.AnyAsync(o => o.Id == enterprise.OrganizationId && o.ArchivedAt != null, Ct));
    }

    [Fact]
    public async Task List_SearchesSortsAndPagesInTheDatabase()
    {
        var enterprise = await TestEnterprise.CreateAsync(portal);
        var ada = await portal.ActorAsync(DemoSignIn.EnterpriseOwner);
        for (var i = 0; i < 12; i++)
        {
            await CreateAsync(ada, enterprise, $"Paged {i:00} {enterprise.Slug[^8..]}");
        }

        var query = portal.Get<ListOrganizationsQuery>();
        var first = await query.ExecuteAsync(ada, enterprise.Slug, new OrganizationListRequest("Paged", Sort: OrganizationSort.Name, Page: 0, PageSize: 5), Ct);
        var last = await query.ExecuteAsync(ada, enterprise.Slug, new OrganizationListRequest("Paged", Sort: OrganizationSort.Name, Page: 2, PageSize: 5), Ct);
        var byOwners = await query.ExecuteAsync(ada, enterprise.Slug, new OrganizationListRequest(null, Sort: OrganizationSort.Owners, Descending: true, PageSize: 1), Ct);

        Assert.Equal(12, first.Value.TotalCount);
        Assert.Equal(["00", "01", "02", "03", "04"], first.Value.Items.Select(o => o.Name[6..8]));
        Assert.Equal(["10", "11"], last.Value.Items.Select(o => o.Name[6..8]));
        Assert.Equal(1, byOwners.Value.Items.Single().Owners);
    }
}
