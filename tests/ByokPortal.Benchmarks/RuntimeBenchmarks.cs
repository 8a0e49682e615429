using BenchmarkDotNet.Attributes;
using ByokPortal.Runtime.Authentication;
using ByokPortal.Runtime.Resolution;
using ByokPortal.Runtime.Snapshots;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace ByokPortal.Benchmarks;

/// <summary>
/// The request path of every runtime call at the scale of issue 8, as the runtime runs it, minus the network: API-key authentication
/// (<see cref="ApiKeyAuthenticationHandler"/>, created and initialized per request as ASP.NET Core does: hashing the presented key, the
/// snapshot lookup, the constant-time compare, the active-key rule) then resolving the model (<see cref="ModelResolver"/>), or the model
/// list answer. Targets (issue 8): authentication + resolve under 2 µs and under 1 KB allocated.
/// </summary>
[MemoryDiagnoser]
public class RuntimeBenchmarks
{
    private ScaleFixture _fixture = default!;
    private AuthenticationScheme _scheme = default!;
    private DefaultHttpContext _context = default!;
    private string _model = "";

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _fixture = await ScaleFixture.StartAsync();
        var services = _fixture.Services;
        _scheme = new AuthenticationScheme(ApiKeyAuthenticationDefaults.Scheme, null, typeof(ApiKeyAuthenticationHandler));
        var sample = _fixture.Tokens[0];
        _model = sample.Model;
        _context = new DefaultHttpContext { RequestServices = services.CreateScope().ServiceProvider };
        _context.Request.Headers.Authorization = "Bearer " + sample.Token;

        // Fails loudly here, not in a silent benchmark, if the fixture does not authenticate or resolve.
        var key = await AuthenticateAsync() ?? throw new InvalidOperationException("The sample API key did not authenticate.");
        if (!ModelResolver.Resolve(key, _model).CanServe)
        {
            throw new InvalidOperationException($"The sample API key cannot use {_model}.");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _fixture.Dispose();

    /// <summary>A request's API-key authentication, then resolving its model to the key that serves it.</summary>
    [Benchmark]
    public async Task<RuntimeRoute?> AuthenticateAndResolve()
    {
        var key = await AuthenticateAsync();
        return ModelResolver.Resolve(key!, _model).Route;
    }

    /// <summary>A request's API-key authentication, then the model list answer (<c>GET /api/v1/models</c>'s body, built once per snapshot).</summary>
    [Benchmark]
    public async Task<int> AuthenticateAndListModels()
    {
        var key = await AuthenticateAsync();
        return key!.Models.PortalListJson.Length;
    }

    private async Task<RuntimeApiKey?> AuthenticateAsync()
    {
        // As ASP.NET Core's handler provider does: the scheme's handler type from the request's services (registered transient).
        var handler = (IAuthenticationHandler)_context.RequestServices.GetRequiredService(_scheme.HandlerType);
        await handler.InitializeAsync(_scheme, _context);
        var result = await handler.AuthenticateAsync();
        return result.Succeeded ? _context.Features.Get<RuntimeApiKey>() : null;
    }
}
