namespace ByokPortal.Core.Sessions;

/// <summary>How a person proved who they are when a session started.</summary>
public enum SignInMethod
{
    Demo = 0,
    EntraId = 1,
}

/// <summary>Why a session ended.</summary>
public enum SessionEndReason
{
    SignedOut = 0,
    PersonDisabled = 1,
}

/// <summary>
/// One sign-in of one person, held on the server: the auth cookie carries only its ID, and every request and every action in an open
/// page checks that it has not ended. Signing out ends it; so does disabling the person. Rows are never deleted by the portal.
/// </summary>
public sealed class PersonSession
{
    public const int ClientAddressMaxLength = 64;

    public Guid Id { get; set; } = Guid.NewGuid();

    public Guid PersonId { get; set; }

    public SignInMethod SignInMethod { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>The last time a request or an action used the session (renewed at most once a minute).</summary>
    public DateTimeOffset LastSeenAt { get; set; }

    public DateTimeOffset? EndedAt { get; set; }

    public SessionEndReason? EndReason { get; set; }

    /// <summary>Where the sign-in came from (after forwarded headers).</summary>
    public string? ClientAddress { get; set; }

    public bool IsActive => EndedAt is null;

    public void End(SessionEndReason reason, DateTimeOffset at)
    {
        if (EndedAt is null)
        {
            EndedAt = at;
            EndReason = reason;
        }
    }
}
