using System.Text.RegularExpressions;
using ByokPortal.Core.Common;
using FluentValidation;

namespace ByokPortal.Core.Identity;

/// <summary>A group mapping: a group's object ID (or an app role's value, or a SCIM group's ID) and the role it gives.</summary>
public sealed record AddGroupMappingInput(string GroupId, MappedRole Role, Guid? OrganizationId);

public sealed partial class AddGroupMappingInputValidator : AbstractValidator<AddGroupMappingInput>
{
    public AddGroupMappingInputValidator()
    {
        RuleFor(i => i.GroupId)
            .Must(v => !string.IsNullOrWhiteSpace(v)).WithMessage("Group object ID is required.")
            .Must(v => v is null || v.Trim().Length <= GroupMapping.GroupIdMaxLength).WithMessage($"Group object ID must be at most {GroupMapping.GroupIdMaxLength} characters.")
            .Must(v => !TextRules.HasHiddenCharacters(v)).WithMessage(TextRules.HiddenCharactersMessage("Group object ID"))
            .Must(v => string.IsNullOrWhiteSpace(v) || v.Trim().Length > GroupMapping.GroupIdMaxLength || TextRules.HasHiddenCharacters(v) || IsGroupId(v.Trim()))
            .WithMessage("Enter the group's object ID (a GUID such as 0b4d6c8e-1f2a-4b3c-9d8e-7f6a5b4c3d2e) or an app role's value (letters, digits, '.', '_', '-' and ':').");
        RuleFor(i => i.Role).IsInEnum().WithMessage("Choose a role.");
        RuleFor(i => i.OrganizationId)
            .Must((input, organization) => input.Role == MappedRole.EnterpriseOwner || organization is not null).WithMessage("Choose the organization.");
    }

    public static bool IsGroupId(string value) => Guid.TryParse(value, out _) || AppRoleValue().IsMatch(value);

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._:-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex AppRoleValue();
}

/// <summary>A SCIM token's name (which provisioning client uses it).</summary>
public sealed record CreateScimTokenInput(string Name);

public sealed class CreateScimTokenInputValidator : AbstractValidator<CreateScimTokenInput>
{
    public CreateScimTokenInputValidator() => RuleFor(i => i.Name).DisplayName("Name", ScimToken.NameMaxLength);
}
