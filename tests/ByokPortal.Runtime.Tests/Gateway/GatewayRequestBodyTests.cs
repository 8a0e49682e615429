using System.Net;
using System.Text;

namespace ByokPortal.Runtime.Tests.Gateway;

/// <summary>
/// The gateway reads the application's body once, to find its model, and forwards those same bytes: also when it arrives in many pieces
/// without a declared length (chunked), and never beyond Portal:Runtime:MaxRequestBytes.
/// </summary>
public sealed class GatewayRequestBodyTests(RuntimeFixture fixture) : IClassFixture<RuntimeFixture>
{
    private readonly RuntimeSteps _steps = new(fixture);

    [Fact]
    public async Task ChunkedBodyInManyPieces_ReachesTheProviderByteForByte()
    {
        var model = RuntimeSteps.UniqueModel("gpt");
        var app = await _steps.IssueApiKeyAsync("contoso-web");
        await _steps.AddEnterpriseKeyForAllAsync("Chunked " + model, [model]);
        await fixture.RefreshAsync();
        var text = new string('é', 40_000) + "🙂" + new string('x', 120_000);
        var json = $"{{\"messages\":[{{\"role\":\"user\",\"content\":\"{text}\"}}],\"model\":\"{model}\"}}";

        using var response = await fixture.Client(app.Token).PostAsync(
            new Uri("/v1/chat/completions", UriKind.Relative), new PiecesContent(Encoding.UTF8.GetBytes(json), pieceSize: 1_000), RuntimeFixture.Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var received = fixture.StandIn.Requests.Single(r => r.Body.Contains(model, StringComparison.Ordinal));
        Assert.Equal(json, received.Body);
    }

    [Fact]
    public async Task ChunkedBodyOverTheLimit_IsRefusedWith413_WithoutCallingTheProvider()
    {
        var app = await _steps.IssueApiKeyAsync("contoso-web");
        await fixture.RefreshAsync();
        var calls = fixture.StandIn.Requests.Count;

        using var response = await fixture.Client(app.Token).PostAsync(
            new Uri("/v1/chat/completions", UriKind.Relative), new PiecesContent(new byte[(16 * 1024 * 1024) + 10], pieceSize: 256 * 1024), RuntimeFixture.Ct);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(calls, fixture.StandIn.Requests.Count);
    }

    /// <summary>A JSON body of no declared length (sent chunked), written and flushed piece by piece.</summary>
    private sealed class PiecesContent : HttpContent
    {
        private readonly byte[] _bytes;
        private readonly int _pieceSize;

        public PiecesContent(byte[] bytes, int pieceSize)
        {
            _bytes = bytes;
            _pieceSize = pieceSize;
            Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        }

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            for (var offset = 0; offset < _bytes.Length; offset += _pieceSize)
            {
                await stream.WriteAsync(_bytes.AsMemory(offset, Math.Min(_pieceSize, _bytes.Length - offset)));
                await stream.FlushAsync();
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
