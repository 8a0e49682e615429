using ByokPortal.Core.Access;
using ByokPortal.Core.ApiKeys;
using ByokPortal.Core.Audit;
using ByokPortal.Core.Availability;
using ByokPortal.Core.Common;
using ByokPortal.Core.CustomModels;
using ByokPortal.Core.Enterprises;
using ByokPortal.Core.Identity;
using ByokPortal.Core.Organizations;
using ByokPortal.Core.People;
using ByokPortal.Core.ProviderKeys;
using ByokPortal.Core.Scim;
using ByokPortal.Core.Secrets;
using ByokPortal.Core.Sessions;
using ByokPortal.Core.Usage;
using ByokPortal.Core.Workspace;
using FluentValidation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace ByokPortal.Core;

public static class DependencyInjection
{
    /// <summary>The use cases (one class per command or query, named for what it does), their validators and the audit trail.</summary>
    public static IHostApplicationBuilder AddPortalCore(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<PortalOptions>().BindConfiguration(PortalOptions.SectionName);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<AuditTrail>();
        services.AddSingleton<PortalDataDirectory>();
        services.AddValidatorsFromAssemblyContaining<AuditTrail>(ServiceLifetime.Singleton);

        services.AddScoped<SignInPersonCommand>();
        services.AddScoped<DisablePersonCommand>();
        services.AddSingleton<CheckSessionQuery>();
        services.AddScoped<EndSessionCommand>();
        services.AddScoped<ListDemoPeopleQuery>();
        services.AddScoped<GetWorkspaceQuery>();
        services.AddScoped<SearchAuditLogQuery>();
        services.AddScoped<SearchOrganizationsQuery>();

        services.AddSingleton<OwnerScopes>();
        services.AddSingleton<ProviderRegistry>();
        services.AddOptions<ProviderKeyOptions>()
            .BindConfiguration(ProviderKeyOptions.SectionName)
            .Validate(o => o.RotationGracePeriod >= TimeSpan.Zero, "Portal:ProviderKeys:RotationGracePeriod must not be negative.")
            .Validate(o => o.HealthCheckInterval >= TimeSpan.FromMinutes(1), "Portal:ProviderKeys:HealthCheckInterval must be at least a minute.")
            .Validate(o => o.HealthCheckConcurrency is >= 1 and <= 16, "Portal:ProviderKeys:HealthCheckConcurrency must be between 1 and 16.")
            .ValidateOnStart();
        services.AddScoped<CredentialCheck>();
        services.AddScoped<ListProviderKeysQuery>();
        services.AddScoped<AddProviderKeyCommand>();
        services.AddScoped<UpdateProviderKeyCommand>();
        services.AddScoped<DeleteProviderKeyCommand>();
        services.AddScoped<GetProviderKeyUsageQuery>();
        services.AddScoped<FetchProviderModelsQuery>();
        services.AddScoped<TestProviderKeyCommand>();
        services.AddScoped<RotateProviderKeyCommand>();
        services.AddScoped<RecordProviderRefusalCommand>();
        services.AddScoped<CheckProviderKeysHealthCommand>();
        services.AddScoped<RetireRotatedVersionsCommand>();

        services.AddScoped<ListCustomModelsQuery>();
        services.AddScoped<GetModelSettingsQuery>();
        services.AddScoped<SaveModelSettingsCommand>();
        services.AddScoped<AssignProviderKeyCommand>();

        services.AddScoped<GetModelPickerQuery>();
        services.AddScoped<GetModelsPermissionsQuery>();
        services.AddScoped<SaveModelsPermissionsCommand>();
        services.AddScoped<GetEnterprisePoliciesQuery>();
        services.AddScoped<SaveEnterprisePoliciesCommand>();

        services.AddScoped<IssueApiKeyCommand>();
        services.AddScoped<ListApiKeysQuery>();
        services.AddScoped<RevokeApiKeyCommand>();
        services.AddScoped<SetApiKeyRateLimitCommand>();

        services.AddScoped<GetOrganizationUsageQuery>();
        services.AddScoped<GetEnterpriseUsageQuery>();

        services.AddScoped<ListOrganizationsQuery>();
        services.AddScoped<CreateOrganizationCommand>();
        services.AddScoped<RenameOrganizationCommand>();
        services.AddScoped<ArchiveOrganizationCommand>();
        services.AddScoped<RestoreOrganizationCommand>();
        services.AddScoped<GetOrganizationDeletionQuery>();
        services.AddScoped<DeleteOrganizationCommand>();

        services.AddScoped<ListPeopleQuery>();
        services.AddScoped<ListOrganizationPeopleQuery>();
        services.AddScoped<AddPersonCommand>();
        services.AddScoped<UpdatePersonRolesCommand>();
        services.AddScoped<RemovePersonCommand>();
        services.AddScoped<AddOrganizationPersonCommand>();
        services.AddScoped<SetOrganizationRoleCommand>();

        services.AddScoped<GetIdentitySettingsQuery>();
        services.AddScoped<AddGroupMappingCommand>();
        services.AddScoped<RemoveGroupMappingCommand>();
        services.AddScoped<CreateScimTokenCommand>();
        services.AddScoped<RevokeScimTokenCommand>();
        services.AddScoped<AuthenticateScimTokenQuery>();

        services.AddScoped<ListScimUsersQuery>();
        services.AddScoped<GetScimUserQuery>();
        services.AddScoped<CreateScimUserCommand>();
        services.AddScoped<ReplaceScimUserCommand>();
        services.AddScoped<PatchScimUserCommand>();
        services.AddScoped<DeleteScimUserCommand>();
        services.AddScoped<ListScimGroupsQuery>();
        services.AddScoped<GetScimGroupQuery>();
        services.AddScoped<CreateScimGroupCommand>();
        services.AddScoped<ReplaceScimGroupCommand>();
        services.AddScoped<PatchScimGroupCommand>();
        services.AddScoped<DeleteScimGroupCommand>();

        services.AddOptions<SecretSweepOptions>()
            .BindConfiguration(SecretSweepOptions.SectionName)
            .Validate(o => o.Interval > TimeSpan.Zero, "Portal:Secrets:Sweep:Interval must be positive.")
            .Validate(o => o.GracePeriod >= TimeSpan.FromMinutes(1), "Portal:Secrets:Sweep:GracePeriod must be at least a minute: a shorter one could remove the secret of a save in progress.")
            .ValidateOnStart();
        services.AddScoped<SweepOrphanSecretsCommand>();
        return builder;
    }

    /// <summary>
    /// The portal's background maintenance: provider key health checks and rotation retirement once a minute, and the orphan secret
    /// sweep. The portal runs it; the lean gateway host does not (autoscaled gateway instances would each test every due key with its
    /// provider, at the same minute).
    /// </summary>
    public static IHostApplicationBuilder AddPortalMaintenance(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddHostedService<ProviderKeyMaintenance>();
        builder.Services.AddHostedService<OrphanSecretSweeper>();
        return builder;
    }
}
