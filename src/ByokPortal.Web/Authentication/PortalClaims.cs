using System.Security.Claims;
using ByokPortal.Core.People;

namespace ByokPortal.Web.Authentication;

/// <summary>The claims the portal's sign-in cookie carries: who the person is, never what they may do (roles are read from the database).</summary>
public static class PortalClaims
{
    public const string PersonId = "byok:person_id";

    /// <summary>The server-side session (<see cref="Core.Sessions.PersonSession"/>) this cookie belongs to.</summary>
    public const string SessionId = "byok:session_id";
    public const string AuthenticationType = "ByokPortal";

    public static ClaimsPrincipal CreatePrincipal(SignedInPerson person, string method)
    {
        ArgumentNullException.ThrowIfNull(person);
        var identity = new ClaimsIdentity(
            [
                new Claim(PersonId, person.PersonId.ToString()),
                new Claim(SessionId, person.SessionId.ToString()),
                new Claim(ClaimTypes.NameIdentifier, person.PersonId.ToString()),
                new Claim(ClaimTypes.Email, person.Email),
                new Claim(ClaimTypes.Name, person.DisplayName),
                new Claim(ClaimTypes.AuthenticationMethod, method),
            ],
            AuthenticationType, ClaimTypes.Name, ClaimTypes.Role);
        return new ClaimsPrincipal(identity);
    }

    public static Guid? GetPersonId(this ClaimsPrincipal user) =>
        Guid.TryParse(user?.FindFirstValue(PersonId), out var id) ? id : null;

    public static Guid? GetSessionId(this ClaimsPrincipal user) =>
        Guid.TryParse(user?.FindFirstValue(SessionId), out var id) ? id : null;

    public static string GetEmail(this ClaimsPrincipal user) => user?.FindFirstValue(ClaimTypes.Email) ?? "";
}
