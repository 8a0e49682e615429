namespace ByokPortal.Core.Availability;

/// <summary>Who is asking, which decides which organization keys count.</summary>
public enum AvailabilityView
{
    /// <summary>A person in the model picker: organization keys assigned to the entire organization, then enterprise models.</summary>
    Person,

    /// <summary>An application with one of the organization's API keys: keys assigned to it, then the entire organization's, then enterprise models.</summary>
    ApiKey,

    /// <summary>The "Only select models" list: every model the organization can reach, whatever its models permissions say.</summary>
    Reachable,
}
