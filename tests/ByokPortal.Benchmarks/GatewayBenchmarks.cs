using System.Net.Http.Headers;
using System.Text;
using BenchmarkDotNet.Attributes;
using ByokPortal.Gateway;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace ByokPortal.Benchmarks;

/// <summary>
/// What the gateway adds to one LLM call, end to end over loopback HTTP in one process: a chat completion sent straight to the stand-in
/// provider (the baseline), then the same through the lean gateway host (<see cref="GatewaySetup"/>: Kestrel, API-key authentication,
/// rate limit, resolve over the scale snapshot, the outbound guard, forwarding, usage queued) to the same provider. The difference of the
/// two is the gateway's overhead per call; allocations count every thread of the process (client, gateway and provider).
/// </summary>
[MemoryDiagnoser]
public class GatewayBenchmarks
{
    private ScaleFixture _fixture = default!;
    private ProviderStandIn _provider = default!;
    private WebApplication _gateway = default!;
    private HttpClient _client = default!;
    private Uri _direct = default!;
    private Uri _throughGateway = default!;
    private byte[] _body = [];
    private string _token = "";

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _fixture = await ScaleFixture.StartAsync();
        _provider = await ProviderStandIn.StartAsync();

        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.AddInMemoryCollection(ScaleFixture.Settings(_fixture.DataDirectory));
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.AddGateway();
        _gateway = builder.Build();
        _gateway.UseGateway();
        await _gateway.StartAsync();

        var sample = _fixture.Tokens[0];
        _token = sample.Token;
        _body = Encoding.UTF8.GetBytes($$"""{"model":"{{sample.Model}}","messages":[{"role":"user","content":"Say hello."}],"max_tokens":16}""");
        _direct = new Uri(ProviderStandIn.BaseUrl + "/chat/completions");
        _throughGateway = new Uri(_gateway.Urls.Single().TrimEnd('/') + "/v1/chat/completions");
        _client = new HttpClient(new SocketsHttpHandler { UseProxy = false, UseCookies = false });

        // Fails loudly here, not in a silent benchmark, if either path does not answer 200.
        await DirectAsync();
        await ThroughGatewayAsync();
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        _client.Dispose();
        await _gateway.DisposeAsync();
        await _provider.DisposeAsync();
        _fixture.Dispose();
    }

    /// <summary>The provider directly, with its key.</summary>
    [Benchmark(Baseline = true)]
    public Task<int> DirectAsync() => SendAsync(_direct, "sk-bench-provider-key");

    /// <summary>The same call through the gateway, with an organization API key.</summary>
    [Benchmark]
    public Task<int> ThroughGatewayAsync() => SendAsync(_throughGateway, _token);

    private async Task<int> SendAsync(Uri uri, string bearer)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new ByteArrayContent(_body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        using var response = await _client.SendAsync(request);
        var answer = await response.Content.ReadAsByteArrayAsync();
        return response.IsSuccessStatusCode
            ? answer.Length
            : throw new InvalidOperationException($"{uri} answered {(int)response.StatusCode}: {Encoding.UTF8.GetString(answer)}");
    }
}
