using ByokPortal.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace ByokPortal.Core.Usage;

/// <summary>
/// The one way usage is read: one SQL query over the hourly totals (<see cref="UsageHour"/>), grouped by hour and by the chosen dimension,
/// with the subject's name joined in — rows per API key, model and hour, never per call; the buckets (hours or days) and the ranking are
/// made in memory from those hourly groups.
/// </summary>
internal static class UsageAggregation
{
    public const string NoModel = "(no model)";
    public const string NoProviderKey = "(no key chosen)";
    public const string Deleted = "(deleted)";

    /// <summary>Follows the name of an archived organization: its usage stays in the report, marked as no longer in use.</summary>
    public const string ArchivedSuffix = " (archived)";

    private sealed record HourGroup(long Hour, Guid? Id, string? Model, string? Name, long Requests, long Errors, long PromptTokens, long CompletionTokens, bool Archived = false);

    public static async Task<UsageReport> LoadAsync(IPortalDbContext db, IQueryable<UsageHour> scope, UsageWindow window, UsageDimension by, CancellationToken cancellationToken)
    {
        var usage = scope.Where(u => u.Hour >= window.FirstHour && u.Hour <= window.LastHour);
        var groups = (await Grouped(db, usage, by).ToListAsync(cancellationToken)).Select(Unsentineled);
        var subjects = groups
            .GroupBy(g => (g.Id, g.Model))
            .Select(s =>
            {
                var perBucket = new UsageTotals[window.Buckets.Count];
                foreach (var g in s)
                {
                    perBucket[window.BucketOf(g.Hour)] += new UsageTotals(g.Requests, g.PromptTokens, g.CompletionTokens, g.Errors);
                }

                return new UsageSubject(Label(by, s.First()), perBucket.Aggregate(default(UsageTotals), UsageTotals.Add), perBucket);
            })
            .OrderByDescending(s => s.Total.Requests)
            .ThenBy(s => s.Label, StringComparer.Ordinal)
            .ToList();
        return new UsageReport(window, by, subjects);
    }

    /// <summary>The totals' stand-ins for "no provider key" and "no model" back to what the labels expect.</summary>
    private static HourGroup Unsentineled(HourGroup group) => group with
    {
        Id = group.Id == UsageHour.NoProviderKey ? null : group.Id,
        Model = group.Model == UsageHour.NoModel ? null : group.Model,
    };

    private static string Label(UsageDimension by, HourGroup group) => by switch
    {
        UsageDimension.Model => group.Model ?? NoModel,
        UsageDimension.ProviderKey when group.Id is null => NoProviderKey,
        _ when group.Name is null => Deleted,
        _ when group.Archived => group.Name + ArchivedSuffix,
        _ => group.Name,
    };

    private static IQueryable<HourGroup> Grouped(IPortalDbContext db, IQueryable<UsageHour> usage, UsageDimension by) => by switch
    {
        UsageDimension.ApiKey =>
            from g in usage.GroupBy(u => new { u.Hour, Id = u.ApiKeyId }).Select(g => new
            {
                g.Key.Hour, g.Key.Id, Requests = g.Sum(u => u.Requests), Errors = g.Sum(u => u.Errors),
                Prompt = g.Sum(u => u.PromptTokens), Completion = g.Sum(u => u.CompletionTokens),
            })
            join k in db.OrganizationApiKeys on g.Id equals k.Id into keys
            from k in keys.DefaultIfEmpty()
            select new HourGroup(g.Hour, g.Id, null, k == null ? null : k.Name, g.Requests, g.Errors, g.Prompt, g.Completion),
        UsageDimension.Organization =>
            from g in usage.GroupBy(u => new { u.Hour, Id = u.OrganizationId }).Select(g => new
            {
                g.Key.Hour, g.Key.Id, Requests = g.Sum(u => u.Requests), Errors = g.Sum(u => u.Errors),
                Prompt = g.Sum(u => u.PromptTokens), Completion = g.Sum(u => u.CompletionTokens),
            })
            join o in db.Organizations on g.Id equals o.Id into organizations
            from o in organizations.DefaultIfEmpty()
            select new HourGroup(g.Hour, g.Id, null, o == null ? null : o.Name, g.Requests, g.Errors, g.Prompt, g.Completion, o != null && o.ArchivedAt != null),
        UsageDimension.ProviderKey =>
            from g in usage.GroupBy(u => new { u.Hour, Id = u.ProviderKeyId }).Select(g => new
            {
                g.Key.Hour, g.Key.Id, Requests = g.Sum(u => u.Requests), Errors = g.Sum(u => u.Errors),
                Prompt = g.Sum(u => u.PromptTokens), Completion = g.Sum(u => u.CompletionTokens),
            })
            join k in db.ProviderKeys on g.Id equals k.Id into keys
            from k in keys.DefaultIfEmpty()
            select new HourGroup(g.Hour, g.Id, null, k == null ? null : k.Name, g.Requests, g.Errors, g.Prompt, g.Completion),
        _ =>
            usage.GroupBy(u => new { u.Hour, u.ModelId }).Select(g => new HourGroup(
                g.Key.Hour, null, g.Key.ModelId, g.Key.ModelId, g.Sum(u => u.Requests), g.Sum(u => u.Errors),
                g.Sum(u => u.PromptTokens), g.Sum(u => u.CompletionTokens))),
    };
}
