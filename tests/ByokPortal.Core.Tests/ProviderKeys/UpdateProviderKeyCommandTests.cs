using ByokPortal.Core.Access;
using ByokPortal.Core.Audit;
using ByokPortal.Core.Common;
using ByokPortal.Core.ProviderKeys;
using ByokPortal.Core.Secrets;
using ByokPortal.Testing;
using Microsoft.EntityFrameworkCore;

namespace ByokPortal.Core.Tests.ProviderKeys;

/// <summary>Editing a key: the credential field left empty keeps the stored one; a new one becomes a new secret version.</summary>
public sealed class UpdateProviderKeyCommandTests(PortalFixture fixture) : IClassFixture<PortalFixture>
{
    private static CancellationToken Ct => PortalFixture.Ct;

    private static readonly KeyScope Contoso = KeyScope.Enterprise("contoso");

    private async Task<ProviderKey> AddAsync(string credential, string? name = null)
    {
        var ada = await fixture.ActorAsync(DemoSignIn.EnterpriseOwner);
        var added = await fixture.Get<AddProviderKeyCommand>().ExecuteAsync(ada, Contoso,
            TestData.Input(ProviderKind.OpenAI, name ?? TestData.UniqueName("Editable"), credential, fixture.StandIn.OpenAIBaseUrl, "gpt-4o"), Ct);
        Assert.True(added.IsSuccess, added.Error?.Message);
        return await LoadAsync(added.Value.Id);
    }

    private async Task<ProviderKey> LoadAsync(Guid id)
    {
        await using var db = await fixture.DbAsync();
        return await db.ProviderKeys.AsNoTracking().SingleAsync(k => k.Id == id, Ct);
    }

    private async Task<Result<ProviderKeySaved>> UpdateAsync(ProviderKey key, Guid expectedVersion, string name, string? credential, string? baseUrl = null, params string[] models)
    {
        var ada = await fixture.ActorAsync(DemoSignIn.EnterpriseOwner);
        return await fixture.Get<UpdateProviderKeyCommand>().ExecuteAsync(ada, Contoso, key.Id, expectedVersion,
            TestData.Input(key.Provider, name, credential, baseUrl ?? key.BaseUrl, models), Ct);
    }

    [Fact]
    public async Task ExecuteAsync_CredentialLeftEmpty_KeepsTheStoredSecretVersionAndHint()
    {
        var credential = TestData.NewCredential();
        var key = await AddAsync(credential);
        var newName = TestData.UniqueName("Renamed");

        var result = await UpdateAsync(key, key.Version, newName, credential: "");

        Assert.True(result.IsSuccess, result.Error?.Message);
        var updated = await LoadAsync(key.Id);
        Assert.Equal(newName, updated.Name);
        Assert.Equal(key.SecretName, updated.SecretName);
        Assert.Equal(key.SecretVersion, updated.SecretVersion);
        Assert.Equal(TestData.Masked(credential), updated.MaskedHint);
        Assert.NotEqual(key.Version, updated.Version);
        Assert.True(await fixture.Get<ISecretStore>().GetAsync(updated.SecretReference!, Ct) == credential, "the stored credential changed");
    }

    [Fact]
    public async Task ExecuteAsync_NewCredential_StoresANewSecretVersionAndHint()
    {
        var oldCredential = TestData.NewCredential();
        var key = await AddAsync(oldCredential);
        var newCredential = TestData.NewCredential();

        var result = await UpdateAsync(key, key.Version, key.Name, newCredential);

        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.Equal(TestData.Masked(newCredential), result.Value.MaskedHint);
        var updated = await LoadAsync(key.Id);
        Assert.Equal(key.SecretName, updated.SecretName);
        Assert.NotEqual(key.SecretVersion, updated.SecretVersion);
        Assert.Equal(TestData.Masked(newCredential), updated.MaskedHint);
        Assert.Equal(CredentialTestStatus.NotTested, updated.LastTestStatus);
        Assert.True(await fixture.Get<ISecretStore>().GetAsync(updated.SecretReference!, Ct) == newCredential, "the new version does not hold the new credential");

        await using var db = await fixture.DbAsync();
        var audit = (await TestData.AuditEventsForAsync(db, key.Id.ToString(), Ct)).Last();
        Assert.Equal(AuditActions.ProviderKeyUpdate, audit.Action);
        Assert.Contains("credential", audit.Details, StringComparison.Ordinal);
        var auditText = await TestData.AllAuditTextAsync(db, Ct);
        Assert.False(auditText.Contains(newCredential, StringComparison.Ordinal) || auditText.Contains(oldCredential, StringComparison.Ordinal), "an audit event holds a credential");
        Assert.False(TestData.DatabaseFilesContain(fixture.Factory.DataDirectory, newCredential), "the SQLite files hold the new credential");
    }

