using BenchmarkDotNet.Attributes;
using ByokPortal.Runtime.Authentication;
using ByokPortal.Runtime.Resolution;
using ByokPortal.Runtime.Snapshots;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace ByokPortal.Benchmarks;

/// <summary>
/// The steps of <see cref="RuntimeBenchmarks.AuthenticateAndResolve"/> one by one, to see where its time goes: hashing the presented
/// token, the snapshot lookup with its constant-time compare, the active-key rule, resolving the model, reading the header, and creating
/// and initializing the per-request authentication handler as ASP.NET Core does.
/// </summary>
[MemoryDiagnoser]
public class PartsBenchmarks
{
    private ScaleFixture _fixture = default!;
    private SnapshotStore _store = default!;
    private string _token = "";
    private string _model = "";
    private ApiKeyHash _hash;
    private RuntimeApiKey _key = default!;
    private TimeProvider _time = default!;
    private AuthenticationScheme _scheme = default!;
    private DefaultHttpContext _context = default!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _fixture = await ScaleFixture.StartAsync();
        _store = _fixture.Store;
        _token = _fixture.Tokens[0].Token;
        _model = _fixture.Tokens[0].Model;
        _hash = ApiKeyHash.Of(_token);
        _key = _store.Current.ApiKeys[_hash];
        _time = TimeProvider.System;
        _scheme = new AuthenticationScheme(ApiKeyAuthenticationDefaults.Scheme, null, typeof(ApiKeyAuthenticationHandler));
        _context = new DefaultHttpContext { RequestServices = _fixture.Services.CreateScope().ServiceProvider };
        _context.Request.Headers.Authorization = "Bearer " + _token;
    }

    [GlobalCleanup]
    public void Cleanup() => _fixture.Dispose();

    [Benchmark]
    public ApiKeyHash HashToken() => ApiKeyHash.Of(_token);

    [Benchmark]
    public bool LookupAndCompare() => _store.Current.ApiKeys.TryGetValue(_hash, out var k) && k.Hash.FixedTimeEquals(_hash);

    [Benchmark]
    public Core.ApiKeys.ApiKeyStatus ActiveKeyRule() => _key.Key.StatusAt(_time.GetUtcNow());

    [Benchmark]
    public RuntimeRoute? Resolve() => ModelResolver.Resolve(_key, _model).Route;

    [Benchmark]
    public bool ReadHeader() => Core.ApiKeys.ApiKeyToken.LooksLikeToken(PresentedApiKey.Read(_context.Request.Headers, out var ambiguous)) && !ambiguous;

    [Benchmark]
    public async Task<bool> CreateHandler()
    {
        // As ASP.NET Core's handler provider does: the scheme's handler type from the request's services (registered transient).
        var handler = (IAuthenticationHandler)_context.RequestServices.GetRequiredService(_scheme.HandlerType);
        await handler.InitializeAsync(_scheme, _context);
        return handler is ApiKeyAuthenticationHandler;
    }
}
