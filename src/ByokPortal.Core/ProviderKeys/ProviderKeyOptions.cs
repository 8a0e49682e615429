namespace ByokPortal.Core.ProviderKeys;

/// <summary>"Portal:ProviderKeys": rotation and the background health check of saved keys.</summary>
public sealed class ProviderKeyOptions
{
    public const string SectionName = "Portal:ProviderKeys";

    /// <summary>How long a rotated key's previous credential version stays readable for requests already under way; then it is disabled.</summary>
    public TimeSpan RotationGracePeriod { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How often every saved key is tested again in the background (spread over the interval, never all at once).</summary>
    public TimeSpan HealthCheckInterval { get; set; } = TimeSpan.FromHours(6);

    /// <summary>How many keys the background check tests at the same time.</summary>
    public int HealthCheckConcurrency { get; set; } = 3;

    /// <summary>How soon after the gateway saw the provider refuse a key (401/403) the background check tests it again.</summary>
    public TimeSpan RecheckAfterRefusal { get; set; } = TimeSpan.FromMinutes(2);
}
