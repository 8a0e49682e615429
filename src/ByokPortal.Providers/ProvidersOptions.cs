namespace ByokPortal.Providers;

/// <summary>"Portal:Providers": how the portal calls LLM providers.</summary>
public sealed class ProvidersOptions
{
    public const string SectionName = "Portal:Providers";

    /// <summary>A provider that has not answered after this long is reported as timed out.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);
}
