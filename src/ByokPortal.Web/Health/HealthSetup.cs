using System.Text.Json;
using ByokPortal.Core.Access;
using ByokPortal.Core.Data;
using ByokPortal.Core.Secrets;
using ByokPortal.Web.Authentication;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ByokPortal.Web.Health;

/// <summary>
/// <c>/healthz</c>: the database answers and the secret store round-trips. Load balancers call it anonymously and get only
/// <c>{"status":"Healthy"}</c> (or Unhealthy, with 503); a signed-in enterprise owner also gets the status of each check.
/// </summary>
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

    private static async Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        object body = await IsEnterpriseOwnerAsync(context)
            ? new
            {
                status = report.Status.ToString(),
                checks = report.Entries.ToDictionary(e => e.Key, e => e.Value.Status.ToString()),
            }
            : new { status = report.Status.ToString() };
        await context.Response.WriteAsync(JsonSerializer.Serialize(body));
    }

    private static async Task<bool> IsEnterpriseOwnerAsync(HttpContext context)
    {
        if (context.User.GetPersonId() is not { } personId)
        {
            return false;
        }

        await using var db = await context.RequestServices.GetRequiredService<IPortalDbContextFactory>().CreateAsync(context.RequestAborted);
        return await db.IsEnterpriseOwnerOfAnyAsync(personId, context.RequestAborted);
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
