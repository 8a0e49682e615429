using ByokPortal.Core.Access;
using ByokPortal.Core.ApiKeys;
using ByokPortal.Core.Common;
using ByokPortal.Core.CustomModels;
using ByokPortal.Core.Enterprises;
using ByokPortal.Core.Organizations;
using ByokPortal.Core.People;
using ByokPortal.Core.Identity;
using ByokPortal.Core.ProviderKeys;
using ByokPortal.Core.Scim;
using ByokPortal.Core.Sessions;
using ByokPortal.Testing;
using Microsoft.EntityFrameworkCore;

namespace ByokPortal.Core.Tests.Availability;

/// <summary>
/// Every command of the portal, run for real: the ones that change what an organization may use (keys, models, grants, Enabled, Models
/// permissions, the enterprise policy, assignments, API keys, organizations) renew the enterprise's policy version — the runtime's signal
/// that its snapshot is stale — and the others leave it alone. A command missing from <see cref="Cases"/> fails
/// <see cref="EveryCommand_IsInTheTable"/>.
/// </summary>
public sealed class PolicyVersionTests(PortalFixture fixture) : IClassFixture<PortalFixture>
{
    private static CancellationToken Ct => PortalFixture.Ct;

    private readonly PortalSteps _steps = new(fixture);

    private PortalFixture Fixture => fixture;

    /// <summary>A command, whether it changes policy, and how to set up one real run of it (the returned action is the measured run).</summary>
    public sealed record CommandCase(Type Command, bool ChangesPolicy, Func<PolicyVersionTests, Task<Func<Task>>> Arrange)
    {
        public override string ToString() => Command.Name;
    }

    private static readonly KeyScope Contoso = KeyScope.Enterprise("contoso");
    private static readonly KeyScope Web = KeyScope.Organization("contoso-web");

