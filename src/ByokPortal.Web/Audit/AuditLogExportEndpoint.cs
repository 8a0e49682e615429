using System.Text;
using ByokPortal.Core.Audit;
using ByokPortal.Core.Common;
using ByokPortal.Web.Authentication;
using ByokPortal.Web.Authorization;

namespace ByokPortal.Web.Audit;

/// <summary>
/// <c>GET /enterprises/{enterprise}/audit-log/export.csv</c>: the filtered audit log as CSV, for enterprise owners. The filter comes as
/// text (never bound to typed parameters, whose failures would answer before the portal can explain) and a refused one is a 400
/// validation problem naming each field, in every environment.
/// </summary>
public static class AuditLogExportEndpoint
{
    public const string Pattern = "/enterprises/{enterprise}/audit-log/export.csv";

    public static string UrlFor(string enterprise, AuditLogFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var query = new List<string>();
        Add("actor", filter.Actor);
        Add("action", filter.Action);
        Add("organization", filter.Organization);
        Add("from", filter.From?.Trim());
        Add("to", filter.To?.Trim());
        return $"/enterprises/{Uri.EscapeDataString(enterprise)}/audit-log/export.csv" + (query.Count == 0 ? "" : "?" + string.Join('&', query));

        void Add(string name, string? value)
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                query.Add($"{name}={Uri.EscapeDataString(value)}");
            }
        }
    }

    public static IEndpointConventionBuilder MapAuditLogExport(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet(Pattern, ExportAsync).RequireAuthorization(Policies.EnterpriseOwner).ExcludeFromDescription();

    private static async Task<IResult> ExportAsync(
        string enterprise, string? actor, string? action, string? organization, string? from, string? to,
        HttpContext httpContext, SearchAuditLogQuery query, TimeProvider time)
    {
        var filter = new AuditLogFilter(actor, action, organization, from, to);
        var result = await query.ExportAsync(CurrentActor.FromHttpContext(httpContext), enterprise, filter, httpContext.RequestAborted);
        if (result.Error is ValidationError invalid)
        {
            // Keyed by the query parameter ("from"), as the caller wrote it.
            var errors = invalid.Failures.ToDictionary(f => char.ToLowerInvariant(f.Key[0]) + f.Key[1..], f => f.Value, StringComparer.Ordinal);
            return TypedResults.ValidationProblem(errors, title: "The audit log filter is not valid.");
        }

        if (!result.IsSuccess)
        {
            return TypedResults.NotFound();
        }

        var fileName = $"audit-log-{enterprise}-{time.GetUtcNow():yyyyMMdd-HHmmss}.csv";
        return TypedResults.Stream(async stream =>
        {
            await using var writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            await writer.WriteLineAsync(AuditCsv.HeaderLine);
            await foreach (var entry in result.Value)
            {
                await writer.WriteLineAsync(AuditCsv.Line(entry));
            }
        }, "text/csv; charset=utf-8", fileName);
    }
}
