using ByokPortal.Core.Access;
using ByokPortal.Core.Audit;
using ByokPortal.Core.Common;
using ByokPortal.Core.CustomModels;
using ByokPortal.Core.Data;
using ByokPortal.Core.Usage;
using Microsoft.EntityFrameworkCore;

namespace ByokPortal.Core.ProviderKeys;

/// <summary>What deleting a key takes away: its models, the organizations that lose access to them, the API keys it served.</summary>
public sealed record ProviderKeyUsage(
    Guid KeyId,
    string KeyName,
    Guid Version,
    IReadOnlyList<string> Models,
    bool AllOrganizationsLoseAccess,
    IReadOnlyList<string> Organizations,
    IReadOnlyList<string> ApiKeys,
    UsageLastWeek Usage);

/// <summary>The runtime calls the key served in the last 7 days (to the hour: the usage's hourly totals).</summary>
public sealed record UsageLastWeek(int Requests, int Errors, long Tokens);

public sealed class GetProviderKeyUsageQuery(IPortalDbContextFactory dbFactory, OwnerScopes scopes, TimeProvider time)
{
    public const int OrganizationNameLimit = 50;
    public static readonly TimeSpan UsageWindow = TimeSpan.FromDays(7);

    public async Task<Result<ProviderKeyUsage>> ExecuteAsync(Actor actor, KeyScope scope, Guid keyId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateAsync(cancellationToken);
        var resolved = await scopes.ResolveAsync(db, actor, scope, AuditActions.AccessDenied, cancellationToken);
        if (!resolved.IsSuccess)
        {
            return resolved.Error!;
        }

        var owner = resolved.Value;
        var key = await db.ProviderKeys.AsNoTracking().FindInScopeAsync(owner, keyId, cancellationToken);
        if (key is null)
        {
            return new NotFoundError(OwnerScopes.KeyNotFound);
        }

        var models = await db.CustomModels.AsNoTracking().Where(m => m.ProviderKeyId == key.Id).OrderBy(m => m.ModelId).ToListAsync(cancellationToken);
        var allOrganizations = key.OrganizationId is null && models.Any(m => m.AccessMode == ModelAccessMode.AllOrganizations);
        IReadOnlyList<string> organizations;
        if (key.OrganizationId is { } organizationId)
        {
            organizations = [owner.DisplayName];
        }
        else
        {
            var modelIds = models.Select(m => m.Id).ToList();
            organizations = await (
                    from g in db.ModelAccessGrants
                    join o in db.Organizations on g.OrganizationId equals o.Id
                    where modelIds.Contains(g.CustomModelId)
                    select o.Name)
                .Distinct()
                .OrderBy(n => n)
                .Take(OrganizationNameLimit)
                .ToListAsync(cancellationToken);
        }

        var apiKeys = await (
                from a in db.ProviderKeyAssignments
                join k in db.OrganizationApiKeys on a.ApiKeyId equals k.Id
                where a.ProviderKeyId == key.Id
                orderby k.Name
                select k.Name)
            .ToListAsync(cancellationToken);
        // The hourly totals of the window's hours, the current one and the first one whole (the 7 days are read to the hour).
        var sinceHour = UsageRecord.HourOf(time.GetUtcNow() - UsageWindow);
        var usage = await db.UsageHours.AsNoTracking()
            .Where(u => u.ProviderKeyId == key.Id && u.Hour >= sinceHour)
            .GroupBy(u => 1)
            .Select(g => new UsageLastWeek(
                (int)g.Sum(u => u.Requests),
                (int)g.Sum(u => u.Errors),
                g.Sum(u => u.PromptTokens + u.CompletionTokens)))
            .FirstOrDefaultAsync(cancellationToken);
        return new ProviderKeyUsage(key.Id, key.Name, key.Version, models.Select(m => m.ModelId).ToList(), allOrganizations, organizations, apiKeys,
            usage ?? new UsageLastWeek(0, 0, 0));
    }
}
