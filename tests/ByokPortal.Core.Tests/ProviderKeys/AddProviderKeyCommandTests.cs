using ByokPortal.Core.Access;
using ByokPortal.Core.ApiKeys;
using ByokPortal.Core.Audit;
using ByokPortal.Core.Common;
using ByokPortal.Core.CustomModels;
using ByokPortal.Core.ProviderKeys;
using ByokPortal.Core.Secrets;
using ByokPortal.Testing;
using Microsoft.EntityFrameworkCore;

namespace ByokPortal.Core.Tests.ProviderKeys;

/// <summary>"Add API key" against the real portal: what is stored, what never is, and who may do it.</summary>
public sealed class AddProviderKeyCommandTests(PortalFixture fixture) : IClassFixture<PortalFixture>
{
    private static CancellationToken Ct => PortalFixture.Ct;

    private static readonly KeyScope Contoso = KeyScope.Enterprise("contoso");

    [Fact]
    public async Task ExecuteAsync_EnterpriseOwnerWithValidKey_StoresMaskedKeyModelsAndAuditEventButNeverTheCredential()
    {
        var ada = await fixture.ActorAsync(DemoSignIn.EnterpriseOwner);
        var credential = TestData.NewCredential();
        var name = TestData.UniqueName("Production OpenAI");

        var result = await fixture.Get<AddProviderKeyCommand>().ExecuteAsync(ada, Contoso,
            TestData.Input(ProviderKind.OpenAI, name, credential, fixture.StandIn.OpenAIBaseUrl, "gpt-4o", "gpt-4o-mini"), Ct);

        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.Equal(TestData.Masked(credential), result.Value.MaskedHint);
        Assert.Equal(2, result.Value.ModelCount);

        await using var db = await fixture.DbAsync();
        var key = await db.ProviderKeys.AsNoTracking().SingleAsync(k => k.Id == result.Value.Id, Ct);
        Assert.Equal(name, key.Name);
        Assert.Null(key.OrganizationId);
        Assert.Equal(ProviderKind.OpenAI, key.Provider);
        Assert.Equal(fixture.StandIn.OpenAIBaseUrl, key.BaseUrl);
        Assert.Equal(TestData.Masked(credential), key.MaskedHint);
        Assert.Equal(ada.PersonId, key.CreatedById);
        Assert.Equal(CredentialTestStatus.NotTested, key.LastTestStatus);
        Assert.NotNull(key.SecretReference);

        // The row holds an opaque reference and the hint only.
        Assert.False((await TestData.AllKeyRowsTextAsync(db, Ct)).Contains(credential, StringComparison.Ordinal), "a key row holds the credential");
        Assert.False(key.SecretName!.Contains(credential[^8..], StringComparison.Ordinal), "the secret name is derived from the credential");

        // "A new model is granted to no organization until an owner chooses."
        var models = await db.CustomModels.AsNoTracking().Where(m => m.ProviderKeyId == key.Id).OrderBy(m => m.ModelId).ToListAsync(Ct);
        Assert.Equal(["gpt-4o", "gpt-4o-mini"], models.Select(m => m.ModelId));
        Assert.All(models, m =>
        {
            Assert.True(m.Enabled);
            Assert.Equal(ModelAccessMode.ChoosePerOrganization, m.AccessMode);
            Assert.Null(m.OrganizationId);
        });
        var modelIds = models.Select(m => m.Id).ToList();
        Assert.Equal(0, await db.ModelAccessGrants.CountAsync(g => modelIds.Contains(g.CustomModelId), Ct));

        var audit = await TestData.AuditEventsForAsync(db, key.Id.ToString(), Ct);
        var created = Assert.Single(audit);
        Assert.Equal(AuditActions.ProviderKeyCreate, created.Action);
        Assert.Equal(AuditOutcome.Succeeded, created.Outcome);
        Assert.Equal(ada.PersonId, created.ActorId);
        Assert.Equal(name, created.TargetName);
        Assert.Contains("gpt-4o-mini", created.Details, StringComparison.Ordinal);
        Assert.False((await TestData.AllAuditTextAsync(db, Ct)).Contains(credential, StringComparison.Ordinal), "an audit event holds the credential");

        // The secret store has it under the stored reference, and the database files do not.
        Assert.True(await fixture.Get<ISecretStore>().GetAsync(key.SecretReference!, Ct) == credential, "the secret store does not return the credential for the stored reference");
        Assert.False(TestData.DatabaseFilesContain(fixture.Factory.DataDirectory, credential), "the SQLite files hold the credential");
        Assert.False(fixture.Factory.Logs.AllText.Contains(credential, StringComparison.Ordinal), "the logs hold the credential");
    }

