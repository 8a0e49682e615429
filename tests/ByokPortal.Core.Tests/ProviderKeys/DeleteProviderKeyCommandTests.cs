using ByokPortal.Core.Access;
using ByokPortal.Core.Audit;
using ByokPortal.Core.Common;
using ByokPortal.Core.CustomModels;
using ByokPortal.Core.Organizations;
using ByokPortal.Core.ProviderKeys;
using ByokPortal.Core.Secrets;
using ByokPortal.Core.Usage;
using ByokPortal.Testing;
using Microsoft.EntityFrameworkCore;

namespace ByokPortal.Core.Tests.ProviderKeys;

/// <summary>Deleting a key: what the confirmation names first, then everything that goes with the key, its secret included.</summary>
public sealed class DeleteProviderKeyCommandTests(PortalFixture fixture) : IClassFixture<PortalFixture>
{
    private static CancellationToken Ct => PortalFixture.Ct;

    private static readonly KeyScope Contoso = KeyScope.Enterprise("contoso");

    /// <summary>A key with "gpt-4o" granted to Contoso Web and Contoso Data and "o3-mini" allowed for all (or chosen for none).</summary>
    private async Task<(ProviderKey Key, CustomModel Granted, CustomModel Other)> KeyInUseAsync(bool otherForAll)
    {
        var ada = await fixture.ActorAsync(DemoSignIn.EnterpriseOwner);
        var added = await fixture.Get<AddProviderKeyCommand>().ExecuteAsync(ada, Contoso,
            TestData.Input(ProviderKind.OpenAI, TestData.UniqueName("Doomed"), TestData.NewCredential(), fixture.StandIn.OpenAIBaseUrl, "gpt-4o", "o3-mini"), Ct);
        Assert.True(added.IsSuccess, added.Error?.Message);
        var web = await fixture.OrganizationIdAsync("contoso-web");
        var data = await fixture.OrganizationIdAsync("contoso-data");
        await using var db = await fixture.DbAsync();
        var key = await db.ProviderKeys.AsNoTracking().SingleAsync(k => k.Id == added.Value.Id, Ct);
        var granted = await db.CustomModels.AsNoTracking().SingleAsync(m => m.ProviderKeyId == key.Id && m.ModelId == "gpt-4o", Ct);
        var other = await db.CustomModels.AsNoTracking().SingleAsync(m => m.ProviderKeyId == key.Id && m.ModelId == "o3-mini", Ct);

        var save = fixture.Get<SaveModelSettingsCommand>();
        var grant = new ModelSettingsInput { Enabled = true, AccessMode = ModelAccessMode.ChoosePerOrganization, ExpectedVersion = granted.Version };
        grant.OrganizationIds.Add(web);
        grant.OrganizationIds.Add(data);
        Assert.True((await save.ExecuteAsync(ada, Contoso, granted.Id, grant, Ct)).IsSuccess);
        if (otherForAll)
        {
            var all = new ModelSettingsInput { Enabled = true, AccessMode = ModelAccessMode.AllOrganizations, ExpectedVersion = other.Version };
            Assert.True((await save.ExecuteAsync(ada, Contoso, other.Id, all, Ct)).IsSuccess);
        }

        // Contoso Web lists the model under "Only select models".
        db.OrganizationModelSettings.Add(new OrganizationModelSetting { OrganizationId = web, CustomModelId = granted.Id, Enabled = true, UpdatedAt = DateTimeOffset.UtcNow });
        await db.SaveChangesAsync(Ct);
        return (key, granted, other);
    }

    [Fact]
    public async Task GetProviderKeyUsage_ModelsGrantedToChosenOrganizations_NamesModelsAndOrganizations()
    {
        var (key, _, _) = await KeyInUseAsync(otherForAll: false);
        var ada = await fixture.ActorAsync(DemoSignIn.EnterpriseOwner);

        var usage = await fixture.Get<GetProviderKeyUsageQuery>().ExecuteAsync(ada, Contoso, key.Id, Ct);

        Assert.True(usage.IsSuccess, usage.Error?.Message);
        Assert.Equal(key.Name, usage.Value.KeyName);
        Assert.Equal(["gpt-4o", "o3-mini"], usage.Value.Models);
        Assert.False(usage.Value.AllOrganizationsLoseAccess);
        Assert.Equal(["Contoso Data", "Contoso Web"], usage.Value.Organizations);
        Assert.Empty(usage.Value.ApiKeys);
    }

