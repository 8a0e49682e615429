using ByokPortal.Core.Access;
using System.Net;
using System.Net.Sockets;
using ByokPortal.Core.Common;
using ByokPortal.Core.ProviderKeys;
using ByokPortal.Testing;

namespace ByokPortal.Core.Tests.ProviderKeys;

/// <summary>"Fetch new models" through the real portal against the provider stand-in on loopback.</summary>
public sealed class FetchProviderModelsQueryTests(PortalFixture fixture) : IClassFixture<PortalFixture>
{
    private static CancellationToken Ct => PortalFixture.Ct;

    private static readonly KeyScope Contoso = KeyScope.Enterprise("contoso");

    private string BaseUrlOf(ProviderKind provider) => provider switch
    {
        ProviderKind.OpenAI => fixture.StandIn.OpenAIBaseUrl,
        ProviderKind.Anthropic => fixture.StandIn.AnthropicBaseUrl,
        ProviderKind.GoogleAIStudio => fixture.StandIn.GoogleBaseUrl,
        ProviderKind.AzureOpenAI => fixture.StandIn.AzureBaseUrl,
        ProviderKind.MicrosoftFoundry => fixture.StandIn.FoundryDeploymentUrl,
        ProviderKind.OpenAICompatible => fixture.StandIn.OpenAIBaseUrl,
        _ => throw new ArgumentOutOfRangeException(nameof(provider)),
    };

    private async Task<Result<IReadOnlyList<string>>> FetchAsync(string who, KeyScope scope, ProviderKind provider, string? credential, string? baseUrl = null, Guid? existingKeyId = null)
    {
        var actor = await fixture.ActorAsync(who);
        var input = TestData.Input(provider, "Fetch", credential, baseUrl ?? BaseUrlOf(provider));
        return (await fixture.Get<FetchProviderModelsQuery>().ExecuteAsync(actor, scope, input, existingKeyId, Ct)).Models();
    }

    internal static int UnusedLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    [Theory]
    [InlineData(ProviderKind.OpenAI)]
    [InlineData(ProviderKind.Anthropic)]
    [InlineData(ProviderKind.GoogleAIStudio)]
    [InlineData(ProviderKind.AzureOpenAI)]
    [InlineData(ProviderKind.MicrosoftFoundry)]
    [InlineData(ProviderKind.OpenAICompatible)]
    public async Task ExecuteAsync_AcceptedKey_ReturnsTheProvidersModels(ProviderKind provider)
    {
        var result = await FetchAsync(DemoSignIn.EnterpriseOwner, Contoso, provider, fixture.StandIn.AcceptedKey);

        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.Equal(fixture.StandIn.Models.Order(StringComparer.Ordinal), result.Value);
    }