    [Fact]
    public async Task ExecuteAsync_NewKey_AppearsInListsWithMaskedHintAndConfigureLabel()
    {
        var ada = await fixture.ActorAsync(DemoSignIn.EnterpriseOwner);
        var credential = TestData.NewCredential();
        var name = TestData.UniqueName("Listed");
        var added = await fixture.Get<AddProviderKeyCommand>().ExecuteAsync(ada, Contoso,
            TestData.Input(ProviderKind.Anthropic, name, credential, fixture.StandIn.AnthropicBaseUrl, "claude-sonnet-4"), Ct);
        Assert.True(added.IsSuccess, added.Error?.Message);

        var keys = await fixture.Get<ListProviderKeysQuery>().ExecuteAsync(ada, Contoso, Ct);
        var row = Assert.Single(keys.Value.Keys, k => k.Id == added.Value.Id);
        Assert.Equal(TestData.Masked(credential), row.MaskedHint);
        Assert.Equal(DemoSignIn.EnterpriseOwner, row.CreatedBy);
        Assert.Equal("Anthropic", row.ProviderName);

        var models = await fixture.Get<ListCustomModelsQuery>().ExecuteAsync(ada, Contoso, Ct);
        var model = Assert.Single(models.Value.Models, m => m.KeyId == added.Value.Id);
        Assert.Equal(name, model.KeyName);
        Assert.Equal(ModelAccessLabel.Configure, model.AccessLabel);
        Assert.True(model.Enabled);
    }

    [Fact]
    public async Task ExecuteAsync_ShortCredential_HintRevealsNoCharacter()
    {
        var ada = await fixture.ActorAsync(DemoSignIn.EnterpriseOwner);
        var result = await fixture.Get<AddProviderKeyCommand>().ExecuteAsync(ada, Contoso,
            TestData.Input(ProviderKind.OpenAI, TestData.UniqueName("Short"), "abc12345", fixture.StandIn.OpenAIBaseUrl, "gpt-4o"), Ct);

        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.Equal("••••", result.Value.MaskedHint);
    }

    public static TheoryData<string, string, string> InvalidInputs => new()
    {
        // case, field, message
        { "empty name", nameof(ProviderKeyInput.Name), "Name is required." },
        { "whitespace name", nameof(ProviderKeyInput.Name), "Name is required." },
        { "name too long", nameof(ProviderKeyInput.Name), "Name must be at most 100 characters." },
        { "no key", nameof(ProviderKeyInput.Credential), "API key is required." },
        { "key with a space", nameof(ProviderKeyInput.Credential), "API key must not contain spaces or line breaks." },
        { "base URL not http", nameof(ProviderKeyInput.BaseUrl), "Base URL must be an http:// or https:// address." },
        { "base URL with password", nameof(ProviderKeyInput.BaseUrl), "Base URL must not contain a user name, password, query string or fragment: put the key in the API key field." },
        { "base URL with query", nameof(ProviderKeyInput.BaseUrl), "Base URL must not contain a user name, password, query string or fragment: put the key in the API key field." },
        { "base URL too long", nameof(ProviderKeyInput.BaseUrl), "Base URL is too long." },
        { "no models", nameof(ProviderKeyInput.ModelIds), "Select or add at least one model." },
        { "model ID with a space", "ModelIds[0]", "A model ID has 1 to 200 characters, and no spaces or control, invisible or direction-changing characters." },
        { "model ID too long", "ModelIds[0]", "A model ID has 1 to 200 characters, and no spaces or control, invisible or direction-changing characters." },
        { "same model twice", nameof(ProviderKeyInput.ModelIds), "Each model can be added once." },
        { "Azure without resource URL", nameof(ProviderKeyInput.BaseUrl), "Resource URL is required." },
        { "Foundry without deployment URL", nameof(ProviderKeyInput.BaseUrl), "Deployment URL is required." },
        { "Azure with a bad api-version", nameof(ProviderKeyInput.ApiVersion), "API version must be a date such as 2024-10-21 (or 2025-01-01-preview)." },
    };

