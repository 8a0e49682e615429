using ByokPortal.Core.Access;
using ByokPortal.Core.Common;
using ByokPortal.Core.Data;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace ByokPortal.Core.Audit;

/// <summary>
/// The audit log's filters as the page's fields or the export's query string give them. Dates are whole UTC days typed as
/// <c>yyyy-MM-dd</c>, both ends included; <see cref="AuditLogFilterValidator"/> refuses anything else before a query runs.
/// </summary>
public sealed record AuditLogFilter(
    string? Actor = null,
    string? Action = null,
    string? Organization = null,
    string? From = null,
    string? To = null)
{
    public DateOnly? FromDay => TextRules.TryParseDate(From, out var day) ? day : null;

    public DateOnly? ToDay => TextRules.TryParseDate(To, out var day) ? day : null;
}

/// <summary>The audit log filter's rules, for the page and the CSV export alike: real days within a sensible range, From not after To.</summary>
public sealed class AuditLogFilterValidator : AbstractValidator<AuditLogFilter>
{
    public const int MaxTextLength = 320;
    public static readonly DateOnly Earliest = new(2000, 1, 1);
    public static readonly DateOnly Latest = new(2999, 12, 31);

    public AuditLogFilterValidator()
    {
        RuleFor(f => f.Actor).MaximumLength(MaxTextLength).WithMessage($"Actor must be at most {MaxTextLength} characters.").WithoutHiddenCharacters("Actor");
        RuleFor(f => f.Action).MaximumLength(MaxTextLength).WithMessage($"Action must be at most {MaxTextLength} characters.").WithoutHiddenCharacters("Action");
        RuleFor(f => f.Organization).MaximumLength(MaxTextLength).WithMessage($"Organization must be at most {MaxTextLength} characters.").WithoutHiddenCharacters("Organization");
        RuleFor(f => f.From)
            .Cascade(CascadeMode.Stop)
            .EmptyOrDate(UnreadableDate("From"))
            .Must((f, _) => f.FromDay is not { } day || InRange(day)).WithMessage(OutOfRange("From"));
        RuleFor(f => f.To)
            .Cascade(CascadeMode.Stop)
            .EmptyOrDate(UnreadableDate("To"))
            .Must((f, _) => f.ToDay is not { } day || InRange(day)).WithMessage(OutOfRange("To"))
            .Must((f, _) => f.FromDay is not { } from || f.ToDay is not { } to || !InRange(from) || from <= to).WithMessage("To must be the same day as From or later.");
    }

    private static bool InRange(DateOnly day) => day >= Earliest && day <= Latest;

    private static string UnreadableDate(string field) => $"{field} must be a real day, written YYYY-MM-DD (e.g. 2026-03-02).";

    private static string OutOfRange(string field) =>
        $"{field} must be between {TextRules.FormatDate(Earliest)} and {TextRules.FormatDate(Latest)}.";
}

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

/// <summary>
/// Lists an enterprise's audit events, newest first, for its owners (checked against the database on every call). A filter the
/// <see cref="AuditLogFilterValidator"/> refuses is a <see cref="ValidationError"/> naming the field, before anything is read.
/// </summary>
public sealed class SearchAuditLogQuery(IPortalDbContextFactory dbFactory, IValidator<AuditLogFilter> validator)
{
    public const int MaxPageSize = 200;
    public const int MaxExportRows = 100_000;

    public async Task<Result<AuditLogPage>> ExecuteAsync(Actor actor, string enterpriseSlug, AuditLogFilter filter, int page, int pageSize, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(filter);
        if (await validator.ValidateAsync(filter, cancellationToken) is { IsValid: false } invalid)
        {
            return ValidationError.From(invalid);
        }

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
        ArgumentNullException.ThrowIfNull(filter);
        if (await validator.ValidateAsync(filter, cancellationToken) is { IsValid: false } invalid)
        {
            return ValidationError.From(invalid);
        }

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

    /// <summary>
    /// Null when the enterprise does not exist or the actor does not own it (both look the same from outside). The filter must have
    /// passed <see cref="AuditLogFilterValidator"/>: its days are then within range, so the day after To exists.
    /// </summary>
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

        if (filter.FromDay is { } from)
        {
            var start = new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            query = query.Where(e => e.OccurredAt >= start);
        }

        if (filter.ToDay is { } to && to < DateOnly.MaxValue)
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
