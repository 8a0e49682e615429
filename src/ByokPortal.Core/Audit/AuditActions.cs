namespace ByokPortal.Core.Audit;

/// <summary>The audit log's action names. One place, so the log's filter lists every action the portal can record.</summary>
public static class AuditActions
{
    public const string SignIn = "person.sign_in";
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

    public const string ModelResolve = "runtime.resolve";

    /// <summary>The orphan sweeper removed a secret no key references (by its opaque name).</summary>
    public const string SecretOrphanRemove = "secret.orphan_remove";

    public static readonly IReadOnlyList<string> All =
    [
        SignIn, AccessDenied,
        ProviderKeyCreate, ProviderKeyUpdate, ProviderKeyDelete, ProviderKeyTest, ProviderKeyAssign, ProviderKeyRefused,
        ProviderKeyRotate, ProviderKeyHealthChange, ProviderKeyVersionRetire,
        ModelAdd, ModelEnable, ModelDisable, ModelAccessUpdate,
        ModelsPermissionUpdate, EnterprisePolicyUpdate,
        ApiKeyCreate, ApiKeyRevoke,
        ModelResolve,
        SecretOrphanRemove,
    ];
}