    private ProviderKeyInput InvalidInput(string @case, string credential)
    {
        var input = TestData.Input(ProviderKind.OpenAI, TestData.UniqueName("Invalid"), credential, fixture.StandIn.OpenAIBaseUrl, "gpt-4o");
        switch (@case)
        {
            case "empty name": input = input with { Name = "" }; break;
            case "whitespace name": input = input with { Name = "   " }; break;
            case "name too long": input = input with { Name = new string('x', 101) }; break;
            case "no key": input = input with { Credential = "" }; break;
            case "key with a space": input = input with { Credential = credential[..10] + " " + credential[10..] }; break;
            case "base URL not http": input = input with { BaseUrl = "ftp://127.0.0.1/v1" }; break;
            case "base URL with password": input = input with { BaseUrl = "https://owner:" + credential + "@api.example.com/v1" }; break;
            case "base URL with query": input = input with { BaseUrl = "https://api.example.com/v1?key=" + credential }; break;
            case "base URL too long": input = input with { BaseUrl = "https://api.example.com/" + new string('v', 2100) }; break;
            case "no models": input = input with { ModelIds = [] }; break;
            case "model ID with a space": input = input with { ModelIds = [] }; input = input with { ModelIds = [.. input.ModelIds, "gpt 4o"] }; break;
            case "model ID too long": input = input with { ModelIds = [] }; input = input with { ModelIds = [.. input.ModelIds, new string('m', 201)] }; break;
            case "same model twice": input = input with { ModelIds = [.. input.ModelIds, "gpt-4o"] }; break;
            case "Azure without resource URL": input = input with { Provider = ProviderKind.AzureOpenAI }; input = input with { BaseUrl = "" }; break;
            case "Foundry without deployment URL": input = input with { Provider = ProviderKind.MicrosoftFoundry }; input = input with { BaseUrl = null }; break;
            case "Azure with a bad api-version": input = input with { Provider = ProviderKind.AzureOpenAI }; input = input with { BaseUrl = fixture.StandIn.AzureBaseUrl }; input = input with { ApiVersion = "latest" }; break;
            default: throw new ArgumentOutOfRangeException(nameof(@case), @case, null);
        }

        return input;
    }

    [Theory]
    [MemberData(nameof(InvalidInputs))]
    public async Task ExecuteAsync_InvalidField_ReturnsClearMessageAndStoresNothing(string @case, string field, string message)
    {
        var ada = await fixture.ActorAsync(DemoSignIn.EnterpriseOwner);
        var credential = TestData.NewCredential();
        var input = InvalidInput(@case, credential);
        var secretsBefore = fixture.SecretFolders();
        (int, int, int, int) before;
        await using (var db = await fixture.DbAsync())
        {
            before = await TestData.CountsAsync(db, Ct);
        }

        var result = await fixture.Get<AddProviderKeyCommand>().ExecuteAsync(ada, Contoso, input, Ct);

        var error = Assert.IsType<ValidationError>(result.Error);
        Assert.Contains(message, TestData.MessagesFor(error, field));
        Assert.False(error.Message.Contains(credential, StringComparison.Ordinal), "the validation message echoes the credential");
        await using (var db = await fixture.DbAsync())
        {
            Assert.Equal(before, await TestData.CountsAsync(db, Ct));
        }

        Assert.Equal(secretsBefore, fixture.SecretFolders());
    }