    public static readonly IReadOnlyList<CommandCase> Cases =
    [
        new(typeof(AddProviderKeyCommand), true, async t =>
        {
            var ada = await t.AdaAsync();
            return () => t._steps.AddKeyAsync(ada, Contoso, TestData.UniqueName("Added"), null, "gpt-4o");
        }),
        new(typeof(UpdateProviderKeyCommand), true, async t =>
        {
            var (ada, keyId) = await t.EnterpriseKeyAsync();
            return async () =>
            {
                var row = (await t.Fixture.Get<ListProviderKeysQuery>().ExecuteAsync(ada, Contoso, Ct)).Value.Keys.Single(k => k.Id == keyId);
                var input = new ProviderKeyInput { Name = TestData.UniqueName("Renamed"), BaseUrl = row.BaseUrl };
                Assert.True((await t.Fixture.Get<UpdateProviderKeyCommand>().ExecuteAsync(ada, Contoso, keyId, row.Version, input, Ct)).IsSuccess);
            };
        }),
        new(typeof(DeleteProviderKeyCommand), true, async t =>
        {
            var (ada, keyId) = await t.EnterpriseKeyAsync();
            return async () => Assert.True((await t.Fixture.Get<DeleteProviderKeyCommand>().ExecuteAsync(ada, Contoso, keyId, Ct)).IsSuccess);
        }),
        new(typeof(TestProviderKeyCommand), true, async t =>
        {
            // A test that changes the key's status (failing → working); one that finds it as it was changes nothing (below).
            var (ada, keyId) = await t.EnterpriseKeyAsync();
            await t.SetAsync(keyId, k => k.LastTestStatus = CredentialTestStatus.Failed);
            return async () => Assert.True((await t.Fixture.Get<TestProviderKeyCommand>().ExecuteAsync(ada, Contoso, keyId, Ct)).IsSuccess);
        }),
        new(typeof(RecordProviderRefusalCommand), true, async t =>
        {
            var (_, keyId) = await t.EnterpriseKeyAsync();
            return async () => Assert.True((await t.Fixture.Get<RecordProviderRefusalCommand>().ExecuteAsync(Actor.System, keyId, 401, Ct)).IsSuccess);
        }),
        new(typeof(RotateProviderKeyCommand), true, async t =>
        {
            var (ada, keyId) = await t.EnterpriseKeyAsync();
            return async () =>
            {
                var row = (await t.Fixture.Get<ListProviderKeysQuery>().ExecuteAsync(ada, Contoso, Ct)).Value.Keys.Single(k => k.Id == keyId);
                var rotated = await t.Fixture.Get<RotateProviderKeyCommand>().ExecuteAsync(ada, Contoso, keyId, row.Version,
                    new RotateProviderKeyInput { Credential = t.Fixture.StandIn.AcceptedKey }, Ct);
                Assert.True(rotated.IsSuccess, rotated.Error?.Message);
            };
        }),
        new(typeof(CheckProviderKeysHealthCommand), true, async t =>
        {
            var (_, keyId) = await t.EnterpriseKeyAsync();
            await t.SetAsync(keyId, k => (k.RecheckRequestedAt, k.LastTestStatus) = (DateTimeOffset.UtcNow.AddHours(-1), CredentialTestStatus.Failed));
            return async () => Assert.True(await t.Fixture.Get<CheckProviderKeysHealthCommand>().ExecuteAsync(Ct) > 0);
        }),
        new(typeof(RetireRotatedVersionsCommand), true, async t =>
        {
            var (ada, keyId) = await t.EnterpriseKeyAsync();
            var row = (await t.Fixture.Get<ListProviderKeysQuery>().ExecuteAsync(ada, Contoso, Ct)).Value.Keys.Single(k => k.Id == keyId);
            Assert.True((await t.Fixture.Get<RotateProviderKeyCommand>().ExecuteAsync(ada, Contoso, keyId, row.Version,
                new RotateProviderKeyInput { Credential = t.Fixture.StandIn.AcceptedKey }, Ct)).IsSuccess);
            await t.SetAsync(keyId, k => k.PreviousSecretRetiresAt = DateTimeOffset.UtcNow.AddMinutes(-1));
            return async () => Assert.True(await t.Fixture.Get<RetireRotatedVersionsCommand>().ExecuteAsync(Ct) > 0);
        }),
        new(typeof(AssignProviderKeyCommand), true, async t =>
        {
            var ada = await t.AdaAsync();
            var apiKey = await t._steps.IssueApiKeyAsync(ada, "contoso-web", TestData.UniqueName("app"));
            var (keyId, _) = await t._steps.AddKeyAsync(ada, Web, TestData.UniqueName("Team"), null, "gpt-4o");
            return async () =>
            {
                var row = (await t.Fixture.Get<ListProviderKeysQuery>().ExecuteAsync(ada, Web, Ct)).Value.Keys.Single(k => k.Id == keyId);
                Assert.True((await t.Fixture.Get<AssignProviderKeyCommand>().ExecuteAsync(ada, "contoso-web", keyId, false, [apiKey.Id], row.Version, Ct)).IsSuccess);
            };
        }),
        new(typeof(SaveModelSettingsCommand), true, async t =>
        {
            var ada = await t.AdaAsync();
            var (_, models) = await t._steps.AddKeyAsync(ada, Contoso, TestData.UniqueName("Settings"), null, "gpt-4o");
            return () => t._steps.SaveModelSettingsAsync(ada, Contoso, models["gpt-4o"], enabled: false, ModelAccessMode.ChoosePerOrganization);
        }),
        new(typeof(SaveModelsPermissionsCommand), true, async t =>
        {
            var ada = await t.AdaAsync();
            await t._steps.SaveModelsPermissionsAsync(ada, "contoso-research", ModelsPermission.AllPublishers);
            return () => t._steps.SaveModelsPermissionsAsync(ada, "contoso-research", ModelsPermission.OnlySelectModels);
        }),
        new(typeof(SaveEnterprisePoliciesCommand), true, async t =>
        {
            var ada = await t.AdaAsync();
            return async () =>
            {
                await t._steps.SetOrganizationKeysAllowedAsync(ada, "contoso", false);
                await t._steps.SetOrganizationKeysAllowedAsync(ada, "contoso", true);
            };
        }),
        new(typeof(IssueApiKeyCommand), true, async t =>
        {
            var ada = await t.AdaAsync();
            return () => t._steps.IssueApiKeyAsync(ada, "contoso-web", TestData.UniqueName("app"));
        }),
        new(typeof(RevokeApiKeyCommand), true, async t =>
        {
            var ada = await t.AdaAsync();
            var apiKey = await t._steps.IssueApiKeyAsync(ada, "contoso-web", TestData.UniqueName("app"));
            return async () => Assert.True((await t.Fixture.Get<RevokeApiKeyCommand>().ExecuteAsync(ada, "contoso-web", apiKey.Id, Ct)).IsSuccess);
        }),
        new(typeof(SetApiKeyRateLimitCommand), true, async t =>
        {
            var ada = await t.AdaAsync();
            var apiKey = await t._steps.IssueApiKeyAsync(ada, "contoso-web", TestData.UniqueName("app"));
            return async () =>
            {
                await using var db = await t.Fixture.DbAsync();
                var version = await db.OrganizationApiKeys.Where(k => k.Id == apiKey.Id).Select(k => k.Version).SingleAsync(Ct);
                var set = await t.Fixture.Get<SetApiKeyRateLimitCommand>().ExecuteAsync(ada, "contoso-web", apiKey.Id, new SetApiKeyRateLimitInput("42", version), Ct);
                Assert.True(set.IsSuccess, set.Error?.Message);
            };
        }),
        new(typeof(Core.Secrets.SweepOrphanSecretsCommand), false, t => Task.FromResult<Func<Task>>(() =>
            t.Fixture.Get<Core.Secrets.SweepOrphanSecretsCommand>().ExecuteAsync(Ct))),
        new(typeof(SignInPersonCommand), false, t => Task.FromResult<Func<Task>>(async () =>
        {
            var signedIn = await t.Fixture.Get<SignInPersonCommand>().ExecuteAsync(new ExternalIdentity(DemoSignIn.WebMember, null, null, null), SignInMethod.Demo, Ct);
            Assert.True(signedIn.IsSuccess, signedIn.Error?.Message);
        })),
        new(typeof(EndSessionCommand), false, async t =>
        {
            var signedIn = await t.Fixture.Get<SignInPersonCommand>().ExecuteAsync(new ExternalIdentity(DemoSignIn.WebMember, null, null, null), SignInMethod.Demo, Ct);
            var actor = new Actor(signedIn.Value.PersonId, signedIn.Value.Email, null);
            return async () => Assert.True((await t.Fixture.Get<EndSessionCommand>().ExecuteAsync(actor, signedIn.Value.SessionId, Ct)).IsSuccess);
        }),
        new(typeof(DisablePersonCommand), false, async t =>
        {
            var ada = await t.AdaAsync();
            var person = new Person { Email = $"leaver-{Guid.NewGuid():N}@contoso.test", DisplayName = "Leaver", CreatedAt = DateTimeOffset.UtcNow };
            await using (var db = await t.Fixture.DbAsync())
            {
                db.People.Add(person);
                await db.SaveChangesAsync(Ct);
            }

            return async () => Assert.True((await t.Fixture.Get<DisablePersonCommand>().ExecuteAsync(ada, "contoso", person.Id, Ct)).IsSuccess);
        }),
        // Organizations: creating, archiving, restoring and deleting change what the enterprise's runtime serves; a rename does not.
        new(typeof(CreateOrganizationCommand), true, async t =>
        {
            var ada = await t.AdaAsync();
            return async () => await t.NewOrganizationAsync(ada);
        }),
        new(typeof(RenameOrganizationCommand), false, async t =>
        {
            var ada = await t.AdaAsync();
            var organization = await t.NewOrganizationAsync(ada);
            return async () =>
            {
                var version = await t.OrganizationVersionAsync(organization.Id);
                Assert.True((await t.Fixture.Get<RenameOrganizationCommand>().ExecuteAsync(ada, "contoso", organization.Id, new RenameOrganizationInput("Renamed " + organization.Name, version), Ct)).IsSuccess);
            };
        }),
        new(typeof(ArchiveOrganizationCommand), true, async t =>
        {
            var ada = await t.AdaAsync();
            var organization = await t.NewOrganizationAsync(ada);
            return async () => Assert.True((await t.Fixture.Get<ArchiveOrganizationCommand>().ExecuteAsync(ada, "contoso", organization.Id, Ct)).IsSuccess);
        }),
        new(typeof(RestoreOrganizationCommand), true, async t =>
        {
            var ada = await t.AdaAsync();
            var organization = await t.NewOrganizationAsync(ada);
            Assert.True((await t.Fixture.Get<ArchiveOrganizationCommand>().ExecuteAsync(ada, "contoso", organization.Id, Ct)).IsSuccess);
            return async () => Assert.True((await t.Fixture.Get<RestoreOrganizationCommand>().ExecuteAsync(ada, "contoso", organization.Id, Ct)).IsSuccess);
        }),
        new(typeof(DeleteOrganizationCommand), true, async t =>
        {
            var ada = await t.AdaAsync();
            var organization = await t.NewOrganizationAsync(ada);
            Assert.True((await t.Fixture.Get<ArchiveOrganizationCommand>().ExecuteAsync(ada, "contoso", organization.Id, Ct)).IsSuccess);
            return async () =>
            {
                var deleted = await t.Fixture.Get<DeleteOrganizationCommand>().ExecuteAsync(ada, "contoso", organization.Id, organization.Slug, Ct);
                Assert.True(deleted.IsSuccess, deleted.Error?.Message);
            };
        }),

        // People, roles, identity and SCIM decide who may use the portal's pages, not what an organization's applications may use.
        new(typeof(AddPersonCommand), false, async t =>
        {
            var ada = await t.AdaAsync();
            return async () => Assert.True((await t.Fixture.Get<AddPersonCommand>().ExecuteAsync(ada, "contoso", new AddPersonInput(NewEmail(), null, false, []), Ct)).IsSuccess);
        }),
        new(typeof(UpdatePersonRolesCommand), false, async t =>
        {
            var ada = await t.AdaAsync();
            var person = (await t.Fixture.Get<AddPersonCommand>().ExecuteAsync(ada, "contoso", new AddPersonInput(NewEmail(), null, false, []), Ct)).Value;
            var web = await t.Fixture.OrganizationIdAsync("contoso-web");
            return async () => Assert.True((await t.Fixture.Get<UpdatePersonRolesCommand>().ExecuteAsync(ada, "contoso", person.PersonId,
                new UpdatePersonRolesInput(false, [new OrganizationRoleChange(web, OrganizationRole.Member)]), Ct)).IsSuccess);
        }),
        new(typeof(RemovePersonCommand), false, async t =>
        {
            var ada = await t.AdaAsync();
            var web = await t.Fixture.OrganizationIdAsync("contoso-web");
            var person = (await t.Fixture.Get<AddPersonCommand>().ExecuteAsync(ada, "contoso", new AddPersonInput(NewEmail(), null, false, [new OrganizationRoleChange(web, OrganizationRole.Member)]), Ct)).Value;
            return async () => Assert.True((await t.Fixture.Get<RemovePersonCommand>().ExecuteAsync(ada, "contoso", person.PersonId, false, Ct)).IsSuccess);
        }),
        new(typeof(AddOrganizationPersonCommand), false, async t =>
        {
            var ada = await t.AdaAsync();
            return async () => Assert.True((await t.Fixture.Get<AddOrganizationPersonCommand>().ExecuteAsync(ada, "contoso-web", new AddOrganizationPersonInput(NewEmail(), OrganizationRole.Member), Ct)).IsSuccess);
        }),
        new(typeof(SetOrganizationRoleCommand), false, async t =>
        {
            var ada = await t.AdaAsync();
            var person = (await t.Fixture.Get<AddOrganizationPersonCommand>().ExecuteAsync(ada, "contoso-web", new AddOrganizationPersonInput(NewEmail(), OrganizationRole.Member), Ct)).Value;
            return async () => Assert.True((await t.Fixture.Get<SetOrganizationRoleCommand>().ExecuteAsync(ada, "contoso-web", person.PersonId, OrganizationRole.Owner, false, Ct)).IsSuccess);
        }),
        new(typeof(AddGroupMappingCommand), false, async t =>
        {
            var ada = await t.AdaAsync();
            return async () => Assert.True((await t.Fixture.Get<AddGroupMappingCommand>().ExecuteAsync(ada, "contoso", new AddGroupMappingInput(Guid.NewGuid().ToString(), MappedRole.EnterpriseOwner, null), Ct)).IsSuccess);
        }),
        new(typeof(RemoveGroupMappingCommand), false, async t =>
        {
            var ada = await t.AdaAsync();
            var mapping = (await t.Fixture.Get<AddGroupMappingCommand>().ExecuteAsync(ada, "contoso", new AddGroupMappingInput(Guid.NewGuid().ToString(), MappedRole.EnterpriseOwner, null), Ct)).Value;
            return async () => Assert.True((await t.Fixture.Get<RemoveGroupMappingCommand>().ExecuteAsync(ada, "contoso", mapping.Id, Ct)).IsSuccess);
        }),
        new(typeof(CreateScimTokenCommand), false, async t =>
        {
            var ada = await t.AdaAsync();
            return async () => Assert.True((await t.Fixture.Get<CreateScimTokenCommand>().ExecuteAsync(ada, "contoso", new CreateScimTokenInput(TestData.UniqueName("Entra")), Ct)).IsSuccess);
        }),
        new(typeof(RevokeScimTokenCommand), false, async t =>
        {
            var ada = await t.AdaAsync();
            var token = (await t.Fixture.Get<CreateScimTokenCommand>().ExecuteAsync(ada, "contoso", new CreateScimTokenInput(TestData.UniqueName("Entra")), Ct)).Value;
            return async () => Assert.True((await t.Fixture.Get<RevokeScimTokenCommand>().ExecuteAsync(ada, "contoso", token.Id, Ct)).IsSuccess);
        }),
        new(typeof(CreateScimUserCommand), false, async t =>
        {
            var client = await t.ScimClientAsync();
            return async () => Assert.True((await t.Fixture.Get<CreateScimUserCommand>().ExecuteAsync(client, new ScimUserInput(NewEmail(), null, null, true), null, Ct)).IsSuccess);
        }),
        new(typeof(ReplaceScimUserCommand), false, async t =>
        {
            var client = await t.ScimClientAsync();
            var user = (await t.Fixture.Get<CreateScimUserCommand>().ExecuteAsync(client, new ScimUserInput(NewEmail(), null, null, true), null, Ct)).Value;
            return async () => Assert.True((await t.Fixture.Get<ReplaceScimUserCommand>().ExecuteAsync(client, user.Id, new ScimUserInput(user.UserName, "ext-1", "Replaced", true), null, Ct)).IsSuccess);
        }),
        new(typeof(PatchScimUserCommand), false, async t =>
        {
            var client = await t.ScimClientAsync();
            var user = (await t.Fixture.Get<CreateScimUserCommand>().ExecuteAsync(client, new ScimUserInput(NewEmail(), null, null, true), null, Ct)).Value;
            return async () => Assert.True((await t.Fixture.Get<PatchScimUserCommand>().ExecuteAsync(client, user.Id, new ScimUserPatch(Active: false), null, Ct)).IsSuccess);
        }),
        new(typeof(DeleteScimUserCommand), false, async t =>
        {
            var client = await t.ScimClientAsync();
            var user = (await t.Fixture.Get<CreateScimUserCommand>().ExecuteAsync(client, new ScimUserInput(NewEmail(), null, null, true), null, Ct)).Value;
            return async () => Assert.True((await t.Fixture.Get<DeleteScimUserCommand>().ExecuteAsync(client, user.Id, null, Ct)).IsSuccess);
        }),
        new(typeof(CreateScimGroupCommand), false, async t =>
        {
            var client = await t.ScimClientAsync();
            return async () => Assert.True((await t.Fixture.Get<CreateScimGroupCommand>().ExecuteAsync(client, new ScimGroupInput(TestData.UniqueName("Group"), null, []), null, Ct)).IsSuccess);
        }),
        new(typeof(ReplaceScimGroupCommand), false, async t =>
        {
            var client = await t.ScimClientAsync();
            var group = (await t.Fixture.Get<CreateScimGroupCommand>().ExecuteAsync(client, new ScimGroupInput(TestData.UniqueName("Group"), null, []), null, Ct)).Value;
            return async () => Assert.True((await t.Fixture.Get<ReplaceScimGroupCommand>().ExecuteAsync(client, group.Id, new ScimGroupInput(group.DisplayName, "ext", []), null, Ct)).IsSuccess);
        }),
        new(typeof(PatchScimGroupCommand), false, async t =>
        {
            var client = await t.ScimClientAsync();
            var group = (await t.Fixture.Get<CreateScimGroupCommand>().ExecuteAsync(client, new ScimGroupInput(TestData.UniqueName("Group"), null, []), null, Ct)).Value;
            return async () => Assert.True((await t.Fixture.Get<PatchScimGroupCommand>().ExecuteAsync(client, group.Id, new ScimGroupPatch(DisplayName: TestData.UniqueName("Renamed")), null, Ct)).IsSuccess);
        }),
        new(typeof(DeleteScimGroupCommand), false, async t =>
        {
            var client = await t.ScimClientAsync();
            var group = (await t.Fixture.Get<CreateScimGroupCommand>().ExecuteAsync(client, new ScimGroupInput(TestData.UniqueName("Group"), null, []), null, Ct)).Value;
            return async () => Assert.True((await t.Fixture.Get<DeleteScimGroupCommand>().ExecuteAsync(client, group.Id, null, Ct)).IsSuccess);
        }),
    ];

