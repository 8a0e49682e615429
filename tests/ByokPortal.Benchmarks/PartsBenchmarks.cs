using System.Text.Encodings.Web;
using BenchmarkDotNet.Attributes;
using ByokPortal.Runtime.Authentication;
using ByokPortal.Runtime.Resolution;
using ByokPortal.Runtime.Snapshots;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ByokPortal.Benchmarks;

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
    private IOptionsMonitor<AuthenticationSchemeOptions> _options = default!;
    private ILoggerFactory _loggers = default!;
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
        _options = _fixture.Services.GetRequiredService<IOptionsMonitor<AuthenticationSchemeOptions>>();
        _loggers = _fixture.Services.GetRequiredService<ILoggerFactory>();
        _context = new DefaultHttpContext { RequestServices = _fixture.Services };
        _context.Request.Headers.Authorization = "Bearer " + _token;
    }

    [GlobalCleanup]
    public void Cleanup() => _fixture.Dispose();

    [Benchmark]
    public ApiKeyHash Hash() => ApiKeyHash.Of(_token);

    [ThreadStatic]
    private static System.Security.Cryptography.IncrementalHash? t_hash;

    [Benchmark]
    public int HashIncremental()
    {
        var h = t_hash ??= System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        Span<byte> utf8 = stackalloc byte[64];
        var n = System.Text.Encoding.UTF8.GetBytes(_token, utf8);
        h.AppendData(utf8[..n]);
        Span<byte> o = stackalloc byte[32];
        return h.GetHashAndReset(o);
    }

    [ThreadStatic]
    private static System.Security.Cryptography.SHA256? t_sha;

    [Benchmark]
    public bool HashInstance()
    {
        var h = t_sha ??= System.Security.Cryptography.SHA256.Create();
        Span<byte> utf8 = stackalloc byte[64];
        var n = System.Text.Encoding.UTF8.GetBytes(_token, utf8);
        Span<byte> o = stackalloc byte[32];
        return h.TryComputeHash(utf8[..n], o, out _);
    }

    [Benchmark]
    public bool LookupCompare() => _store.Current.ApiKeys.TryGetValue(_hash, out var k) && k.Hash.FixedTimeEquals(_hash);

    [Benchmark]
    public Core.ApiKeys.ApiKeyStatus Status() => _key.Key.StatusAt(_time.GetUtcNow());

    [Benchmark]
    public RuntimeRoute? Resolve() => ModelResolver.Resolve(_key, _model).Route;

    [Benchmark]
    public bool LooksLike() => Core.ApiKeys.ApiKeyToken.LooksLikeToken(PresentedApiKey.Read(_context.Request.Headers));

    [Benchmark]
    public async Task<bool> HandlerInitOnly()
    {
        var handler = new ApiKeyAuthenticationHandler(_options, _loggers, UrlEncoder.Default, _store, _time);
        await handler.InitializeAsync(_scheme, _context);
        return handler.Scheme is not null;
    }
}
