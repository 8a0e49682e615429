using ByokPortal.Core.Data;
using ByokPortal.Core.Usage;
using Microsoft.EntityFrameworkCore;

namespace ByokPortal.Web.Tests.Components;

/// <summary>Usage written the way the runtime's usage writer writes it: the rows, then the API key's "last used" (the batch's latest time).</summary>
public static class UsageRows
{
    public static async Task WriteAsync(PortalFixture portal, string organizationSlug, Guid apiKeyId, string model, DateTimeOffset at, params (int Status, int? Prompt, int? Completion)[] calls)
    {
        ArgumentNullException.ThrowIfNull(portal);
        var ct = TestContext.Current.CancellationToken;
        await using var db = await portal.DbAsync();
        var organization = await db.Organizations.SingleAsync(o => o.Slug == organizationSlug, ct);
        await db.AppendUsageAsync([.. calls.Select(call => new UsageRecord
            {
                OccurredAt = at,
                Hour = UsageRecord.HourOf(at),
                EnterpriseId = organization.EnterpriseId,
                OrganizationId = organization.Id,
                ApiKeyId = apiKeyId,
                ModelId = model,
                Operation = UsageOperation.ChatCompletions,
                StatusCode = call.Status,
                PromptTokens = call.Prompt,
                CompletionTokens = call.Completion,
                DurationMs = 20,
            })], ct);
        await db.OrganizationApiKeys.Where(k => k.Id == apiKeyId).ExecuteUpdateAsync(s => s.SetProperty(k => k.LastUsedAt, at), ct);
    }
}