    [Theory]
    [InlineData("  {0}  ")]
    [InlineData("{1}")]
    [InlineData("{2}")]
    public async Task ExecuteAsync_NameAlreadyUsedInOtherCaseOrSpacing_IsADuplicateAndStoresNothing(string variant)
    {
        var ada = await fixture.ActorAsync(DemoSignIn.EnterpriseOwner);
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var name = $"Shared Key {suffix}";
        var add = fixture.Get<AddProviderKeyCommand>();
        var first = await add.ExecuteAsync(ada, Contoso, TestData.Input(ProviderKind.OpenAI, name, TestData.NewCredential(), fixture.StandIn.OpenAIBaseUrl, "gpt-4o"), Ct);
        Assert.True(first.IsSuccess, first.Error?.Message);
        var again = string.Format(System.Globalization.CultureInfo.InvariantCulture, variant, name, name.ToUpperInvariant(), $"shared   key  {suffix}");
        var secretsBefore = fixture.SecretFolders();
        (int, int, int, int) before;
        await using (var db = await fixture.DbAsync())
        {
            before = await TestData.CountsAsync(db, Ct);
        }

        var second = await add.ExecuteAsync(ada, Contoso, TestData.Input(ProviderKind.Anthropic, again, TestData.NewCredential(), fixture.StandIn.AnthropicBaseUrl, "claude-sonnet-4"), Ct);

        var error = Assert.IsType<ValidationError>(second.Error);
        Assert.Equal([$"An API key named \"{again.Trim()}\" already exists in Contoso. Choose another name."], TestData.MessagesFor(error, nameof(ProviderKeyInput.Name)));
        await using (var db = await fixture.DbAsync())
        {
            Assert.Equal(before, await TestData.CountsAsync(db, Ct));
        }

        Assert.Equal(secretsBefore, fixture.SecretFolders());
    }

    [Fact]
    public async Task ExecuteAsync_SameNameInAnOrganization_IsAllowed()
    {
        var ada = await fixture.ActorAsync(DemoSignIn.EnterpriseOwner);
        var oscar = await fixture.ActorAsync(DemoSignIn.WebOwner);
        var name = TestData.UniqueName("Team key");
        var add = fixture.Get<AddProviderKeyCommand>();
        Assert.True((await add.ExecuteAsync(ada, Contoso, TestData.Input(ProviderKind.OpenAI, name, TestData.NewCredential(), fixture.StandIn.OpenAIBaseUrl, "gpt-4o"), Ct)).IsSuccess);

        var inWeb = await add.ExecuteAsync(oscar, KeyScope.Organization("contoso-web"), TestData.Input(ProviderKind.OpenAI, name, TestData.NewCredential(), fixture.StandIn.OpenAIBaseUrl), Ct);
        var inData = await add.ExecuteAsync(ada, KeyScope.Organization("contoso-data"), TestData.Input(ProviderKind.OpenAI, name, TestData.NewCredential(), fixture.StandIn.OpenAIBaseUrl), Ct);

        Assert.True(inWeb.IsSuccess, inWeb.Error?.Message);
        Assert.True(inData.IsSuccess, inData.Error?.Message);
        await using var db = await fixture.DbAsync();
        Assert.Equal(3, await db.ProviderKeys.CountAsync(k => k.Name == name, Ct));
    }

    [Fact]
    public async Task ExecuteAsync_NameAlreadyUsedInSameOrganization_IsADuplicate()
    {
        var oscar = await fixture.ActorAsync(DemoSignIn.WebOwner);
        var name = TestData.UniqueName("Web key");
        var add = fixture.Get<AddProviderKeyCommand>();
        var web = KeyScope.Organization("contoso-web");
        Assert.True((await add.ExecuteAsync(oscar, web, TestData.Input(ProviderKind.OpenAI, name, TestData.NewCredential(), fixture.StandIn.OpenAIBaseUrl), Ct)).IsSuccess);

        var second = await add.ExecuteAsync(oscar, web, TestData.Input(ProviderKind.OpenAI, name.ToLowerInvariant(), TestData.NewCredential(), fixture.StandIn.OpenAIBaseUrl), Ct);

        var error = Assert.IsType<ValidationError>(second.Error);
        Assert.Equal([$"An API key named \"{name.ToLowerInvariant()}\" already exists in Contoso Web. Choose another name."], TestData.MessagesFor(error, nameof(ProviderKeyInput.Name)));
    }

