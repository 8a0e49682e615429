using ByokPortal.Core.Access;
using ByokPortal.Core.Audit;
using ByokPortal.Core.Common;
using ByokPortal.Core.CustomModels;
using ByokPortal.Core.Data;
using ByokPortal.Core.People;
using ByokPortal.Core.ProviderKeys;
using Microsoft.EntityFrameworkCore;

namespace ByokPortal.Core.Organizations;

public enum OrganizationSort
{
    Name,
    Slug,
    Created,
    Owners,
    Members,
    Models,
}

public enum OrganizationStatusFilter
{
    Active,
    Archived,
    All,
}

public sealed record OrganizationListRequest(
    string? Search = null,
    OrganizationStatusFilter Status = OrganizationStatusFilter.All,
    OrganizationSort Sort = OrganizationSort.Name,
    bool Descending = false,
    int Page = 0,
    int PageSize = 25);

/// <param name="Models">Enabled models the organization can reach: enterprise models allowed for all or granted to it, and its own.</param>
public sealed record OrganizationRow(Guid Id, string Slug, string Name, DateTimeOffset CreatedAt, DateTimeOffset? ArchivedAt, int Owners, int Members, int Models, Guid Version)
{
    public bool IsArchived => ArchivedAt is not null;
}

public sealed record OrganizationListPage(string EnterpriseName, IReadOnlyList<OrganizationRow> Items, int TotalCount, int Page, int PageSize);

/// <summary>
/// The enterprise's organizations for its owners: searched, filtered, sorted and paged in the database (one count and one page query,
/// whatever the number of organizations), each with its owners', members' and models' counts.
/// </summary>
public sealed class ListOrganizationsQuery(IPortalDbContextFactory dbFactory, OwnerScopes scopes)
{
    public const int MaxPageSize = 100;

    public async Task<Result<OrganizationListPage>> ExecuteAsync(Actor actor, string enterpriseSlug, OrganizationListRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(request);
        await using var db = await dbFactory.CreateAsync(cancellationToken);
        var resolved = await scopes.ResolveAsync(db, actor, KeyScope.Enterprise(enterpriseSlug), AuditActions.AccessDenied, cancellationToken);
        if (!resolved.IsSuccess)
        {
            return resolved.Error!;
        }

        var enterpriseId = resolved.Value.EnterpriseId;
        var pageSize = Math.Clamp(request.PageSize, 1, MaxPageSize);
        var page = Math.Max(request.Page, 0);
        var query = db.Organizations.AsNoTracking().Where(o => o.EnterpriseId == enterpriseId);
        query = request.Status switch
        {
            OrganizationStatusFilter.Active => query.Where(o => o.ArchivedAt == null),
            OrganizationStatusFilter.Archived => query.Where(o => o.ArchivedAt != null),
            _ => query,
        };
        if (!string.IsNullOrWhiteSpace(request.Search))
        {
            var pattern = LikePattern.Contains(request.Search);
            query = query.Where(o => EF.Functions.Like(o.Slug, pattern, LikePattern.Escape) || EF.Functions.Like(o.Name, pattern, LikePattern.Escape));
        }

        var total = await query.CountAsync(cancellationToken);
        var forAll = await db.CustomModels.CountAsync(
            m => m.EnterpriseId == enterpriseId && m.OrganizationId == null && m.Enabled && m.AccessMode == ModelAccessMode.AllOrganizations, cancellationToken);
        var rows = query.Select(o => new
        {
            Organization = o,
            Owners = db.OrganizationMemberships.Count(m => m.OrganizationId == o.Id && m.Role == OrganizationRole.Owner),
            Members = db.OrganizationMemberships.Count(m => m.OrganizationId == o.Id && m.Role == OrganizationRole.Member),
            Models = forAll
                     + db.ModelAccessGrants.Count(g => g.OrganizationId == o.Id
                                                       && db.CustomModels.Any(m => m.Id == g.CustomModelId && m.Enabled && m.AccessMode == ModelAccessMode.ChoosePerOrganization))
                     + db.CustomModels.Count(m => m.OrganizationId == o.Id && m.Enabled),
        });
        rows = (request.Sort, request.Descending) switch
        {
            (OrganizationSort.Slug, false) => rows.OrderBy(r => r.Organization.Slug),
            (OrganizationSort.Slug, true) => rows.OrderByDescending(r => r.Organization.Slug),
            (OrganizationSort.Created, false) => rows.OrderBy(r => r.Organization.CreatedAt).ThenBy(r => r.Organization.Slug),
            (OrganizationSort.Created, true) => rows.OrderByDescending(r => r.Organization.CreatedAt).ThenBy(r => r.Organization.Slug),
            (OrganizationSort.Owners, false) => rows.OrderBy(r => r.Owners).ThenBy(r => r.Organization.Slug),
            (OrganizationSort.Owners, true) => rows.OrderByDescending(r => r.Owners).ThenBy(r => r.Organization.Slug),
            (OrganizationSort.Members, false) => rows.OrderBy(r => r.Members).ThenBy(r => r.Organization.Slug),
            (OrganizationSort.Members, true) => rows.OrderByDescending(r => r.Members).ThenBy(r => r.Organization.Slug),
            (OrganizationSort.Models, false) => rows.OrderBy(r => r.Models).ThenBy(r => r.Organization.Slug),
            (OrganizationSort.Models, true) => rows.OrderByDescending(r => r.Models).ThenBy(r => r.Organization.Slug),
            (_, true) => rows.OrderByDescending(r => r.Organization.Name).ThenBy(r => r.Organization.Slug),
            _ => rows.OrderBy(r => r.Organization.Name).ThenBy(r => r.Organization.Slug),
        };

        var items = await rows.Skip(page * pageSize).Take(pageSize)
            .Select(r => new OrganizationRow(r.Organization.Id, r.Organization.Slug, r.Organization.Name, r.Organization.CreatedAt, r.Organization.ArchivedAt,
                r.Owners, r.Members, r.Models, r.Organization.Version))
            .ToListAsync(cancellationToken);
        return new OrganizationListPage(resolved.Value.EnterpriseName, items, total, page, pageSize);
    }
}
