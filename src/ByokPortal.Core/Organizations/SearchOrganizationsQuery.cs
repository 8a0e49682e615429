using ByokPortal.Core.Access;
using ByokPortal.Core.Common;
using ByokPortal.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace ByokPortal.Core.Organizations;

/// <summary>An organization as pickers and filters show it; <paramref name="Archived"/> only where archived ones are listed at all.</summary>
public sealed record OrganizationSummary(Guid Id, string Slug, string Name, bool Archived = false);

/// <summary>
/// Finds organizations of an enterprise by name or URL name, for enterprise owners. Pickers that give something to an organization
/// (roles, group mappings) list active organizations only; the audit log's filter also lists archived ones (their history stays).
/// </summary>
public sealed class SearchOrganizationsQuery(IPortalDbContextFactory dbFactory)
{
    public async Task<Result<IReadOnlyList<OrganizationSummary>>> ExecuteAsync(Actor actor, string enterpriseSlug, string? text, int limit, bool includeArchived, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await using var db = await dbFactory.CreateAsync(cancellationToken);
        var enterprise = await db.Enterprises.AsNoTracking().FirstOrDefaultAsync(e => e.Slug == enterpriseSlug, cancellationToken);
        if (enterprise is null || !await db.IsEnterpriseOwnerAsync(actor.PersonId, enterprise.Id, cancellationToken))
        {
            return new NotFoundError();
        }

        var query = db.Organizations.AsNoTracking().Where(o => o.EnterpriseId == enterprise.Id && (includeArchived || o.ArchivedAt == null));
        if (!string.IsNullOrWhiteSpace(text))
        {
            var pattern = LikePattern.Contains(text);
            query = query.Where(o => EF.Functions.Like(o.Slug, pattern, LikePattern.Escape) || EF.Functions.Like(o.Name, pattern, LikePattern.Escape));
        }

        var found = await query.OrderBy(o => o.Name).Take(Math.Clamp(limit, 1, 500))
            .Select(o => new OrganizationSummary(o.Id, o.Slug, o.Name, o.ArchivedAt != null))
            .ToListAsync(cancellationToken);
        return found;
    }
}
