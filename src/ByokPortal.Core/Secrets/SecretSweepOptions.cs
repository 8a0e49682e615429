namespace ByokPortal.Core.Secrets;

/// <summary>"Portal:Secrets:Sweep": how often the orphan sweeper runs, and how old an unreferenced secret must be before it goes.</summary>
public sealed class SecretSweepOptions
{
    public const string SectionName = "Portal:Secrets:Sweep";

    /// <summary>Time between two sweeps (the first runs when the portal starts).</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// A secret no key references is removed only when its latest version is older than this, so a save that has written its secret
    /// but not yet its key row is never swept. Far longer than any save takes.
    /// </summary>
    public TimeSpan GracePeriod { get; set; } = TimeSpan.FromHours(1);
}