    [Fact]
    public async Task ExecuteAsync_MoreModels_AddsThemGrantedToNoOrganization()
    {
        var key = await AddAsync(TestData.NewCredential());

        var result = await UpdateAsync(key, key.Version, key.Name, null, null, "gpt-4o", "o3-mini");

        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.Equal(2, result.Value.ModelCount);
        await using var db = await fixture.DbAsync();
        var added = await db.CustomModels.AsNoTracking().SingleAsync(m => m.ProviderKeyId == key.Id && m.ModelId == "o3-mini", Ct);
        Assert.Equal(Core.CustomModels.ModelAccessMode.ChoosePerOrganization, added.AccessMode);
        Assert.Equal(0, await db.ModelAccessGrants.CountAsync(g => g.CustomModelId == added.Id, Ct));
    }

    [Theory]
    [InlineData("{0}")]
    [InlineData(" {1} ")]
    public async Task ExecuteAsync_RenameToAnExistingName_IsAValidationErrorAndChangesNothing(string variant)
    {
        var other = await AddAsync(TestData.NewCredential());
        var key = await AddAsync(TestData.NewCredential());
        var taken = string.Format(System.Globalization.CultureInfo.InvariantCulture, variant, other.Name, other.Name.ToLowerInvariant());

        var result = await UpdateAsync(key, key.Version, taken, credential: TestData.NewCredential());

        var error = Assert.IsType<ValidationError>(result.Error);
        Assert.Equal([$"An API key named \"{taken.Trim()}\" already exists in Contoso. Choose another name."], TestData.MessagesFor(error, nameof(ProviderKeyInput.Name)));
        var unchanged = await LoadAsync(key.Id);
        Assert.Equal((key.Name, key.Version, key.SecretVersion, key.MaskedHint), (unchanged.Name, unchanged.Version, unchanged.SecretVersion, unchanged.MaskedHint));
    }

    [Fact]
    public async Task ExecuteAsync_RenameChangingOnlyCase_IsAllowed()
    {
        var key = await AddAsync(TestData.NewCredential());

        var result = await UpdateAsync(key, key.Version, key.Name.ToUpperInvariant(), null);

        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.Equal(key.Name.ToUpperInvariant(), (await LoadAsync(key.Id)).Name);
    }

    [Fact]
    public async Task ExecuteAsync_StaleExpectedVersion_IsAConflictAndChangesNothing()
    {
        var key = await AddAsync(TestData.NewCredential());
        var firstEdit = await UpdateAsync(key, key.Version, TestData.UniqueName("First edit"), null);
        Assert.True(firstEdit.IsSuccess, firstEdit.Error?.Message);
        var afterFirst = await LoadAsync(key.Id);
        int auditEvents;
        await using (var db = await fixture.DbAsync())
        {
            auditEvents = await db.AuditEvents.CountAsync(Ct);
        }

        // The second owner still holds the version they loaded before the first edit.
        var stale = await UpdateAsync(key, key.Version, TestData.UniqueName("Second edit"), TestData.NewCredential(), fixture.StandIn.AnthropicBaseUrl, "o3-mini");

        var conflict = Assert.IsType<ConflictError>(stale.Error);
        Assert.Contains("was changed by someone else", conflict.Message, StringComparison.Ordinal);
        var now = await LoadAsync(key.Id);
        Assert.Equal(
            (afterFirst.Name, afterFirst.Version, afterFirst.BaseUrl, afterFirst.SecretVersion, afterFirst.MaskedHint),
            (now.Name, now.Version, now.BaseUrl, now.SecretVersion, now.MaskedHint));
        await using (var db = await fixture.DbAsync())
        {
            Assert.Equal(auditEvents, await db.AuditEvents.CountAsync(Ct));
            Assert.False(await db.CustomModels.AnyAsync(m => m.ProviderKeyId == key.Id && m.ModelId == "o3-mini", Ct), "the stale edit added a model");
        }
    }

    [Fact]
    public async Task ExecuteAsync_NotAnEnterpriseOwner_IsNotFoundAndChangesNothing()
    {
        var key = await AddAsync(TestData.NewCredential());
        var oscar = await fixture.ActorAsync(DemoSignIn.WebOwner);

        var result = await fixture.Get<UpdateProviderKeyCommand>().ExecuteAsync(oscar, Contoso, key.Id, key.Version,
            TestData.Input(ProviderKind.OpenAI, "Hijacked", TestData.NewCredential(), "https://attacker.example/v1"), Ct);

        Assert.IsType<NotFoundError>(result.Error);
        var unchanged = await LoadAsync(key.Id);
        Assert.Equal((key.Name, key.BaseUrl, key.SecretVersion, key.Version), (unchanged.Name, unchanged.BaseUrl, unchanged.SecretVersion, unchanged.Version));
    }

    [Fact]
    public async Task ExecuteAsync_EnterpriseKeyThroughAnOrganizationScope_IsNotFound()
    {
        var key = await AddAsync(TestData.NewCredential());
        var oscar = await fixture.ActorAsync(DemoSignIn.WebOwner);

        var result = await fixture.Get<UpdateProviderKeyCommand>().ExecuteAsync(oscar, KeyScope.Organization("contoso-web"), key.Id, key.Version,
            TestData.Input(ProviderKind.OpenAI, "Hijacked", null, "https://attacker.example/v1"), Ct);

        Assert.IsType<NotFoundError>(result.Error);
        Assert.Equal(key.BaseUrl, (await LoadAsync(key.Id)).BaseUrl);
    }
}
