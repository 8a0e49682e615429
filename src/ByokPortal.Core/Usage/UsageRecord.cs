namespace ByokPortal.Core.Usage;

/// <summary>What an application asked the runtime for.</summary>
public enum UsageOperation
{
    Resolve = 0,
    ChatCompletions = 1,
    Responses = 2,
    Embeddings = 3,
    Messages = 4,
}

/// <summary>
/// One resolution or gateway call, as the runtime recorded it (in batches, off the request path): who asked (organization, API key),
/// for which model, which provider key served it, how it ended, the tokens the provider reported and how long it took. Never a secret.
/// </summary>
public sealed class UsageRecord
{
    public const int ModelIdMaxLength = 200;

    public long Id { get; set; }

    public DateTimeOffset OccurredAt { get; set; }

    /// <summary>Whole hours since 1970-01-01 UTC of <see cref="OccurredAt"/>: the usage charts group by it in the database, on every provider.</summary>
    public long Hour { get; set; }

    public Guid EnterpriseId { get; set; }

    public Guid OrganizationId { get; set; }

    public Guid ApiKeyId { get; set; }

    /// <summary>The provider key that served the call; null when none was chosen (unknown model, refused before resolution).</summary>
    public Guid? ProviderKeyId { get; set; }

    /// <summary>The model as the application named it (cut to <see cref="ModelIdMaxLength"/>).</summary>
    public string? ModelId { get; set; }

    public UsageOperation Operation { get; set; }

    /// <summary>The HTTP status the application received.</summary>
    public int StatusCode { get; set; }

    public int? PromptTokens { get; set; }

    public int? CompletionTokens { get; set; }

    public int DurationMs { get; set; }

    public bool IsError => StatusCode >= 400;

    public static long HourOf(DateTimeOffset at) => at.ToUnixTimeSeconds() / 3600;

    public static DateTimeOffset StartOfHour(long hour) => DateTimeOffset.FromUnixTimeSeconds(hour * 3600);
}