    [Fact]
    public async Task GetProviderKeyUsage_OrganizationKey_NamesTheApiKeysItIsAssignedTo_AndCountsOnlyTheLast7DaysOfUse()
    {
        var oscar = await fixture.ActorAsync(DemoSignIn.WebOwner);
        var web = KeyScope.Organization("contoso-web");
        var apiKeyName = TestData.UniqueName("deploy-bot");
        var issued = await fixture.Get<ByokPortal.Core.ApiKeys.IssueApiKeyCommand>().ExecuteAsync(oscar, "contoso-web", new ByokPortal.Core.ApiKeys.IssueApiKeyInput { Name = apiKeyName }, Ct);
        Assert.True(issued.IsSuccess, issued.Error?.Message);
        var input = TestData.Input(ProviderKind.OpenAI, TestData.UniqueName("Assigned"), TestData.NewCredential(), fixture.StandIn.OpenAIBaseUrl, "gpt-4o")
            with { AssignToEntireOrganization = false, ApiKeyIds = [issued.Value.Id] };
        var added = await fixture.Get<AddProviderKeyCommand>().ExecuteAsync(oscar, web, input, Ct);
        Assert.True(added.IsSuccess, added.Error?.Message);
        var now = DateTimeOffset.UtcNow;
        await using (var db = await fixture.DbAsync())
        {
            var organization = await db.Organizations.AsNoTracking().SingleAsync(o => o.Slug == "contoso-web", Ct);
            UsageRecord Use(TimeSpan ago, int status, int? tokens) => new()
            {
                OccurredAt = now - ago, Hour = UsageRecord.HourOf(now - ago), EnterpriseId = organization.EnterpriseId, OrganizationId = organization.Id,
                ApiKeyId = issued.Value.Id, ProviderKeyId = added.Value.Id, ModelId = "gpt-4o", Operation = UsageOperation.ChatCompletions,
                StatusCode = status, PromptTokens = tokens, CompletionTokens = tokens,
            };
            await db.AppendUsageAsync([Use(TimeSpan.FromHours(1), 200, 10), Use(TimeSpan.FromDays(6), 500, null), Use(TimeSpan.FromDays(8), 200, 1000)], Ct);
        }

        var usage = await fixture.Get<GetProviderKeyUsageQuery>().ExecuteAsync(oscar, web, added.Value.Id, Ct);

        Assert.True(usage.IsSuccess, usage.Error?.Message);
        Assert.Equal([apiKeyName], usage.Value.ApiKeys);
        Assert.Equal(new UsageLastWeek(2, 1, 20), usage.Value.Usage); // the call 8 days ago is not counted
    }

    [Fact]
    public async Task GetProviderKeyUsage_AModelAllowedForAll_SaysAllOrganizationsLoseAccess()
    {
        var (key, _, _) = await KeyInUseAsync(otherForAll: true);
        var ada = await fixture.ActorAsync(DemoSignIn.EnterpriseOwner);

        var usage = await fixture.Get<GetProviderKeyUsageQuery>().ExecuteAsync(ada, Contoso, key.Id, Ct);

        Assert.True(usage.Value.AllOrganizationsLoseAccess);
        Assert.Equal(["gpt-4o", "o3-mini"], usage.Value.Models);
    }

    [Fact]
    public async Task GetProviderKeyUsage_NotAnEnterpriseOwner_IsNotFound()
    {
        var (key, _, _) = await KeyInUseAsync(otherForAll: false);
        var mia = await fixture.ActorAsync(DemoSignIn.WebMember);

        var usage = await fixture.Get<GetProviderKeyUsageQuery>().ExecuteAsync(mia, Contoso, key.Id, Ct);

        Assert.IsType<NotFoundError>(usage.Error);
    }

