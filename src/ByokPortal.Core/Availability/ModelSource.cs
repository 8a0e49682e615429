namespace ByokPortal.Core.Availability;

/// <summary>Where an available model comes from, in the order resolution prefers them.</summary>
public enum ModelSource
{
    /// <summary>An organization key assigned to the calling API key.</summary>
    OrganizationApiKey = 0,

    /// <summary>An organization key assigned to the entire organization ("Organization (all keys)").</summary>
    Organization = 1,

    /// <summary>An enterprise model granted to the organization.</summary>
    Enterprise = 2,
}
