using System.Buffers;
using System.Text;
using System.Text.Json;
using ByokPortal.Core.Availability;
using ByokPortal.Core.ProviderKeys;
using ByokPortal.Providers.Adapters;
using ByokPortal.Runtime.Resolution;
using ByokPortal.Runtime.Snapshots;

namespace ByokPortal.Runtime.Tests.Resolution;

/// <summary>
/// Resolve's answer is written straight as UTF-8 (the part before <c>provider</c> kept per route): byte for byte what the contract's records
/// serialize to, escaping included, whatever the provider configuration holds.
/// </summary>
public sealed class ResolveAnswerTests
{
    public static TheoryData<CopilotProviderConfig> Configurations() =>
    [
        new CopilotProviderConfig("openai", "https://api.openai.com/v1", "sk-\"quoted\" <b>&é", null, "completions", null),
        new CopilotProviderConfig("azure", "https://contoso.openai.azure.com/openai", "azure-key", null, null, "2024-10-21"),
        new CopilotProviderConfig("openai", "https://us-east5-aiplatform.googleapis.com/v1/projects/p/locations/us-east5/endpoints/openapi", null, "ya29.token", "completions", null),
        new CopilotProviderConfig("openai", "http://portal.test/v1", "byok_app", null, "completions", null, "AWS Bedrock is served through the portal's gateway: \"it signs\"."),
        new CopilotProviderConfig("anthropic", "https://api.anthropic.com", "sk-ant", null, null, null),
    ];

    [Theory]
    [MemberData(nameof(Configurations))]
    public void Answer_IsByteForByteWhatTheContractRecordsSerializeTo(CopilotProviderConfig provider)
    {
        var key = new RuntimeProviderKey(Guid.NewGuid(), "Team \"key\" <one> é", ProviderKind.OpenAI, Guid.NewGuid(), null, null, null, "secret", "secret", null, false, null, DateTimeOffset.UnixEpoch);
        var route = new RuntimeRoute("gpt-\"4o\"/é", Guid.NewGuid(), key, ModelSource.Organization);
        var expected = JsonSerializer.Serialize(
            new ResolveResponse(route.ModelId, new ResolvedKey(key.Id, key.Name, route.SourceName), ProviderShape.From(provider), provider.Note), RuntimeJson.Options);

        // Twice: the first call writes the route's part and keeps it, the second uses what was kept.
        for (var i = 0; i < 2; i++)
        {
            var output = new ArrayBufferWriter<byte>();
            ResolveAnswer.Write(output, route, provider);
            Assert.Equal(expected, Encoding.UTF8.GetString(output.WrittenSpan));
        }
    }
}
