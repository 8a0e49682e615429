namespace ByokPortal.Core.Usage;

/// <summary>
/// The runtime calls of one hour summed per organization, API key, provider key and model: what the usage charts and a provider key's
/// delete confirmation read — a row per API key, model and hour, however many calls it served. Written with the usage rows it sums, in
/// their transaction (<see cref="Data.IPortalDbContext.AppendUsageAsync"/>), so the two never disagree; the rows themselves are only ever
/// appended, so a call costs the database an append at the end of the table, never a write in the middle of an index of every call.
/// </summary>
public sealed class UsageHour
{
    /// <summary>The provider key of calls refused before one was chosen: the totals' unique key has no null in it.</summary>
    public static readonly Guid NoProviderKey = Guid.Empty;

    /// <summary>The model of calls that named none.</summary>
    public const string NoModel = "";

    public long Id { get; set; }

    /// <summary>As <see cref="UsageRecord.Hour"/>.</summary>
    public long Hour { get; set; }

    public Guid EnterpriseId { get; set; }

    public Guid OrganizationId { get; set; }

    public Guid ApiKeyId { get; set; }

    /// <summary><see cref="NoProviderKey"/> when no key was chosen.</summary>
    public Guid ProviderKeyId { get; set; }

    /// <summary><see cref="NoModel"/> when the call named none.</summary>
    public string ModelId { get; set; } = NoModel;

    public long Requests { get; set; }

    /// <summary>Calls answered with a status of 400 or more.</summary>
    public long Errors { get; set; }

    public long PromptTokens { get; set; }

    public long CompletionTokens { get; set; }

    /// <summary>What <paramref name="records"/> add to their hours' totals, one increment per hour, API key, provider key and model.</summary>
    public static List<UsageHour> Sum(IEnumerable<UsageRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var totals = new Dictionary<(long, Guid, Guid, Guid, Guid, string), UsageHour>();
        foreach (var record in records)
        {
            var providerKey = record.ProviderKeyId ?? NoProviderKey;
            var model = record.ModelId ?? NoModel;
            var key = (record.Hour, record.EnterpriseId, record.OrganizationId, record.ApiKeyId, providerKey, model);
            if (!totals.TryGetValue(key, out var total))
            {
                total = new UsageHour
                {
                    Hour = record.Hour,
                    EnterpriseId = record.EnterpriseId,
                    OrganizationId = record.OrganizationId,
                    ApiKeyId = record.ApiKeyId,
                    ProviderKeyId = providerKey,
                    ModelId = model,
                };
                totals.Add(key, total);
            }

            total.Requests++;
            total.Errors += record.IsError ? 1 : 0;
            total.PromptTokens += record.PromptTokens ?? 0;
            total.CompletionTokens += record.CompletionTokens ?? 0;
        }

        return [.. totals.Values];
    }
}
