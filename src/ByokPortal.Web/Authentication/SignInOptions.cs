namespace ByokPortal.Web.Authentication;

public enum SignInMode
{
    /// <summary>One button per person; Development, or elsewhere only with Portal:Auth:AllowDemoSignIn=true.</summary>
    Demo,

    /// <summary>Microsoft Entra ID through Microsoft.Identity.Web, when AzureAd:ClientId is set.</summary>
    EntraId,
}

/// <summary>"Portal:Auth".</summary>
public sealed class PortalAuthOptions
{
    public const string SectionName = "Portal:Auth";

    public bool AllowDemoSignIn { get; set; }

    /// <summary>How long a sign-in lasts without activity.</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(8);

    /// <summary>
    /// How long an instance trusts a session it has checked, for plain HTTP requests (pages, downloads). A session ended on another
    /// instance is refused there at most this long afterwards; on the instance that ended it, at once. Actions in open pages always check.
    /// </summary>
    public TimeSpan SessionCheckCacheDuration { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often an open page re-checks its session while nobody acts (it also checks on every action).</summary>
    public TimeSpan RevalidationInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Decided once at start from configuration; a non-Development start with neither sign-in refuses to start.</summary>
    public static SignInMode ResolveMode(IConfiguration configuration, IHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(environment);
        if (!string.IsNullOrWhiteSpace(configuration["AzureAd:ClientId"]))
        {
            return SignInMode.EntraId;
        }

        if (environment.IsDevelopment() || (bool.TryParse(configuration[$"{SectionName}:{nameof(AllowDemoSignIn)}"], out var allowDemo) && allowDemo))
        {
            return SignInMode.Demo;
        }

        throw new InvalidOperationException(
            $"ByokPortal cannot start in the '{environment.EnvironmentName}' environment without a sign-in method: " +
            "set AzureAd:ClientId (with AzureAd:TenantId and AzureAd:Instance) to sign people in with Microsoft Entra ID, " +
            "or set Portal:Auth:AllowDemoSignIn=true to allow demo sign-in, which lets anyone sign in as any person and is meant for evaluation only.");
    }
}

/// <summary>The sign-in mode the portal runs with, as a service.</summary>
public sealed record SignInConfiguration(SignInMode Mode);
