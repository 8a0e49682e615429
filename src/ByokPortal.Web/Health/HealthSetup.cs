using System.Text.Json;
using ByokPortal.Core.Data;
using ByokPortal.Core.Secrets;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ByokPortal.Web.Health;

/// <summary><c>/healthz</c>: the database answers and the secret store round-trips. Load balancers call it anonymously; it reveals no detail.</summary>
public static class HealthSetup
{
    public const string Path = "/healthz";

    public static IHostApplicationBuilder AddPortalHealthChecks(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", timeout: TimeSpan.FromSeconds(10))
            .AddCheck<SecretStoreHealthCheck>("secrets", timeout: TimeSpan.FromSeconds(10));
        return builder;
    }

    public static IEndpointConventionBuilder MapPortalHealthChecks(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapHealthChecks(Path, new HealthCheckOptions { ResponseWriter = WriteAsync }).AllowAnonymous();

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        var body = new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => e.Value.Status.ToString()),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body));
    }
}

internal sealed class DatabaseHealthCheck(IPortalDbContextFactory dbFactory) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var db = await dbFactory.CreateAsync(cancellationToken);
            await db.Enterprises.AnyAsync(cancellationToken);
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

internal sealed class SecretStoreHealthCheck(ISecretStore secrets) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await secrets.CheckAvailableAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
#pragma warning disable CA1031
        catch (Exception e)
#pragma warning restore CA1031
        {
            return HealthCheckResult.Unhealthy("The secret store is not available.", e);
        }
    }
}
