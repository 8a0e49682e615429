namespace ByokPortal.Core.Audit;

/// <summary>The audit log's action names. One place, so the log's filter lists every action the portal can record.</summary>
public static class AuditActions
{
    public const string SignIn = "person.sign_in";
    public const string SignOut = "person.sign_out";
    public const string PersonDisable = "person.disable";
    public const string AccessDenied = "access.denied";

    public const string ProviderKeyCreate = "provider_key.create";
    public const string ProviderKeyUpdate = "provider_key.update";
    public const string ProviderKeyDelete = "provider_key.delete";
    public const string ProviderKeyTest = "provider_key.test";
    public const string ProviderKeyAssign = "provider_key.assign";
    public const string ProviderKeyRefused = "provider_key.refused";
    public const string ProviderKeyRotate = "provider_key.rotate";

    /// <summary>A key's health changed (working → failing or back), from a test, the background check or a gateway refusal.</summary>
    public const string ProviderKeyHealthChange = "provider_key.health_change";

    /// <summary>A rotated key's previous version was disabled after its grace period.</summary>
    public const string ProviderKeyVersionRetire = "provider_key.version_retire";

    public const string ModelAdd = "model.add";
    public const string ModelEnable = "model.enable";
    public const string ModelDisable = "model.disable";
    public const string ModelAccessUpdate = "model.access_update";

    public const string ModelsPermissionUpdate = "org.models_permission_update";
    public const string EnterprisePolicyUpdate = "enterprise.policy_update";

    public const string ApiKeyCreate = "api_key.create";
    public const string ApiKeyRevoke = "api_key.revoke";
    public const string ApiKeyRateLimitUpdate = "api_key.rate_limit_update";

    public const string ModelResolve = "runtime.resolve";

    public const string OrganizationCreate = "org.create";
    public const string OrganizationRename = "org.rename";
    public const string OrganizationArchive = "org.archive";
    public const string OrganizationRestore = "org.restore";
    public const string OrganizationDelete = "org.delete";

    public const string PersonAdd = "person.add";
    public const string PersonRolesUpdate = "person.roles_update";
    public const string PersonRemove = "person.remove";
    public const string PersonGroupRolesUpdate = "person.group_roles_update";
    public const string PersonLastOwnerKept = "person.last_owner_kept";

    public const string GroupMappingAdd = "identity.group_mapping_add";
    public const string GroupMappingRemove = "identity.group_mapping_remove";
    public const string GroupsOverage = "identity.groups_overage";
    public const string ScimTokenCreate = "identity.scim_token_create";
    public const string ScimTokenRevoke = "identity.scim_token_revoke";

    public const string ScimUserCreate = "scim.user_create";
    public const string ScimUserUpdate = "scim.user_update";
    public const string ScimUserDeactivate = "scim.user_deactivate";
    public const string ScimUserDelete = "scim.user_delete";
    public const string ScimGroupCreate = "scim.group_create";
    public const string ScimGroupUpdate = "scim.group_update";
    public const string ScimGroupDelete = "scim.group_delete";

    /// <summary>The orphan sweeper removed a secret no key references (by its opaque name).</summary>
    public const string SecretOrphanRemove = "secret.orphan_remove";

    public static readonly IReadOnlyList<string> All =
    [
        SignIn, SignOut, PersonDisable, AccessDenied,
        ProviderKeyCreate, ProviderKeyUpdate, ProviderKeyDelete, ProviderKeyTest, ProviderKeyAssign, ProviderKeyRefused,
        ProviderKeyRotate, ProviderKeyHealthChange, ProviderKeyVersionRetire,
        ModelAdd, ModelEnable, ModelDisable, ModelAccessUpdate,
        ModelsPermissionUpdate, EnterprisePolicyUpdate,
        ApiKeyCreate, ApiKeyRevoke, ApiKeyRateLimitUpdate,
        ModelResolve,
        OrganizationCreate, OrganizationRename, OrganizationArchive, OrganizationRestore, OrganizationDelete,
        PersonAdd, PersonRolesUpdate, PersonRemove, PersonGroupRolesUpdate, PersonLastOwnerKept,
        GroupMappingAdd, GroupMappingRemove, GroupsOverage, ScimTokenCreate, ScimTokenRevoke,
        ScimUserCreate, ScimUserUpdate, ScimUserDeactivate, ScimUserDelete, ScimGroupCreate, ScimGroupUpdate, ScimGroupDelete,
        SecretOrphanRemove,
    ];
}
