using ByokPortal.Core.Access;
using ByokPortal.Core.Audit;
using ByokPortal.Core.Common;
using ByokPortal.Core.Data;
using ByokPortal.Core.ProviderKeys;

namespace ByokPortal.Core.Usage;

/// <summary>
/// An organization's runtime usage over a period, per API key or per model (requests, tokens, errors), for its owners and its enterprise's
/// owners. A bounded number of queries whatever the volume: the scope check, then one grouped query.
/// </summary>
public sealed class GetOrganizationUsageQuery(IPortalDbContextFactory dbFactory, OwnerScopes scopes, TimeProvider time)
{
    public async Task<Result<UsageReport>> ExecuteAsync(Actor actor, string organizationSlug, UsagePeriod period, UsageDimension by, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (by is not (UsageDimension.ApiKey or UsageDimension.Model))
        {
            return ValidationError.For(nameof(by), "An organization's usage is shown per API key or per model.");
        }

        await using var db = await dbFactory.CreateAsync(cancellationToken);
        var resolved = await scopes.ResolveAsync(db, actor, KeyScope.Organization(organizationSlug), AuditActions.AccessDenied, cancellationToken);
        if (!resolved.IsSuccess)
        {
            return resolved.Error!;
        }

        var organizationId = resolved.Value.OrganizationId!.Value;
        var window = UsageWindow.For(period, time.GetUtcNow());
        return await UsageAggregation.LoadAsync(db, db.UsageHours.Where(u => u.OrganizationId == organizationId), window, by, cancellationToken);
    }
}
