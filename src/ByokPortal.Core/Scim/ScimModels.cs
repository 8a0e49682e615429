using ByokPortal.Core.Common;
using ByokPortal.Core.Identity;
using ByokPortal.Core.People;

namespace ByokPortal.Core.Scim;

/// <summary>A SCIM user as the portal knows them: a person of the token's enterprise.</summary>
public sealed record ScimUser(Guid Id, string UserName, string? ExternalId, string DisplayName, bool Active, DateTimeOffset Created, DateTimeOffset LastModified);

public sealed record ScimMember(Guid Id, string UserName);

public sealed record ScimGroup(Guid Id, string DisplayName, string? ExternalId, IReadOnlyList<ScimMember> Members, DateTimeOffset Created, DateTimeOffset LastModified);

public sealed record ScimPage<T>(int TotalResults, int StartIndex, IReadOnlyList<T> Resources);

/// <summary>A simple SCIM filter the portal answers: <c>attribute eq "value"</c>.</summary>
public sealed record ScimFilter(string Attribute, string Value);

/// <summary>A user as POST or PUT sends it (RFC 7643 §4.1): <c>userName</c> is the sign-in name; <c>active=false</c> deactivates.</summary>
public sealed record ScimUserInput(string UserName, string? ExternalId, string? DisplayName, bool Active);

/// <summary>What a PATCH changes (null: unchanged). <see cref="SetExternalId"/> with a null <see cref="ExternalId"/> removes it.</summary>
public sealed record ScimUserPatch(string? UserName = null, string? DisplayName = null, bool? Active = null, bool SetExternalId = false, string? ExternalId = null);

public sealed record ScimGroupInput(string DisplayName, string? ExternalId, IReadOnlyList<Guid> Members);

/// <summary>A group PATCH: renames, member additions and removals, or a replacement of the whole member list.</summary>
public sealed record ScimGroupPatch(
    string? DisplayName = null,
    bool SetExternalId = false,
    string? ExternalId = null,
    IReadOnlyList<Guid>? AddMembers = null,
    IReadOnlyList<Guid>? RemoveMembers = null,
    IReadOnlyList<Guid>? ReplaceMembers = null);

/// <summary>The SCIM client asked for a userName or group name the enterprise already has (SCIM: 409, scimType uniqueness).</summary>
public sealed record ScimUniquenessError(string Message) : Error(Message);

internal static class ScimRules
{
    public const int MaxMembersPerRequest = 1000;

    public static ValidationError? CheckUser(string? userName, string? externalId, string? displayName)
    {
        if (userName is not null)
        {
            if (string.IsNullOrWhiteSpace(userName))
            {
                return ValidationError.For("userName", "userName is required.");
            }

            if (userName.Trim().Length > Person.EmailMaxLength)
            {
                return ValidationError.For("userName", $"userName must be at most {Person.EmailMaxLength} characters.");
            }

            if (TextRules.HasHiddenCharacters(userName) || userName.Trim().Any(char.IsWhiteSpace))
            {
                return ValidationError.For("userName", "userName must not contain spaces, control or invisible characters.");
            }
        }

        if (externalId is not null && (externalId.Length > Person.ExternalIdMaxLength || TextRules.HasHiddenCharacters(externalId)))
        {
            return ValidationError.For("externalId", $"externalId must be at most {Person.ExternalIdMaxLength} printable characters.");
        }

        if (displayName is not null && (displayName.Trim().Length > Person.DisplayNameMaxLength || TextRules.HasHiddenCharacters(displayName)))
        {
            return ValidationError.For("displayName", $"displayName must be at most {Person.DisplayNameMaxLength} printable characters.");
        }

        return null;
    }

    public static ValidationError? CheckGroup(string? displayName, string? externalId)
    {
        if (displayName is not null)
        {
            if (string.IsNullOrWhiteSpace(displayName))
            {
                return ValidationError.For("displayName", "displayName is required.");
            }

            if (displayName.Trim().Length > DirectoryGroup.DisplayNameMaxLength || TextRules.HasHiddenCharacters(displayName))
            {
                return ValidationError.For("displayName", $"displayName must be at most {DirectoryGroup.DisplayNameMaxLength} printable characters.");
            }
        }

        if (externalId is not null && (externalId.Length > DirectoryGroup.ExternalIdMaxLength || TextRules.HasHiddenCharacters(externalId)))
        {
            return ValidationError.For("externalId", $"externalId must be at most {DirectoryGroup.ExternalIdMaxLength} printable characters.");
        }

        return null;
    }
}
