using ByokPortal.Core.Common;
using FluentValidation;

namespace ByokPortal.Core.People;

/// <summary>A role to give in one organization; null takes the hand-given role away.</summary>
public sealed record OrganizationRoleChange(Guid OrganizationId, OrganizationRole? Role);

/// <summary>"Add person": an e-mail address (Entra ID: the sign-in name) and the roles to give.</summary>
public sealed record AddPersonInput(string Email, string? DisplayName, bool EnterpriseOwner, IReadOnlyList<OrganizationRoleChange> Organizations);

/// <summary>
/// A person's hand-given roles: enterprise owner or not, and changes for the listed organizations (others stay as they are).
/// <see cref="ConfirmLastOrganizationOwner"/>: an enterprise owner confirms removing an organization's last owner.
/// </summary>
public sealed record UpdatePersonRolesInput(bool EnterpriseOwner, IReadOnlyList<OrganizationRoleChange> Organizations, bool ConfirmLastOrganizationOwner = false);

/// <summary>An organization's "Add person": an e-mail address and owner or member.</summary>
public sealed record AddOrganizationPersonInput(string Email, OrganizationRole Role);

public sealed class AddPersonInputValidator : AbstractValidator<AddPersonInput>
{
    public const int MaxOrganizations = 500;

    public AddPersonInputValidator()
    {
        RuleFor(i => i.Email).EmailRules();
        RuleFor(i => i.DisplayName)
            .Must(v => v is null || v.Trim().Length <= Person.DisplayNameMaxLength).WithMessage($"Name must be at most {Person.DisplayNameMaxLength} characters.")
            .Must(v => !TextRules.HasHiddenCharacters(v)).WithMessage(TextRules.HiddenCharactersMessage("Name"));
        RuleFor(i => i.Organizations).OrganizationChanges();
    }
}

public sealed class UpdatePersonRolesInputValidator : AbstractValidator<UpdatePersonRolesInput>
{
    public UpdatePersonRolesInputValidator() => RuleFor(i => i.Organizations).OrganizationChanges();
}

public sealed class AddOrganizationPersonInputValidator : AbstractValidator<AddOrganizationPersonInput>
{
    public AddOrganizationPersonInputValidator()
    {
        RuleFor(i => i.Email).EmailRules();
        RuleFor(i => i.Role).IsInEnum().WithMessage("Choose Owner or Member.");
    }
}

public static class PeopleValidation
{
    public static IRuleBuilderOptions<T, string> EmailRules<T>(this IRuleBuilder<T, string> rule) =>
        rule.Must(v => !string.IsNullOrWhiteSpace(v)).WithMessage("E-mail address is required.")
            .Must(v => v is null || v.Trim().Length <= Person.EmailMaxLength).WithMessage($"E-mail address must be at most {Person.EmailMaxLength} characters.")
            .Must(v => !TextRules.HasHiddenCharacters(v)).WithMessage(TextRules.HiddenCharactersMessage("E-mail address"))
            .Must(v => string.IsNullOrWhiteSpace(v) || v.Trim().Length > Person.EmailMaxLength || TextRules.HasHiddenCharacters(v) || TextRules.IsEmail(v))
            .WithMessage("Enter a valid e-mail address, such as name@example.com (with Microsoft Entra ID: the person's sign-in name).");

    public static IRuleBuilderOptions<T, IReadOnlyList<OrganizationRoleChange>> OrganizationChanges<T>(this IRuleBuilder<T, IReadOnlyList<OrganizationRoleChange>> rule) =>
        rule.NotNull().WithMessage("Choose the organizations.")
            .Must(v => v is null || v.Count <= AddPersonInputValidator.MaxOrganizations).WithMessage($"At most {AddPersonInputValidator.MaxOrganizations} organizations at once.")
            .Must(v => v is null || v.Select(c => c.OrganizationId).Distinct().Count() == v.Count).WithMessage("Each organization may be listed once.")
            .Must(v => v is null || v.All(c => c.Role is null || Enum.IsDefined(c.Role.Value))).WithMessage("Choose Owner or Member.");
}
