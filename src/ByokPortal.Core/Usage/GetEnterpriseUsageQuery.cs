using ByokPortal.Core.Access;
using ByokPortal.Core.Audit;
using ByokPortal.Core.Common;
using ByokPortal.Core.Data;
using ByokPortal.Core.ProviderKeys;

namespace ByokPortal.Core.Usage;

/// <summary>
/// An enterprise's runtime usage across its organizations over a period, per organization, per provider key or per model (requests,
/// tokens, errors), for enterprise owners. A bounded number of queries whatever the volume: the scope check, then one grouped query.
/// </summary>
public sealed class GetEnterpriseUsageQuery(IPortalDbContextFactory dbFactory, OwnerScopes scopes, TimeProvider time)
{
    public async Task<Result<UsageReport>> ExecuteAsync(Actor actor, string enterpriseSlug, UsagePeriod period, UsageDimension by, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (by is not (UsageDimension.Organization or UsageDimension.ProviderKey or UsageDimension.Model))
        {
            return ValidationError.For(nameof(by), "An enterprise's usage is shown per organization, per provider key or per model.");
        }

        await using var db = await dbFactory.CreateAsync(cancellationToken);
        var resolved = await scopes.ResolveAsync(db, actor, KeyScope.Enterprise(enterpriseSlug), AuditActions.AccessDenied, cancellationToken);
        if (!resolved.IsSuccess)
        {
            return resolved.Error!;
        }

        var enterpriseId = resolved.Value.EnterpriseId;
        var window = UsageWindow.For(period, time.GetUtcNow());
        return await UsageAggregation.LoadAsync(db, db.UsageHours.Where(u => u.EnterpriseId == enterpriseId), window, by, cancellationToken);
    }
}
