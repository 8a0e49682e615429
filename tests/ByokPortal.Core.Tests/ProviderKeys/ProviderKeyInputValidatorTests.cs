using ByokPortal.Core.Access;
using FluentValidation;
using ByokPortal.Core.ProviderKeys;

namespace ByokPortal.Core.Tests.ProviderKeys;

/// <summary>The key form's rules, field by field, with the exact words an owner reads under the field.</summary>
public sealed class ProviderKeyInputValidatorTests
{
    private readonly ProviderKeyInputValidator _validator = new(TestProviders.Registry);

    /// <summary>Adding an enterprise key unless a test says otherwise.</summary>
    private string[] _ruleSets = ProviderKeyRuleSets.ForSave(adding: true, KeyScope.Enterprise("contoso"));

    private static ProviderKeyInput Valid(ProviderKind provider = ProviderKind.OpenAI)
    {
        var input = new ProviderKeyInput
        {
            Provider = provider,
            Name = "Production OpenAI",
            Credential = "sk-test-0123456789abcdef",
            BaseUrl = provider switch
            {
                ProviderKind.AzureOpenAI => "https://contoso.openai.azure.com",
                ProviderKind.MicrosoftFoundry => "https://contoso.services.ai.azure.com/models",
                ProviderKind.Ollama or ProviderKind.OpenAICompatible => "http://localhost:11434/v1",
                _ => null,
            },
        };
        input = input with { ModelIds = [.. input.ModelIds, "gpt-4o"] };
        return input;
    }

    private string[] Messages(ProviderKeyInput input, string property) =>
        _validator.Validate(input, o => o.IncludeRuleSets(_ruleSets)).Errors.Where(e => e.PropertyName == property).Select(e => e.ErrorMessage).ToArray();

    private string[] AllMessages(ProviderKeyInput input) => _validator.Validate(input, o => o.IncludeRuleSets(_ruleSets)).Errors.Select(e => e.ErrorMessage).ToArray();

