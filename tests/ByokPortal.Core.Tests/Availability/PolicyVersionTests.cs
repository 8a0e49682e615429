using ByokPortal.Core.ApiKeys;
using ByokPortal.Core.Common;
using ByokPortal.Core.CustomModels;
using ByokPortal.Core.Enterprises;
using ByokPortal.Core.Organizations;
using ByokPortal.Core.People;
using ByokPortal.Core.ProviderKeys;
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
            var (ada, keyId) = await t.EnterpriseKeyAsync();
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
            await t.SetAsync(keyId, k => k.RecheckRequestedAt = DateTimeOffset.UtcNow.AddHours(-1));
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
        new(typeof(Core.Secrets.SweepOrphanSecretsCommand), false, t => Task.FromResult<Func<Task>>(() =>
            t.Fixture.Get<Core.Secrets.SweepOrphanSecretsCommand>().ExecuteAsync(Ct))),
        new(typeof(SignInPersonCommand), false, t => Task.FromResult<Func<Task>>(async () =>
        {
            var signedIn = await t.Fixture.Get<SignInPersonCommand>().ExecuteAsync(new ExternalIdentity(DemoSignIn.WebMember, null, null, null), createUnknown: false, Ct);
            Assert.True(signedIn.IsSuccess, signedIn.Error?.Message);
        })),
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

    private async Task<(Actor Ada, Guid KeyId)> EnterpriseKeyAsync()
    {
        var ada = await AdaAsync();
        var input = TestData.Input(ProviderKind.OpenAI, TestData.UniqueName("Key"), fixture.StandIn.AcceptedKey, fixture.StandIn.OpenAIBaseUrl, "gpt-4o");
        var added = await fixture.Get<AddProviderKeyCommand>().ExecuteAsync(ada, Contoso, input, Ct);
        Assert.True(added.IsSuccess, added.Error?.Message);
        return (ada, added.Value.Id);
    }
}