    public static TheoryData<string, string, Type> Strangers => new()
    {
        // who, scope ("enterprise" or an organization), expected error
        { DemoSignIn.WebMember, "enterprise", typeof(NotFoundError) },
        { DemoSignIn.WebOwner, "enterprise", typeof(NotFoundError) },
        { DemoSignIn.WebOwner, "contoso-data", typeof(NotFoundError) },
        { DemoSignIn.DataOwner, "contoso-web", typeof(NotFoundError) },
        { DemoSignIn.WebMember, "contoso-web", typeof(ForbiddenError) },
        { DemoSignIn.WebMember, "contoso-research", typeof(NotFoundError) },
    };

    [Theory]
    [MemberData(nameof(Strangers))]
    public async Task ExecuteAsync_NotAnOwnerOfTheScope_IsRefusedStoresNothingAndAuditsTheAttempt(string who, string where, Type expected)
    {
        var actor = await fixture.ActorAsync(who);
        var scope = where == "enterprise" ? Contoso : KeyScope.Organization(where);
        var credential = TestData.NewCredential();
        var name = TestData.UniqueName("Sneaky");
        var secretsBefore = fixture.SecretFolders();
        (int Keys, int Models, int Grants, int AuditEvents) before;
        await using (var db = await fixture.DbAsync())
        {
            before = await TestData.CountsAsync(db, Ct);
        }

        var result = await fixture.Get<AddProviderKeyCommand>().ExecuteAsync(actor, scope,
            TestData.Input(ProviderKind.OpenAI, name, credential, fixture.StandIn.OpenAIBaseUrl, "gpt-4o"), Ct);

        Assert.IsType(expected, result.Error);
        await using (var db = await fixture.DbAsync())
        {
            var after = await TestData.CountsAsync(db, Ct);
            Assert.Equal((before.Keys, before.Models, before.Grants), (after.Keys, after.Models, after.Grants));
            Assert.Equal(before.AuditEvents + 1, after.AuditEvents);
            var denied = await db.AuditEvents.AsNoTracking().OrderByDescending(e => e.Id).FirstAsync(Ct);
            Assert.Equal(AuditOutcome.Denied, denied.Outcome);
            Assert.Equal(AuditActions.ProviderKeyCreate, denied.Action);
            Assert.Equal(actor.PersonId, denied.ActorId);
            Assert.Equal(where == "enterprise" ? "contoso" : where, denied.TargetName);
            Assert.False((await TestData.AllAuditTextAsync(db, Ct)).Contains(credential, StringComparison.Ordinal), "the denied attempt's audit event holds the credential");
        }

        Assert.Equal(secretsBefore, fixture.SecretFolders());
    }

    [Fact]
    public async Task ExecuteAsync_EnterpriseDisallowsOrganizationKeys_OrganizationOwnerIsForbiddenAndNothingIsStored()
    {
        var oscar = await fixture.ActorAsync(DemoSignIn.WebOwner);
        var name = TestData.UniqueName("Not allowed");
        var secretsBefore = fixture.SecretFolders();
        await SetOrganizationKeysAllowedAsync(false);
        try
        {
            var result = await fixture.Get<AddProviderKeyCommand>().ExecuteAsync(oscar, KeyScope.Organization("contoso-web"),
                TestData.Input(ProviderKind.OpenAI, name, TestData.NewCredential(), fixture.StandIn.OpenAIBaseUrl), Ct);

            Assert.Equal("Your enterprise does not allow organizations to add their own API keys.", Assert.IsType<ForbiddenError>(result.Error).Message);
            await using var db = await fixture.DbAsync();
            Assert.False(await db.ProviderKeys.AnyAsync(k => k.Name == name, Ct), "the key was stored");
            Assert.Equal(secretsBefore, fixture.SecretFolders());
        }
        finally
        {
            await SetOrganizationKeysAllowedAsync(true);
        }
    }

