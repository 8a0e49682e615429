namespace ByokPortal.Core.CustomModels;

/// <summary>The access button's label in "Added models": its words tell the state, as on GitHub's settings page.</summary>
public static class ModelAccessLabel
{
    public const string Configure = "Configure";
    public const string AllOrganizations = "All organizations";

    public static string For(ModelAccessMode mode, int organizationCount) => mode switch
    {
        ModelAccessMode.AllOrganizations => AllOrganizations,
        _ when organizationCount <= 0 => Configure,
        _ when organizationCount == 1 => "1 organization",
        _ => $"{organizationCount.ToString(System.Globalization.CultureInfo.InvariantCulture)} organizations",
    };
}