    public static TheoryData<string> CaseNames()
    {
        var data = new TheoryData<string>();
        foreach (var command in Cases)
        {
            data.Add(command.Command.Name);
        }

        return data;
    }

    [Fact]
    public void EveryCommand_IsInTheTable()
    {
        var commands = typeof(Core.Audit.AuditTrail).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false, IsPublic: true } && t.Name.EndsWith("Command", StringComparison.Ordinal))
            .Select(t => t.Name)
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.Equal(commands, Cases.Select(c => c.Command.Name).Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task Command_RenewsThePolicyVersionExactlyWhenItChangesPolicy(string command)
    {
        var @case = Cases.Single(c => c.Command.Name == command);
        var act = await @case.Arrange(this);
        var before = await VersionAsync();

        await act();

        var after = await VersionAsync();
        Assert.Equal(@case.ChangesPolicy, before != after);
    }

    [Fact]
    public async Task TestsThatFindAKeyAsItWas_ManualOrTheHealthChecks_LeaveThePolicyVersionAlone()
    {
        var (ada, keyId) = await EnterpriseKeyAsync();
        Assert.True((await fixture.Get<TestProviderKeyCommand>().ExecuteAsync(ada, Contoso, keyId, Ct)).IsSuccess);
        var testedBefore = await TestedAtAsync(keyId);
        var before = await VersionAsync();

        Assert.True((await fixture.Get<TestProviderKeyCommand>().ExecuteAsync(ada, Contoso, keyId, Ct)).IsSuccess);
        await using (var others = await fixture.DbAsync())
        {
            // Only this key is due for the health check (other cases of this class leave keys whose status a recheck would change).
            await others.ProviderKeys.Where(k => k.Id != keyId).ExecuteUpdateAsync(s => s.SetProperty(k => k.RecheckRequestedAt, (DateTimeOffset?)null), Ct);
        }

        await SetAsync(keyId, k => k.RecheckRequestedAt = DateTimeOffset.UtcNow.AddHours(-1));
        Assert.Equal(1, await fixture.Get<CheckProviderKeysHealthCommand>().ExecuteAsync(Ct));

        // Both tests ran and were recorded on the key (working, as before), and no runtime instance has a snapshot to rebuild for them.
        await using var db = await fixture.DbAsync();
        var key = await db.ProviderKeys.AsNoTracking().SingleAsync(k => k.Id == keyId, Ct);
        Assert.Equal((CredentialTestStatus.Succeeded, (DateTimeOffset?)null), (key.LastTestStatus, key.RecheckRequestedAt));
        Assert.True(key.LastTestedAt > testedBefore);
        Assert.Equal(before, await VersionAsync());
    }

    private async Task<DateTimeOffset?> TestedAtAsync(Guid keyId)
    {
        await using var db = await fixture.DbAsync();
        return await db.ProviderKeys.Where(k => k.Id == keyId).Select(k => k.LastTestedAt).SingleAsync(Ct);
    }

    private async Task<Guid> VersionAsync()
    {
        await using var db = await fixture.DbAsync();
        var enterpriseId = await db.Enterprises.Where(e => e.Slug == "contoso").Select(e => e.Id).SingleAsync(Ct);
        return await db.PolicyVersions.Where(v => v.EnterpriseId == enterpriseId).Select(v => v.Version).SingleOrDefaultAsync(Ct);
    }

    private Task<Actor> AdaAsync() => fixture.ActorAsync(DemoSignIn.EnterpriseOwner);

    /// <summary>Changes a key's row directly, as time would (a refusal long ago, a grace period that ended).</summary>
    private async Task SetAsync(Guid keyId, Action<ProviderKey> change)
    {
        await using var db = await fixture.DbAsync();
        var key = await db.ProviderKeys.SingleAsync(k => k.Id == keyId, Ct);
        change(key);
        await db.SaveChangesAsync(Ct);
    }

    private static string NewEmail() => $"person-{Guid.NewGuid():N}@contoso.test";

    private async Task<OrganizationCreated> NewOrganizationAsync(Actor ada)
    {
        var slug = $"org-{Guid.NewGuid():N}"[..16];
        var created = await fixture.Get<CreateOrganizationCommand>().ExecuteAsync(ada, "contoso", new CreateOrganizationInput("Org " + slug, slug), Ct);
        Assert.True(created.IsSuccess, created.Error?.Message);
        return created.Value;
    }

    private async Task<Guid> OrganizationVersionAsync(Guid organizationId)
    {
        await using var db = await fixture.DbAsync();
        return await db.Organizations.Where(o => o.Id == organizationId).Select(o => o.Version).SingleAsync(Ct);
    }

    private async Task<Identity.ScimClient> ScimClientAsync()
    {
        var ada = await AdaAsync();
        var token = await fixture.Get<Identity.CreateScimTokenCommand>().ExecuteAsync(ada, "contoso", new Identity.CreateScimTokenInput(TestData.UniqueName("Entra")), Ct);
        var client = await fixture.Get<Identity.AuthenticateScimTokenQuery>().ExecuteAsync(token.Value.Token, Ct);
        Assert.True(client.IsSuccess, client.Error?.Message);
        return client.Value;
    }

    private async Task<(Actor Ada, Guid KeyId)> EnterpriseKeyAsync()
    {
        var ada = await AdaAsync();
        var input = TestData.Input(ProviderKind.OpenAI, TestData.UniqueName("Key"), fixture.StandIn.AcceptedKey, fixture.StandIn.OpenAIBaseUrl, "gpt-4o");
        var added = await fixture.Get<AddProviderKeyCommand>().ExecuteAsync(ada, Contoso, input, Ct);
        Assert.True(added.IsSuccess, added.Error?.Message);
        return (ada, added.Value.Id);
    }
}
