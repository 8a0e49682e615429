using ByokPortal.Core.Common;
using FluentValidation;

namespace ByokPortal.Core.Organizations;

/// <summary>"New organization": a name, and a slug (suggested from the name) that becomes its URL.</summary>
public sealed record CreateOrganizationInput(string Name, string Slug);

public sealed class CreateOrganizationInputValidator : AbstractValidator<CreateOrganizationInput>
{
    public CreateOrganizationInputValidator()
    {
        RuleFor(i => i.Name).DisplayName("Name", Organization.NameMaxLength);
        RuleFor(i => i.Slug).SlugRules();
    }
}

/// <summary>Rename: a new display name; the slug (and so every URL) stays.</summary>
public sealed record RenameOrganizationInput(string Name, Guid ExpectedVersion);

public sealed class RenameOrganizationInputValidator : AbstractValidator<RenameOrganizationInput>
{
    public RenameOrganizationInputValidator()
    {
        RuleFor(i => i.Name).DisplayName("Name", Organization.NameMaxLength);
        RuleFor(i => i.ExpectedVersion).NotEmpty().WithMessage("Reload the page and try again.");
    }
}

public static class SlugValidation
{
    public static IRuleBuilderOptions<T, string> SlugRules<T>(this IRuleBuilder<T, string> rule) =>
        rule.Must(v => !string.IsNullOrWhiteSpace(v)).WithMessage("Slug is required.")
            .Must(v => v is null || v.Length <= Slug.MaxLength).WithMessage($"Slug must be at most {Slug.MaxLength} characters.")
            .Must(v => string.IsNullOrWhiteSpace(v) || v.Length > Slug.MaxLength || Slug.IsValid(v))
            .WithMessage("Slug may contain only lower-case letters, digits and single hyphens, and must start and end with a letter or digit.")
            .Must(v => !Slug.IsReserved(v)).WithMessage((_, v) => $"\"{v}\" is reserved by the portal. Choose another slug.");
}
