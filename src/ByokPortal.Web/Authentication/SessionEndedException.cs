namespace ByokPortal.Web.Authentication;

/// <summary>
/// Thrown by <see cref="CurrentActor.GetAsync"/> when the person's session has ended (signed out elsewhere, disabled) so that the action
/// does nothing. The error boundary shows "You have been signed out" for it, not an error.
/// </summary>
public sealed class SessionEndedException : Exception
{
    public SessionEndedException()
        : base("The session has ended: sign in again.")
    {
    }

    public SessionEndedException(string message)
        : base(message)
    {
    }

    public SessionEndedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