    [Theory]
    [InlineData(ProviderKind.OpenAI)]
    [InlineData(ProviderKind.AzureOpenAI)]
    [InlineData(ProviderKind.MicrosoftFoundry)]
    [InlineData(ProviderKind.Anthropic)]
    [InlineData(ProviderKind.GoogleAIStudio)]
    [InlineData(ProviderKind.Mistral)]
    [InlineData(ProviderKind.Ollama)]
    [InlineData(ProviderKind.OpenAICompatible)]
    public void Validate_CompleteInput_IsValid(ProviderKind provider)
    {
        Assert.Empty(AllMessages(Valid(provider)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\t")]
    public void Validate_NameEmptyOrWhitespace_NameIsRequired(string name)
    {
        var input = Valid();
        input = input with { Name = name };

        Assert.Equal(["Name is required."], Messages(input, nameof(ProviderKeyInput.Name)));
    }

    [Fact]
    public void Validate_Name100Characters_IsValid()
    {
        var input = Valid();
        input = input with { Name = new string('n', 100) };

        Assert.Empty(AllMessages(input));
    }

    [Fact]
    public void Validate_Name101Characters_SaysTheLimit()
    {
        var input = Valid();
        input = input with { Name = new string('n', 101) };

        Assert.Equal(["Name must be at most 100 characters."], Messages(input, nameof(ProviderKeyInput.Name)));
    }

    [Theory]
    [InlineData("Prod\nKey")]
    [InlineData("Prod\u0000Key")]
    [InlineData("Prod\u001bKey")]
    public void Validate_NameWithControlCharacters_IsRefused(string name)
    {
        var input = Valid();
        input = input with { Name = name };

        Assert.Equal(["Name must not contain control, invisible or direction-changing characters."], Messages(input, nameof(ProviderKeyInput.Name)));
    }

    [Theory]
    [InlineData(ProviderKind.OpenAI, null)]
    [InlineData(ProviderKind.OpenAI, "")]
    [InlineData(ProviderKind.AzureOpenAI, "  ")]
    [InlineData(ProviderKind.MicrosoftFoundry, null)]
    [InlineData(ProviderKind.Anthropic, "")]
    [InlineData(ProviderKind.GoogleAIStudio, null)]
    [InlineData(ProviderKind.XAI, "")]
    public void Validate_ApiKeyProviderWithoutKey_KeyIsRequired(ProviderKind provider, string? credential)
    {
        var input = Valid(provider);
        input = input with { Credential = credential };

        Assert.Equal(["API key is required."], Messages(input, nameof(ProviderKeyInput.Credential)));
    }

    [Theory]
    [InlineData(ProviderKind.Ollama)]
    [InlineData(ProviderKind.OpenAICompatible)]
    public void Validate_KeylessProviderWithoutKey_IsValid(ProviderKind provider)
    {
        var input = Valid(provider);
        input = input with { Credential = null };

        Assert.Empty(AllMessages(input));
    }

    [Fact]
    public void Validate_EditWithoutKey_KeepsTheStoredOneAndIsValid()
    {
        var input = Valid();
        _ruleSets = ProviderKeyRuleSets.ForSave(adding: false, KeyScope.Enterprise("contoso"));
        input = input with { Credential = "" };

        Assert.Empty(AllMessages(input));
    }

    [Theory]
    [InlineData("sk-test 0123456789")]
    [InlineData("sk-test\n0123456789")]
    [InlineData("sk-test\t0123456789")]
    public void Validate_KeyWithSpacesOrLineBreaksInside_IsRefused(string credential)
    {
        var input = Valid();
        input = input with { Credential = credential };

        Assert.Equal(["API key must not contain spaces or line breaks."], Messages(input, nameof(ProviderKeyInput.Credential)));
    }

    [Fact]
    public void Validate_KeyWithSurroundingSpaces_IsValid()
    {
        var input = Valid();
        input = input with { Credential = "  sk-test-0123456789abcdef \n" };

        Assert.Empty(AllMessages(input));
    }

    [Fact]
    public void Validate_KeyTooLong_IsRefused()
    {
        var input = Valid();
        input = input with { Credential = new string('k', ProviderKeyInputValidator.MaxCredentialLength + 1) };

        Assert.Equal(["API key is too long."], Messages(input, nameof(ProviderKeyInput.Credential)));
    }

    [Theory]
    [InlineData(ProviderKind.AzureOpenAI, "Resource URL is required.")]
    [InlineData(ProviderKind.MicrosoftFoundry, "Deployment URL is required.")]
    [InlineData(ProviderKind.OpenAICompatible, "Base URL is required.")]
    [InlineData(ProviderKind.Ollama, "Base URL is required.")]
    public void Validate_ProviderThatNeedsAnEndpointWithoutOne_SaysWhichUrlIsRequired(ProviderKind provider, string message)
    {
        var input = Valid(provider);
        input = input with { BaseUrl = " " };

        Assert.Equal([message], Messages(input, nameof(ProviderKeyInput.BaseUrl)));
    }

    [Theory]
    [InlineData(ProviderKind.OpenAI)]
    [InlineData(ProviderKind.Anthropic)]
    [InlineData(ProviderKind.GoogleAIStudio)]
    public void Validate_ProviderWithDefaultBaseUrlLeftEmpty_UsesTheDefault(ProviderKind provider)
    {
        var input = Valid(provider);
        input = input with { BaseUrl = "" };

        Assert.Empty(AllMessages(input));
        var rules = TestProviders.Registry.Get(provider);
        Assert.Equal(rules.Form.Field(FormField.BaseUrl)!.Placeholder, rules.Connection(input).BaseUrl);
    }

    [Theory]
    [InlineData(ProviderKind.OpenAI, "ftp://api.example.com/v1", "Base URL must be an http:// or https:// address.")]
    [InlineData(ProviderKind.OpenAI, "file:///etc/passwd", "Base URL must be an http:// or https:// address.")]
    [InlineData(ProviderKind.OpenAI, "api.openai.com/v1", "Base URL must be an http:// or https:// address.")]
    [InlineData(ProviderKind.OpenAI, "javascript:alert(1)", "Base URL must be an http:// or https:// address.")]
    [InlineData(ProviderKind.AzureOpenAI, "not a url", "Resource URL must be an http:// or https:// address.")]
    [InlineData(ProviderKind.MicrosoftFoundry, "ws://contoso.services.ai.azure.com/models", "Deployment URL must be an http:// or https:// address.")]
    public void Validate_EndpointNotHttp_IsRefused(ProviderKind provider, string url, string message)
    {
        var input = Valid(provider);
        input = input with { BaseUrl = url };

        Assert.Equal([message], Messages(input, nameof(ProviderKeyInput.BaseUrl)));
    }

    [Theory]
    [InlineData("https://user:secret@api.example.com/v1")]
    [InlineData("https://user@api.example.com/v1")]
    [InlineData("https://api.example.com/v1?key=abc")]
    [InlineData("https://api.example.com/v1#fragment")]
    public void Validate_EndpointWithUserInfoQueryOrFragment_TellsToPutTheKeyInTheKeyField(string url)
    {
        var input = Valid();
        input = input with { BaseUrl = url };

        Assert.Equal(["Base URL must not contain a user name, password, query string or fragment: put the key in the API key field."],
            Messages(input, nameof(ProviderKeyInput.BaseUrl)));
    }

    [Fact]
    public void Validate_EndpointTooLong_IsRefused()
    {
        var input = Valid(ProviderKind.MicrosoftFoundry);
        input = input with { BaseUrl = "https://contoso.services.ai.azure.com/" + new string('a', 2048) };

        Assert.Equal(["Deployment URL is too long."], Messages(input, nameof(ProviderKeyInput.BaseUrl)));
    }

    [Theory]
    [InlineData("2024-10-21")]
    [InlineData("2025-01-01-preview")]
    [InlineData("")]
    [InlineData(null)]
    public void Validate_AzureApiVersionWellFormedOrEmpty_IsValid(string? version)
    {
        var input = Valid(ProviderKind.AzureOpenAI);
        input = input with { ApiVersion = version };

        Assert.Empty(AllMessages(input));
    }

    [Theory]
    [InlineData("2024-10")]
    [InlineData("latest")]
    [InlineData("2024-10-21-beta")]
    [InlineData("2024-10-21&x=1")]
    public void Validate_AzureApiVersionMalformed_SaysTheFormat(string version)
    {
        var input = Valid(ProviderKind.AzureOpenAI);
        input = input with { ApiVersion = version };

        Assert.Equal(["API version must be a date such as 2024-10-21 (or 2025-01-01-preview)."], Messages(input, nameof(ProviderKeyInput.ApiVersion)));
    }

    [Fact]
    public void Validate_ApiVersionOnProviderWithoutOne_IsIgnored()
    {
        var input = Valid(ProviderKind.OpenAI);
        input = input with { ApiVersion = "whatever" };

        Assert.Empty(AllMessages(input));
    }

    [Fact]
    public void Validate_NoModelsWhenModelsRequired_AsksForOne()
    {
        var input = Valid();
        input = input with { ModelIds = [] };

        Assert.Equal(["Select or add at least one model."], Messages(input, nameof(ProviderKeyInput.ModelIds)));
    }

    [Fact]
    public void Validate_NoModelsWhenModelsNotRequired_IsValid()
    {
        var input = Valid();
        _ruleSets = ProviderKeyRuleSets.ForSave(adding: true, KeyScope.Organization("contoso-web"));
        input = input with { ModelIds = [] };

        Assert.Empty(AllMessages(input));
    }

    [Fact]
    public void Validate_SameModelTwice_IsRefused()
    {
        var input = Valid();
        input = input with { ModelIds = [.. input.ModelIds, "gpt-4o"] };

        Assert.Equal(["Each model can be added once."], Messages(input, nameof(ProviderKeyInput.ModelIds)));
    }

    [Fact]
    public void Validate_TooManyModels_SaysTheLimit()
    {
        var input = Valid();
        input = input with { ModelIds = [] };
        for (var i = 0; i <= ProviderKeyInputValidator.MaxModelsPerKey; i++)
        {
            input = input with { ModelIds = [.. input.ModelIds, $"model-{i}"] };
        }

        Assert.Equal(["A key can serve at most 500 models."], Messages(input, nameof(ProviderKeyInput.ModelIds)));
    }

    [Theory]
    [InlineData("gpt 4o")]
    [InlineData(" ")]
    [InlineData("")]
    [InlineData("gpt-4o\n")]
    public void Validate_ModelIdWithSpacesOrEmpty_IsRefused(string modelId)
    {
        var input = Valid();
        input = input with { ModelIds = [.. input.ModelIds, modelId] };

        Assert.Equal(["A model ID has 1 to 200 characters, and no spaces or control, invisible or direction-changing characters."], Messages(input, "ModelIds[1]"));
    }

    [Fact]
    public void Validate_ModelId200Characters_IsValid()
    {
        var input = Valid();
        input = input with { ModelIds = [.. input.ModelIds, new string('m', 200)] };

        Assert.Empty(AllMessages(input));
    }

    [Fact]
    public void Validate_ModelId201Characters_IsRefused()
    {
        var input = Valid();
        input = input with { ModelIds = [.. input.ModelIds, new string('m', 201)] };

        Assert.Equal(["A model ID has 1 to 200 characters, and no spaces or control, invisible or direction-changing characters."], Messages(input, "ModelIds[1]"));
    }

    [Fact]
    public void Validate_AssignedToSpecificApiKeysButNoneChosen_AsksForOne()
    {
        _ruleSets = ProviderKeyRuleSets.ForSave(adding: true, KeyScope.Organization("contoso-web"));
        var input = Valid();
        input = input with { AssignToEntireOrganization = false };

        Assert.Equal(["Choose at least one API key, or assign the key to the entire organization."], Messages(input, nameof(ProviderKeyInput.ApiKeyIds)));
    }

    [Fact]
    public void Validate_AssignedToSpecificApiKeysWithOneChosen_IsValid()
    {
        var input = Valid();
        input = input with { AssignToEntireOrganization = false };
        input = input with { ApiKeyIds = [.. input.ApiKeyIds, Guid.NewGuid()] };

        Assert.Empty(AllMessages(input));
    }

    [Fact]
    public void Validate_UnknownProvider_AsksToChooseOne()
    {
        var input = Valid();
        input = input with { Provider = (ProviderKind)999 };

        Assert.Contains("Choose a provider.", Messages(input, nameof(ProviderKeyInput.Provider)));
    }
}
