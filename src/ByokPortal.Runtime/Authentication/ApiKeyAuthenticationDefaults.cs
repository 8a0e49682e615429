namespace ByokPortal.Runtime.Authentication;

public static class ApiKeyAuthenticationDefaults
{
    /// <summary>The authentication scheme of organization API keys; the runtime's routes accept nothing else (people's cookies are refused).</summary>
    public const string Scheme = "OrganizationApiKey";

    /// <summary>The authorization policy of the runtime's routes.</summary>
    public const string Policy = "Application";
}
