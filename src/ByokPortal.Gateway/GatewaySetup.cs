using ByokPortal.Core;
using ByokPortal.Providers;
using ByokPortal.Core.Data;
using ByokPortal.Persistence;
using ByokPortal.Runtime;
using ByokPortal.Runtime.Authentication;
using ByokPortal.Runtime.Gateway;
using ByokPortal.Secrets;
using ByokPortal.Secrets.KeyRing;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging.Console;

namespace ByokPortal.Gateway;

/// <summary>
/// The composition of the lean host: the core use cases (the gateway records a provider's refusal through one), the database, the secret
/// store with the shared Data Protection key ring, and the runtime. It never migrates the database and runs no background maintenance
/// (health checks, rotation retirement, the orphan sweep): the portal owns the schema and the maintenance.
/// </summary>
public static class GatewaySetup
{
    public const string HealthPath = "/healthz";

    public static IHostApplicationBuilder AddGateway(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddPortalCore();
        builder.AddPortalPersistence();
        builder.AddPortalSecrets();
        builder.AddPortalProviders();
        builder.AddPortalDataProtection();
        builder.AddPortalRuntime();

        // The API key is this host's only way in: authenticated on every request (UseGateway), and the scheme that challenges.
        builder.Services.Configure<AuthenticationOptions>(options => options.DefaultScheme = ApiKeyAuthenticationDefaults.Scheme);
        builder.Services.AddProblemDetails();

        // The slim builder's console logger is fixed on the plain-text formatter; the host's settings choose it (JSON, as shipped).
        builder.Logging.AddConsole();
        builder.Services.Configure<ConsoleLoggerOptions>(builder.Configuration.GetSection("Logging:Console"));
        builder.Services.AddHealthChecks().AddCheck<GatewayDatabaseHealthCheck>("database", timeout: TimeSpan.FromSeconds(10));
        if (builder is WebApplicationBuilder web)
        {
            web.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);
        }

        return builder;
    }

    public static WebApplication UseGateway(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        // Every middleware here runs on every gateway call: only what the runtime's routes need. Their answers, refusals included, are
        // problem details of their own; an address no route serves, or a method it does not take, gets one from UnroutedProblems (no
        // status-code-pages middleware).
        // The API key is authenticated by its own middleware (the scheme's code, without ASP.NET Core's per-request authentication and
        // authorization machinery): no route here has an authorization policy, each runtime route admits its caller itself.
        // The exception handler answers an unexpected fault with a 500 problem; the gateway's and resolve's routes answer their own
        // (RuntimeFaults), so it is not put around them: its await would cost each of their calls.
        app.UseWhen(static context => !RuntimeFaults.AnswersItsOwn(context), routes => routes.UseExceptionHandler());
        app.UseApiKeyAuthentication();
        app.UseUnroutedProblems();
        app.MapPortalRuntime(apiKeyIsTheDefaultScheme: true);
        app.MapHealthChecks(HealthPath, new HealthCheckOptions
        {
            // Healthy or not, nothing else: load balancers call it anonymously.
            ResponseWriter = (context, report) => context.Response.WriteAsync(report.Status.ToString()),
        }).AllowAnonymous();
        return app;
    }
}

/// <summary>The database answers (the runtime itself serves from memory and keeps serving through a short outage).</summary>
internal sealed class GatewayDatabaseHealthCheck(IPortalDbContextFactory dbFactory) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            await db.PolicyVersions.AnyAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
#pragma warning disable CA1031 // a health check reports every failure as Unhealthy
        catch (Exception e)
#pragma warning restore CA1031
        {
            return HealthCheckResult.Unhealthy("The database did not answer.", e);
        }
    }
}
