using ByokPortal.Core.Access;
using ByokPortal.Core.Common;
using ByokPortal.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace ByokPortal.Core.Audit;

/// <summary>The audit log's filters. Dates are whole UTC days, both ends included.</summary>
public sealed record AuditLogFilter(
    string? Actor = null,
    string? Action = null,
    string? Organization = null,
    DateOnly? From = null,
    DateOnly? To = null);

public sealed record AuditLogEntry(
    long Id,
    DateTimeOffset OccurredAt,
    string ActorName,
    string Action,
    string TargetType,
    string? TargetId,
    string? TargetName,
    string? OrganizationSlug,
    string? ClientAddress,
    AuditOutcome Outcome,
    string? Details);

public sealed record AuditLogPage(IReadOnlyList<AuditLogEntry> Items, int TotalCount, int Page, int PageSize);

/// <summary>Lists an enterprise's audit events, newest first, for its owners (checked against the database on every call).</summary>
public sealed class SearchAuditLogQuery(IPortalDbContextFactory dbFactory)
{
    public const int MaxPageSize = 200;
    public const int MaxExportRows = 100_000;

    public async Task<Result<AuditLogPage>> ExecuteAsync(Actor actor, string enterpriseSlug, AuditLogFilter filter, int page, int pageSize, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        pageSize = Math.Clamp(pageSize, 1, MaxPageSize);
        page = Math.Max(page, 0);
        await using var db = await dbFactory.CreateAsync(cancellationToken);
        var query = await AuthorizeAndFilterAsync(db, actor, enterpriseSlug, filter, cancellationToken);
        if (query is null)
        {
            return new NotFoundError();
        }

        var total = await query.CountAsync(cancellationToken);
        var items = await Project(db, query.OrderByDescending(e => e.Id).Skip(page * pageSize).Take(pageSize)).ToListAsync(cancellationToken);
        return new AuditLogPage(items, total, page, pageSize);
    }

    /// <summary>
    /// Authorizes an export now (so a refused request gets 404 before any CSV is written), then streams every matching event
    /// (up to <see cref="MaxExportRows"/>), newest first, from its own short-lived context.
    /// </summary>
    public async Task<Result<IAsyncEnumerable<AuditLogEntry>>> ExportAsync(Actor actor, string enterpriseSlug, AuditLogFilter filter, CancellationToken cancellationToken)
    {
        await using (var db = await dbFactory.CreateAsync(cancellationToken))
        {
            if (await AuthorizeAndFilterAsync(db, actor, enterpriseSlug, filter, cancellationToken) is null)
            {
                return new NotFoundError();
            }
        }

        return Result.Success(StreamAsync(actor, enterpriseSlug, filter, cancellationToken));
    }

    private async IAsyncEnumerable<AuditLogEntry> StreamAsync(Actor actor, string enterpriseSlug, AuditLogFilter filter,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateAsync(cancellationToken);
        var query = await AuthorizeAndFilterAsync(db, actor, enterpriseSlug, filter, cancellationToken);
        if (query is null)
        {
            yield break;
        }

        await foreach (var entry in Project(db, query.OrderByDescending(e => e.Id).Take(MaxExportRows)).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            yield return entry;
        }
    }

    /// <summary>Null when the enterprise does not exist or the actor does not own it (both look the same from outside).</summary>
    public static async Task<IQueryable<AuditEvent>?> AuthorizeAndFilterAsync(IPortalDbContext db, Actor actor, string enterpriseSlug, AuditLogFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(filter);
        var enterprise = await db.Enterprises.AsNoTracking().FirstOrDefaultAsync(e => e.Slug == enterpriseSlug, cancellationToken);
        if (enterprise is null || !await db.IsEnterpriseOwnerAsync(actor.PersonId, enterprise.Id, cancellationToken))
        {
            return null;
        }

        var query = db.AuditEvents.AsNoTracking().Where(e => e.EnterpriseId == enterprise.Id);
        if (!string.IsNullOrWhiteSpace(filter.Actor))
        {
            var actorText = filter.Actor.Trim().ToLowerInvariant();
            query = query.Where(e => e.ActorName.Contains(actorText));
        }

        if (!string.IsNullOrWhiteSpace(filter.Action))
        {
            query = query.Where(e => e.Action == filter.Action);
        }

        if (!string.IsNullOrWhiteSpace(filter.Organization))
        {
            var organizationSlug = filter.Organization.Trim();
            query = query.Where(e => db.Organizations.Any(o => o.Id == e.OrganizationId && o.Slug == organizationSlug));
        }

        if (filter.From is { } from)
        {
            var start = new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            query = query.Where(e => e.OccurredAt >= start);
        }

        if (filter.To is { } to)
        {
            var end = new DateTimeOffset(to.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            query = query.Where(e => e.OccurredAt < end);
        }

        return query;
    }

    private static IQueryable<AuditLogEntry> Project(IPortalDbContext db, IQueryable<AuditEvent> query) =>
        from e in query
        join o in db.Organizations on e.OrganizationId equals o.Id into orgs
        from o in orgs.DefaultIfEmpty()
        select new AuditLogEntry(e.Id, e.OccurredAt, e.ActorName, e.Action, e.TargetType, e.TargetId, e.TargetName,
            o == null ? null : o.Slug, e.ClientAddress, e.Outcome, e.Details);
}
