namespace ByokPortal.Core.Organizations;

/// <summary>One line of an organization's "Only select models" list: the model and whether it is enabled there.</summary>
public sealed class OrganizationModelSetting
{
    public Guid OrganizationId { get; set; }

    public Guid CustomModelId { get; set; }

    public bool Enabled { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
