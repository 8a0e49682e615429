namespace ByokPortal.Core.Common;

/// <summary>The "Portal" configuration section (see appsettings.sample.json).</summary>
public sealed class PortalOptions
{
    public const string SectionName = "Portal";

    /// <summary>Folder for the SQLite file, the local secret store and the Data Protection key ring; created if missing.</summary>
    public string DataDirectory { get; set; } = "App_Data";

    /// <summary>E-mail addresses that become enterprise owners when they sign in (the first owners of a new installation).</summary>
    public IList<string> BootstrapOwners { get; } = [];

    /// <summary>The enterprise a new installation creates on first start (demo data creates Contoso instead).</summary>
    public EnterpriseBootstrapOptions Enterprise { get; set; } = new();
}

public sealed class EnterpriseBootstrapOptions
{
    public string Slug { get; set; } = "enterprise";

    public string Name { get; set; } = "Enterprise";
}