    [Theory]
    [InlineData(ProviderKind.OpenAI)]
    [InlineData(ProviderKind.Anthropic)]
    [InlineData(ProviderKind.GoogleAIStudio)]
    [InlineData(ProviderKind.AzureOpenAI)]
    [InlineData(ProviderKind.MicrosoftFoundry)]
    public async Task ExecuteAsync_WrongKey_SaysRejectedWithoutEchoingTheKeyAnywhere(ProviderKind provider)
    {
        var wrongKey = TestData.NewCredential();

        var result = await FetchAsync(DemoSignIn.EnterpriseOwner, Contoso, provider, wrongKey);

        // Secrets first, as booleans: a failing assertion must not print the text that holds one.
        var error = Assert.IsType<ProviderCallError>(result.Error);
        Assert.False(error.Message.Contains(wrongKey, StringComparison.Ordinal), "the error message echoes the wrong key");
        Assert.False(error.Message.Contains(wrongKey[^8..], StringComparison.Ordinal), "the error message echoes part of the wrong key");
        Assert.False(error.Message.Contains("Incorrect API key provided", StringComparison.Ordinal), "the error message passes on the provider's answer");
        Assert.False(fixture.Factory.Logs.AllText.Contains(wrongKey, StringComparison.Ordinal), "the logs hold the wrong key");
        Assert.False(fixture.Factory.Logs.AllText.Contains("Incorrect API key provided", StringComparison.Ordinal), "the logs hold the provider's answer");
        Assert.True(fixture.StandIn.Requests.Any(r => r.Headers.Values.Any(v => v.Contains(wrongKey, StringComparison.Ordinal))),
            "the portal did not present the typed key to the provider");
        Assert.Equal(ProviderFailureReason.Unauthorized, error.Reason);
        Assert.Contains("rejected the API key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecuteAsync_Google_SendsTheKeyOnlyInTheHeaderNeverInTheUrl()
    {
        var before = fixture.StandIn.Requests.Count;

        var result = await FetchAsync(DemoSignIn.EnterpriseOwner, Contoso, ProviderKind.GoogleAIStudio, fixture.StandIn.AcceptedKey);

        Assert.True(result.IsSuccess, result.Error?.Message);
        var request = Assert.Single(fixture.StandIn.Requests.Skip(before));
        Assert.StartsWith("/google/v1beta/models", request.PathAndQuery, StringComparison.Ordinal);
        Assert.True(request.Headers.TryGetValue("x-goog-api-key", out var header) && header == fixture.StandIn.AcceptedKey, "the key is not in x-goog-api-key");
        Assert.False(request.PathAndQuery.Contains(fixture.StandIn.AcceptedKey, StringComparison.Ordinal), "the key is in the URL");
        Assert.DoesNotContain("key=", request.PathAndQuery, StringComparison.OrdinalIgnoreCase);
        Assert.False(request.Headers.ContainsKey("Authorization"), "an Authorization header was sent as well");
        Assert.False(fixture.Factory.Logs.AllText.Contains(fixture.StandIn.AcceptedKey, StringComparison.Ordinal), "the logs hold the key");
    }

    [Fact]
    public async Task ExecuteAsync_NothingListensOnThePort_IsUnreachable()
    {
        var baseUrl = $"http://127.0.0.1:{UnusedLoopbackPort()}/v1";

        var result = await FetchAsync(DemoSignIn.EnterpriseOwner, Contoso, ProviderKind.OpenAI, fixture.StandIn.AcceptedKey, baseUrl);

        var error = Assert.IsType<ProviderCallError>(result.Error);
        Assert.Equal(ProviderFailureReason.Unreachable, error.Reason);
        Assert.Contains("Could not reach 127.0.0.1", error.Message, StringComparison.Ordinal);
        Assert.Contains("Check the base URL.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecuteAsync_BaseUrlWithNothingThere_IsNotFound()
    {
        var result = await FetchAsync(DemoSignIn.EnterpriseOwner, Contoso, ProviderKind.OpenAI, fixture.StandIn.AcceptedKey, fixture.StandIn.NotFoundBaseUrl);

        var error = Assert.IsType<ProviderCallError>(result.Error);
        Assert.Equal(ProviderFailureReason.NotFound, error.Reason);
        Assert.Contains("404 Not Found", error.Message, StringComparison.Ordinal);
        Assert.Contains(fixture.StandIn.Address.Authority, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("/nothing-here", error.Message, StringComparison.Ordinal); // the URL's path is not echoed
    }

    [Fact]
    public async Task ExecuteAsync_SecretTypedIntoTheBaseUrl_IsRefusedWithoutEchoingIt()
    {
        var secret = TestData.NewCredential();
        var before = fixture.StandIn.Requests.Count;
        var address = fixture.StandIn.Address;

        var result = await FetchAsync(DemoSignIn.EnterpriseOwner, Contoso, ProviderKind.OpenAI, fixture.StandIn.AcceptedKey,
            $"http://owner:{secret}@{address.Authority}/nothing-here/v1");

        // Refused by the same rule as Save, on the field.
        var error = Assert.IsType<ValidationError>(result.Error);
        Assert.False(error.Message.Contains(secret, StringComparison.Ordinal), "the message echoes the secret typed into the URL");
        Assert.Equal(["Base URL must not contain a user name, password, query string or fragment: put the key in the API key field."],
            TestData.MessagesFor(error, nameof(ProviderKeyInput.BaseUrl)));
        Assert.Equal(before, fixture.StandIn.Requests.Count);
    }

    [Fact]
    public async Task ExecuteAsync_EditingWithKeyFieldLeftEmpty_UsesTheStoredKey()
    {
        var ada = await fixture.ActorAsync(DemoSignIn.EnterpriseOwner);
        var added = await fixture.Get<AddProviderKeyCommand>().ExecuteAsync(ada, Contoso,
            TestData.Input(ProviderKind.OpenAI, TestData.UniqueName("Stored"), fixture.StandIn.AcceptedKey, fixture.StandIn.OpenAIBaseUrl, "gpt-4o"), Ct);
        Assert.True(added.IsSuccess, added.Error?.Message);

        var result = await FetchAsync(DemoSignIn.EnterpriseOwner, Contoso, ProviderKind.OpenAI, credential: "", existingKeyId: added.Value.Id);

        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.Equal(3, result.Value.Count);
    }

    [Fact]
    public async Task ExecuteAsync_NoKeyForAnApiKeyProvider_AsksForTheKeyWithoutCallingOut()
    {
        var before = fixture.StandIn.Requests.Count;

        var result = await FetchAsync(DemoSignIn.EnterpriseOwner, Contoso, ProviderKind.OpenAI, credential: "  ");

        Assert.Equal(["API key is required."], TestData.MessagesFor(result.Error, nameof(ProviderKeyInput.Credential)));
        Assert.Equal(before, fixture.StandIn.Requests.Count);
    }

    [Theory]
    [InlineData(DemoSignIn.WebMember, "enterprise", typeof(NotFoundError))]
    [InlineData(DemoSignIn.WebOwner, "enterprise", typeof(NotFoundError))]
    [InlineData(DemoSignIn.WebOwner, "contoso-data", typeof(NotFoundError))]
    [InlineData(DemoSignIn.WebMember, "contoso-web", typeof(ForbiddenError))]
    public async Task ExecuteAsync_NotAnOwner_CannotMakeThePortalCallOut(string who, string where, Type expected)
    {
        var before = fixture.StandIn.Requests.Count;

        var result = await FetchAsync(who, where == "enterprise" ? Contoso : KeyScope.Organization(where), ProviderKind.OpenAI, fixture.StandIn.AcceptedKey);

        Assert.IsType(expected, result.Error);
        Assert.Equal(before, fixture.StandIn.Requests.Count);
    }

    [Fact]
    public async Task ExecuteAsync_NotAnOwnerNamingSomeoneElsesKey_GetsNothingAndNoCallIsMade()
    {
        var ada = await fixture.ActorAsync(DemoSignIn.EnterpriseOwner);
        var added = await fixture.Get<AddProviderKeyCommand>().ExecuteAsync(ada, Contoso,
            TestData.Input(ProviderKind.OpenAI, TestData.UniqueName("Enterprise only"), fixture.StandIn.AcceptedKey, fixture.StandIn.OpenAIBaseUrl, "gpt-4o"), Ct);
        Assert.True(added.IsSuccess, added.Error?.Message);
        var before = fixture.StandIn.Requests.Count;

        // Oscar owns contoso-web, and names the enterprise key while fetching in his organization.
        var result = await FetchAsync(DemoSignIn.WebOwner, KeyScope.Organization("contoso-web"), ProviderKind.OpenAI, credential: null, existingKeyId: added.Value.Id);

        Assert.IsType<NotFoundError>(result.Error);
        Assert.Equal(before, fixture.StandIn.Requests.Count);
    }

    [Fact]
    public async Task ExecuteAsync_UnknownProvider_AsksToChooseOne()
    {
        var result = await FetchAsync(DemoSignIn.EnterpriseOwner, Contoso, (ProviderKind)999, fixture.StandIn.AcceptedKey, fixture.StandIn.OpenAIBaseUrl);

        Assert.Equal(["Choose a provider."], TestData.MessagesFor(result.Error, nameof(ProviderKeyInput.Provider)));
    }
}