    private async Task SetOrganizationKeysAllowedAsync(bool allowed)
    {
        await using var db = await fixture.DbAsync();
        var contoso = await db.Enterprises.SingleAsync(e => e.Slug == "contoso", Ct);
        contoso.AllowOrganizationKeys = allowed;
        await db.SaveChangesAsync(Ct);
    }

    [Theory]
    [InlineData("contoso-data", false)]
    [InlineData("contoso-web", true)]
    public async Task ExecuteAsync_AssignedToAnApiKeyOfAnotherOrganizationOrRevoked_IsRefusedAndNothingIsStored(string apiKeyOrganization, bool revoked)
    {
        var oscar = await fixture.ActorAsync(DemoSignIn.WebOwner);
        var apiKey = new OrganizationApiKey
        {
            OrganizationId = await fixture.OrganizationIdAsync(apiKeyOrganization),
            Name = "App " + Guid.NewGuid().ToString("N")[..6],
            Prefix = "byok_test",
            SecretHash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Guid.NewGuid().ToByteArray())),
            CreatedById = oscar.PersonId,
            CreatedAt = DateTimeOffset.UtcNow,
            RevokedAt = revoked ? DateTimeOffset.UtcNow.AddMinutes(-1) : null,
        };
        await using (var db = await fixture.DbAsync())
        {
            db.OrganizationApiKeys.Add(apiKey);
            await db.SaveChangesAsync(Ct);
        }

        var input = TestData.Input(ProviderKind.OpenAI, TestData.UniqueName("Assigned"), TestData.NewCredential(), fixture.StandIn.OpenAIBaseUrl);
        input = input with { AssignToEntireOrganization = false };
        input = input with { ApiKeyIds = [.. input.ApiKeyIds, apiKey.Id] };
        var secretsBefore = fixture.SecretFolders();

        var result = await fixture.Get<AddProviderKeyCommand>().ExecuteAsync(oscar, KeyScope.Organization("contoso-web"), input, Ct);

        Assert.Equal(["One of the chosen API keys does not exist, was revoked or has expired."], TestData.MessagesFor(result.Error, nameof(ProviderKeyInput.ApiKeyIds)));
        await using (var db = await fixture.DbAsync())
        {
            Assert.False(await db.ProviderKeys.AnyAsync(k => k.Name == input.Name, Ct), "the key was stored");
        }

        Assert.Equal(secretsBefore, fixture.SecretFolders());
    }

    [Fact]
    public async Task ExecuteAsync_UnknownEnterprise_IsNotFound()
    {
        var ada = await fixture.ActorAsync(DemoSignIn.EnterpriseOwner);

        var result = await fixture.Get<AddProviderKeyCommand>().ExecuteAsync(ada, KeyScope.Enterprise("no-such-enterprise"),
            TestData.Input(ProviderKind.OpenAI, TestData.UniqueName("Nowhere"), TestData.NewCredential(), fixture.StandIn.OpenAIBaseUrl, "gpt-4o"), Ct);

        Assert.IsType<NotFoundError>(result.Error);
    }

    [Fact]
    public async Task ExecuteAsync_KeylessOllamaKey_StoresNoSecret()
    {
        var ada = await fixture.ActorAsync(DemoSignIn.EnterpriseOwner);
        var secretsBefore = fixture.SecretFolders();

        var result = await fixture.Get<AddProviderKeyCommand>().ExecuteAsync(ada, Contoso,
            TestData.Input(ProviderKind.Ollama, TestData.UniqueName("Local Ollama"), null, "http://localhost:11434/v1", "llama3.3"), Ct);

        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.Equal(ProviderKey.NoKeyHint, result.Value.MaskedHint);
        await using var db = await fixture.DbAsync();
        var key = await db.ProviderKeys.AsNoTracking().SingleAsync(k => k.Id == result.Value.Id, Ct);
        Assert.Null(key.SecretName);
        Assert.Equal(secretsBefore, fixture.SecretFolders());
    }
}
