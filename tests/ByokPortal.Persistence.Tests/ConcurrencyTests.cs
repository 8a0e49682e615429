using ByokPortal.Core.Common;
using ByokPortal.Core.CustomModels;
using ByokPortal.Core.Data;
using ByokPortal.Core.Enterprises;
using ByokPortal.Core.Organizations;
using ByokPortal.Core.People;
using ByokPortal.Core.ProviderKeys;
using Microsoft.EntityFrameworkCore;

namespace ByokPortal.Persistence.Tests;

/// <summary>Optimistic concurrency on a real SQLite file: the second of two owners saving the same row gets a conflict, not a silent overwrite.</summary>
public sealed class ConcurrencyTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TrySaveAsync_TwoOwnersEditTheSameOrganization_SecondGetsConflictAndFirstValueStays()
    {
        await using var database = await SqliteTestDatabase.CreateMigratedAsync();
        var organizationId = await AddOrganizationAsync(database);

        await using var first = database.CreateContext();
        await using var second = database.CreateContext();
        var firstCopy = await first.Organizations.SingleAsync(o => o.Id == organizationId, Ct);
        var secondCopy = await second.Organizations.SingleAsync(o => o.Id == organizationId, Ct);

        firstCopy.Name = "Renamed by the first owner";
        secondCopy.Name = "Renamed by the second owner";
        secondCopy.ModelsPermission = ModelsPermission.OnlySelectModels;

        Assert.Null(await first.TrySaveAsync("Organization 'Contoso Web'", Ct));
        var conflict = await second.TrySaveAsync("Organization 'Contoso Web'", Ct);

        Assert.NotNull(conflict);
        Assert.StartsWith("Organization 'Contoso Web' was changed by someone else while you were editing.", conflict.Message, StringComparison.Ordinal);
        Assert.Contains("Nothing was saved", conflict.Message, StringComparison.Ordinal);
        await using var check = database.CreateContext();
        var stored = await check.Organizations.AsNoTracking().SingleAsync(o => o.Id == organizationId, Ct);
        Assert.Equal("Renamed by the first owner", stored.Name);
        Assert.Equal(ModelsPermission.AllPublishers, stored.ModelsPermission);
        Assert.Equal(firstCopy.Version, stored.Version);
    }

    [Fact]
    public async Task TrySaveAsync_TwoOwnersEditTheSameCustomModel_SecondGetsConflictAndFirstValueStays()
    {
        await using var database = await SqliteTestDatabase.CreateMigratedAsync();
        var modelId = await AddCustomModelAsync(database);

        await using var first = database.CreateContext();
        await using var second = database.CreateContext();
        var firstCopy = await first.CustomModels.SingleAsync(m => m.Id == modelId, Ct);
        var secondCopy = await second.CustomModels.SingleAsync(m => m.Id == modelId, Ct);

        firstCopy.AccessMode = ModelAccessMode.AllOrganizations;
        secondCopy.Enabled = false;

        Assert.Null(await first.TrySaveAsync("Model 'gpt-4.1'", Ct));
        var conflict = await second.TrySaveAsync("Model 'gpt-4.1'", Ct);

        Assert.IsType<ConflictError>(conflict);
        Assert.StartsWith("Model 'gpt-4.1' was changed by someone else", conflict.Message, StringComparison.Ordinal);
        await using var check = database.CreateContext();
        var stored = await check.CustomModels.AsNoTracking().SingleAsync(m => m.Id == modelId, Ct);
        Assert.Equal(ModelAccessMode.AllOrganizations, stored.AccessMode);
        Assert.True(stored.Enabled);
    }

    [Fact]
    public async Task ExpectVersion_StaleVersion_SaveFailsAndNothingChanges()
    {
        await using var database = await SqliteTestDatabase.CreateMigratedAsync();
        var organizationId = await AddOrganizationAsync(database);
        Guid versionTheEditorLoaded;
        await using (var read = database.CreateContext())
        {
            versionTheEditorLoaded = (await read.Organizations.AsNoTracking().SingleAsync(o => o.Id == organizationId, Ct)).Version;
        }

        await using (var other = database.CreateContext())
        {
            var organization = await other.Organizations.SingleAsync(o => o.Id == organizationId, Ct);
            organization.Name = "Saved by someone else";
            await other.SaveChangesAsync(Ct);
        }

        // The editor's form posts back the version it loaded; the use case loads the row fresh and expects that version.
        await using var editor = database.CreateContext();
        var current = await editor.Organizations.SingleAsync(o => o.Id == organizationId, Ct);
        editor.ExpectVersion(current, versionTheEditorLoaded);
        current.Name = "Saved by the stale editor";

        var conflict = await editor.TrySaveAsync("Organization 'Contoso Web'", Ct);

        Assert.NotNull(conflict);
        await using var check = database.CreateContext();
        Assert.Equal("Saved by someone else", (await check.Organizations.AsNoTracking().SingleAsync(o => o.Id == organizationId, Ct)).Name);
    }

    [Fact]
    public async Task ExpectVersion_StaleVersion_SaveChangesThrowsConcurrencyException()
    {
        await using var database = await SqliteTestDatabase.CreateMigratedAsync();
        var organizationId = await AddOrganizationAsync(database);

        await using var editor = database.CreateContext();
        var organization = await editor.Organizations.SingleAsync(o => o.Id == organizationId, Ct);
        editor.ExpectVersion(organization, Guid.NewGuid());
        organization.ModelsPermission = ModelsPermission.OnlySelectModels;

        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => editor.SaveChangesAsync(Ct));
    }

    [Fact]
    public async Task ExpectVersion_CurrentVersion_SaveSucceeds()
    {
        await using var database = await SqliteTestDatabase.CreateMigratedAsync();
        var organizationId = await AddOrganizationAsync(database);
        await using var editor = database.CreateContext();
        var organization = await editor.Organizations.SingleAsync(o => o.Id == organizationId, Ct);
        var loaded = organization.Version;

        editor.ExpectVersion(organization, loaded);
        organization.Name = "Contoso Web (renamed)";

        Assert.Null(await editor.TrySaveAsync("Organization 'Contoso Web'", Ct));
        await using var check = database.CreateContext();
        Assert.Equal("Contoso Web (renamed)", (await check.Organizations.AsNoTracking().SingleAsync(o => o.Id == organizationId, Ct)).Name);
    }

    [Fact]
    public async Task SaveChangesAsync_ModifiedVersionedRow_RenewsVersionInMemoryAndInTheDatabase()
    {
        await using var database = await SqliteTestDatabase.CreateMigratedAsync();
        var organizationId = await AddOrganizationAsync(database);
        await using var editor = database.CreateContext();
        var organization = await editor.Organizations.SingleAsync(o => o.Id == organizationId, Ct);
        var before = organization.Version;

        organization.Name = "Contoso Web 2";
        await editor.SaveChangesAsync(Ct);

        Assert.NotEqual(before, organization.Version);
        Assert.NotEqual(Guid.Empty, organization.Version);
        await using var check = database.CreateContext();
        Assert.Equal(organization.Version, (await check.Organizations.AsNoTracking().SingleAsync(o => o.Id == organizationId, Ct)).Version);
    }

    [Fact]
    public async Task SaveChangesAsync_UnchangedVersionedRow_KeepsVersion()
    {
        await using var database = await SqliteTestDatabase.CreateMigratedAsync();
        var organizationId = await AddOrganizationAsync(database);
        await using var editor = database.CreateContext();
        var organization = await editor.Organizations.SingleAsync(o => o.Id == organizationId, Ct);
        var before = organization.Version;

        await editor.SaveChangesAsync(Ct);

        Assert.Equal(before, organization.Version);
    }

    [Fact]
    public async Task SaveChangesAsync_SecondSaveInTheSameContext_SucceedsWithTheRenewedVersion()
    {
        await using var database = await SqliteTestDatabase.CreateMigratedAsync();
        var organizationId = await AddOrganizationAsync(database);
        await using var editor = database.CreateContext();
        var organization = await editor.Organizations.SingleAsync(o => o.Id == organizationId, Ct);

        organization.Name = "First edit";
        Assert.Null(await editor.TrySaveAsync("Organization", Ct));
        var afterFirst = organization.Version;
        organization.Name = "Second edit";
        Assert.Null(await editor.TrySaveAsync("Organization", Ct));

        Assert.NotEqual(afterFirst, organization.Version);
        await using var check = database.CreateContext();
        var stored = await check.Organizations.AsNoTracking().SingleAsync(o => o.Id == organizationId, Ct);
        Assert.Equal(("Second edit", organization.Version), (stored.Name, stored.Version));
    }

    private static async Task<Guid> AddOrganizationAsync(SqliteTestDatabase database)
    {
        await using var db = database.CreateContext();
        var enterprise = new Enterprise { Slug = "contoso", Name = "Contoso", CreatedAt = DateTimeOffset.UnixEpoch };
        var organization = new Organization { EnterpriseId = enterprise.Id, Slug = "contoso-web", Name = "Contoso Web", CreatedAt = DateTimeOffset.UnixEpoch };
        db.Enterprises.Add(enterprise);
        db.Organizations.Add(organization);
        await db.SaveChangesAsync(Ct);
        return organization.Id;
    }

    private static async Task<Guid> AddCustomModelAsync(SqliteTestDatabase database)
    {
        await using var db = database.CreateContext();
        var enterprise = new Enterprise { Slug = "contoso", Name = "Contoso", CreatedAt = DateTimeOffset.UnixEpoch };
        var owner = new Person { Email = "ada@contoso.test", DisplayName = "Ada", CreatedAt = DateTimeOffset.UnixEpoch };
        var key = new ProviderKey
        {
            EnterpriseId = enterprise.Id,
            Scope = ProviderKey.ScopeFor(null),
            Name = "OpenAI",
            NormalizedName = "openai",
            Provider = ProviderKind.OpenAI,
            SecretName = "provider-key-openai",
            SecretVersion = "1",
            MaskedHint = "••••abcd",
            CreatedById = owner.Id,
            CreatedAt = DateTimeOffset.UnixEpoch,
            UpdatedAt = DateTimeOffset.UnixEpoch,
        };
        var model = new CustomModel { ProviderKeyId = key.Id, EnterpriseId = enterprise.Id, ModelId = "gpt-4.1", CreatedAt = DateTimeOffset.UnixEpoch, UpdatedAt = DateTimeOffset.UnixEpoch };
        db.Enterprises.Add(enterprise);
        db.People.Add(owner);
        db.ProviderKeys.Add(key);
        db.CustomModels.Add(model);
        await db.SaveChangesAsync(Ct);
        return model.Id;
    }
}
