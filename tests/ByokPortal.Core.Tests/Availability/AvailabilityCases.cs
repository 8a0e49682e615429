using ByokPortal.Core.Availability;

namespace ByokPortal.Core.Tests.Availability;

/// <summary>An enterprise model's Access, as the model modal sets it.</summary>
public enum EnterpriseAccess
{
    AllowForAllOrganizations,
    ChosenAndGrantedToThisOrganization,
    ChosenButNotGrantedToThisOrganization,
}

/// <summary>The organization's Models permissions, and under Only select models what is stored for the model.</summary>
public enum PermissionCase
{
    AllPublishers,
    OnlySelectModelsSwitchedOn,
    OnlySelectModelsSwitchedOff,

    /// <summary>Only select models, and no setting stored for this model (it became reachable after the last save).</summary>
    OnlySelectModelsNoSetting,
}

/// <summary>How an organization key is assigned.</summary>
public enum OrganizationKeyAssignment
{
    EntireOrganization,
    SpecificApiKeys,
}

/// <summary>Who asks.</summary>
public enum ViewCase
{
    /// <summary>A member in the model picker.</summary>
    Person,

    /// <summary>An application with the API key the organization key is assigned to.</summary>
    AssignedApiKey,

    /// <summary>An application with another API key of the same organization.</summary>
    OtherApiKey,

    /// <summary>The "Only select models" list: what the organization can reach, whatever its permissions say.</summary>
    Reachable,
}

/// <summary>
/// The expected outcome of each case, written from PRODUCT.md and issue 4 — independently of <see cref="ModelAvailability"/>, so that the
/// tables test the rule instead of restating its code. A model is available when it is Enabled, reachable (an enterprise model allowed
/// for all organizations or granted to this one; an organization key while the enterprise allows them, assigned to the entire
/// organization or to the calling API key) and permitted (All publishers, or Only select models with the model switched on; the
/// Reachable view ignores permissions).
/// </summary>
public static class AvailabilityCases
{
    public static ModelSource? ExpectedForEnterpriseModel(EnterpriseAccess access, bool enabled, PermissionCase permission, ViewCase view)
    {
        var granted = access is EnterpriseAccess.AllowForAllOrganizations or EnterpriseAccess.ChosenAndGrantedToThisOrganization;
        return enabled && granted && Permitted(permission, view) ? ModelSource.Enterprise : null;
    }

    public static ModelSource? ExpectedForOrganizationModel(OrganizationKeyAssignment assignment, bool organizationKeysAllowed, bool enabled, PermissionCase permission, ViewCase view)
    {
        if (!enabled || !organizationKeysAllowed || !Permitted(permission, view))
        {
            return null;
        }

        if (assignment == OrganizationKeyAssignment.EntireOrganization)
        {
            return ModelSource.Organization;
        }

        return view is ViewCase.AssignedApiKey or ViewCase.Reachable ? ModelSource.OrganizationApiKey : null;
    }

    /// <summary>How the "Only select models" switch of a reachable model shows.</summary>
    public static bool ExpectedSwitch(PermissionCase permission) =>
        permission is PermissionCase.AllPublishers or PermissionCase.OnlySelectModelsSwitchedOn;

    private static bool Permitted(PermissionCase permission, ViewCase view) =>
        view == ViewCase.Reachable || permission is PermissionCase.AllPublishers or PermissionCase.OnlySelectModelsSwitchedOn;

    /// <summary>Every enterprise-model setup: access × enabled × permissions (the view is varied by the tests).</summary>
    public static IEnumerable<(EnterpriseAccess Access, bool Enabled, PermissionCase Permission)> EnterpriseModelSetupValues() =>
        from access in Enum.GetValues<EnterpriseAccess>()
        from enabled in new[] { true, false }
        from permission in Enum.GetValues<PermissionCase>()
        select (access, enabled, permission);

    /// <summary>Every organization-model setup: assignment × policy × enabled × permissions.</summary>
    public static IEnumerable<(OrganizationKeyAssignment Assignment, bool Allowed, bool Enabled, PermissionCase Permission)> OrganizationModelSetupValues() =>
        from assignment in Enum.GetValues<OrganizationKeyAssignment>()
        from allowed in new[] { true, false }
        from enabled in new[] { true, false }
        from permission in Enum.GetValues<PermissionCase>()
        select (assignment, allowed, enabled, permission);

    public static TheoryData<EnterpriseAccess, bool, PermissionCase> EnterpriseModelSetups()
    {
        var data = new TheoryData<EnterpriseAccess, bool, PermissionCase>();
        foreach (var (access, enabled, permission) in EnterpriseModelSetupValues())
        {
            data.Add(access, enabled, permission);
        }

        return data;
    }

    public static TheoryData<OrganizationKeyAssignment, bool, bool, PermissionCase> OrganizationModelSetups()
    {
        var data = new TheoryData<OrganizationKeyAssignment, bool, bool, PermissionCase>();
        foreach (var (assignment, allowed, enabled, permission) in OrganizationModelSetupValues())
        {
            data.Add(assignment, allowed, enabled, permission);
        }

        return data;
    }
}