    [Fact]
    public async Task ExecuteAsync_KeyInUse_RemovesModelsGrantsSettingsAndSecretAndAudits()
    {
        var (key, granted, other) = await KeyInUseAsync(otherForAll: true);
        var ada = await fixture.ActorAsync(DemoSignIn.EnterpriseOwner);
        var modelIds = new[] { granted.Id, other.Id };
        await using (var db = await fixture.DbAsync())
        {
            Assert.Equal(2, await db.ModelAccessGrants.CountAsync(g => modelIds.Contains(g.CustomModelId), Ct));
            Assert.Equal(1, await db.OrganizationModelSettings.CountAsync(s => modelIds.Contains(s.CustomModelId), Ct));
        }

        var result = await fixture.Get<DeleteProviderKeyCommand>().ExecuteAsync(ada, Contoso, key.Id, Ct);

        Assert.True(result.IsSuccess, result.Error?.Message);
        await using (var db = await fixture.DbAsync())
        {
            Assert.False(await db.ProviderKeys.AnyAsync(k => k.Id == key.Id, Ct), "the key row is still there");
            Assert.False(await db.CustomModels.AnyAsync(m => m.ProviderKeyId == key.Id, Ct), "its models are still there");
            Assert.False(await db.ModelAccessGrants.AnyAsync(g => modelIds.Contains(g.CustomModelId), Ct), "its models' grants are still there");
            Assert.False(await db.OrganizationModelSettings.AnyAsync(s => modelIds.Contains(s.CustomModelId), Ct), "organization settings of its models are still there");
            var deleted = (await TestData.AuditEventsForAsync(db, key.Id.ToString(), Ct)).Last();
            Assert.Equal(AuditActions.ProviderKeyDelete, deleted.Action);
            Assert.Equal(AuditOutcome.Succeeded, deleted.Outcome);
            Assert.Equal(key.Name, deleted.TargetName);
            Assert.Contains("o3-mini", deleted.Details, StringComparison.Ordinal);
            Assert.Contains("\"accessGrantsRemoved\":2", deleted.Details, StringComparison.Ordinal);
        }

        await Assert.ThrowsAsync<SecretNotFoundException>(() => fixture.Get<ISecretStore>().GetAsync(key.SecretReference!, Ct));
        Assert.DoesNotContain(key.SecretName!, fixture.SecretFolders());

        var models = await fixture.Get<ListCustomModelsQuery>().ExecuteAsync(ada, Contoso, Ct);
        Assert.DoesNotContain(models.Value.Models, m => m.KeyId == key.Id);
    }

    [Fact]
    public async Task ExecuteAsync_KeyAlreadyDeleted_IsNotFound()
    {
        var (key, _, _) = await KeyInUseAsync(otherForAll: false);
        var ada = await fixture.ActorAsync(DemoSignIn.EnterpriseOwner);
        var delete = fixture.Get<DeleteProviderKeyCommand>();
        Assert.True((await delete.ExecuteAsync(ada, Contoso, key.Id, Ct)).IsSuccess);

        var again = await delete.ExecuteAsync(ada, Contoso, key.Id, Ct);

        Assert.Equal("This API key no longer exists.", Assert.IsType<NotFoundError>(again.Error).Message);
    }

    [Theory]
    [InlineData(DemoSignIn.WebMember, "enterprise", typeof(NotFoundError))]
    [InlineData(DemoSignIn.WebOwner, "enterprise", typeof(NotFoundError))]
    [InlineData(DemoSignIn.WebOwner, "contoso-web", typeof(NotFoundError))]
    [InlineData(DemoSignIn.WebMember, "contoso-web", typeof(ForbiddenError))]
    public async Task ExecuteAsync_NotAnOwnerOfTheKey_KeepsEverythingAndAuditsTheAttempt(string who, string where, Type expected)
    {
        var (key, granted, _) = await KeyInUseAsync(otherForAll: false);
        var actor = await fixture.ActorAsync(who);

        var result = await fixture.Get<DeleteProviderKeyCommand>().ExecuteAsync(actor, where == "enterprise" ? Contoso : KeyScope.Organization(where), key.Id, Ct);

        Assert.IsType(expected, result.Error);
        await using var db = await fixture.DbAsync();
        Assert.True(await db.ProviderKeys.AnyAsync(k => k.Id == key.Id, Ct), "the key was deleted");
        Assert.Equal(2, await db.ModelAccessGrants.CountAsync(g => g.CustomModelId == granted.Id, Ct));
        Assert.Contains(key.SecretName!, fixture.SecretFolders());
        if (expected == typeof(ForbiddenError) || where == "enterprise")
        {
            var denied = await db.AuditEvents.AsNoTracking().OrderByDescending(e => e.Id).FirstAsync(Ct);
            Assert.Equal((AuditActions.ProviderKeyDelete, AuditOutcome.Denied, actor.PersonId), (denied.Action, denied.Outcome, denied.ActorId));
        }
    }
}
