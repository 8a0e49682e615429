namespace ByokPortal.Core.Common;

/// <summary>An expected failure of a use case. Messages are shown to people as they are: never put a secret in one.</summary>
public abstract record Error(string Message);

/// <summary>The object does not exist, or the actor may not know it exists (another organization's objects).</summary>
public sealed record NotFoundError(string Message = "Not found.") : Error(Message);

/// <summary>The actor can see the object but may not do this to it.</summary>
public sealed record ForbiddenError(string Message = "You don't have permission to do this.") : Error(Message);

/// <summary>Someone else changed the object since it was read; nothing was overwritten.</summary>
public sealed record ConflictError(string Message) : Error(Message)
{
    public static ConflictError ChangedByAnotherOwner(string what) =>
        new($"{what} was changed by someone else while you were editing. Nothing was saved; the latest values have been loaded — review them and save again.");
}

/// <summary>The input was refused; <see cref="Failures"/> maps each field to its messages.</summary>
public sealed record ValidationError(IReadOnlyDictionary<string, string[]> Failures)
    : Error(Failures.Count == 0 ? "The input is not valid." : string.Join(" ", Failures.SelectMany(f => f.Value)))
{
    public static ValidationError For(string field, string message) =>
        new(new Dictionary<string, string[]> { [field] = [message] });

    public static ValidationError From(FluentValidation.Results.ValidationResult result) =>
        new(result.Errors
            .GroupBy(e => e.PropertyName, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage).Distinct().ToArray(), StringComparer.Ordinal));
}

/// <summary>A call to an LLM provider failed; <see cref="Reason"/> says why, without echoing a credential.</summary>
public sealed record ProviderCallError(ProviderFailureReason Reason, string Message, IReadOnlyList<ProviderKeys.ModelCheck>? Checks = null) : Error(Message)
{
    /// <summary>The provider refused the credential itself (401 or 403): the key is invalid, not merely unreachable.</summary>
    public bool RefusedCredential => Reason is ProviderFailureReason.Unauthorized or ProviderFailureReason.Forbidden;
}

public enum ProviderFailureReason
{
    /// <summary>The credential was rejected (401, or a token endpoint refusing a service account).</summary>
    Unauthorized,

    /// <summary>The credential was accepted but may not do this (403).</summary>
    Forbidden,
    NotFound,
    Unreachable,
    Timeout,
    RateLimited,
    InvalidResponse,
    Refused,

    /// <summary>The address is internal and not allowed (Portal:Outbound): nothing was sent.</summary>
    RefusedByPolicy,

    /// <summary>The answer was larger, or listed more models, than the portal reads.</summary>
    TooLarge,
}

/// <summary>The person has been disabled: they may not sign in or act.</summary>
public sealed record PersonDisabledError(string Message = "This person has been disabled in the portal.") : Error(Message);

/// <summary>The caller did not prove who it is (an unknown, revoked or expired API key).</summary>
public sealed record UnauthenticatedError(string Message) : Error(Message);

/// <summary>
/// The change would leave the enterprise, or an organization, without an owner. <see cref="CanConfirm"/>: an enterprise owner may still
/// remove an organization's last owner by confirming it; the enterprise's last owner can never be removed or demoted.
/// </summary>
public sealed record LastOwnerError(string Message, bool CanConfirm) : Error(Message);
