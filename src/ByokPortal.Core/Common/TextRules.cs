using System.Globalization;
using FluentValidation;

namespace ByokPortal.Core.Common;

/// <summary>Rules for names people type: no control characters and no invisible ones (zero-width spaces, direction overrides).</summary>
public static class TextRules
{
    public static bool HasControlOrInvisible(string? value) =>
        value is not null && value.Any(c => char.IsControl(c) || CharUnicodeInfo.GetUnicodeCategory(c) is
            UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator or UnicodeCategory.PrivateUse
            or UnicodeCategory.Surrogate or UnicodeCategory.OtherNotAssigned);

    /// <summary>Required, at most <paramref name="maxLength"/> characters once trimmed, and printable.</summary>
    public static IRuleBuilderOptions<T, string> DisplayName<T>(this IRuleBuilder<T, string> rule, string label, int maxLength) =>
        rule.Must(v => !string.IsNullOrWhiteSpace(v)).WithMessage($"{label} is required.")
            .Must(v => v is null || v.Trim().Length <= maxLength).WithMessage($"{label} must be at most {maxLength} characters.")
            .Must(v => !HasControlOrInvisible(v)).WithMessage($"{label} must not contain control or invisible characters.");

    /// <summary>An e-mail address (Entra ID: the sign-in name): one @, a dot in the domain, no spaces, at most 254 characters.</summary>
    public static bool IsEmail(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return false;
        }

        var email = value.Trim();
        var at = email.IndexOf('@', StringComparison.Ordinal);
        return email.Length <= People.Person.EmailMaxLength
               && at > 0 && at == email.LastIndexOf('@') && at < email.Length - 1
               && email[(at + 1)..].Contains('.', StringComparison.Ordinal) && !email.EndsWith('.')
               && !email.Any(c => char.IsWhiteSpace(c) || c is '<' or '>' or '(' or ')' or ',' or ';' or ':' or '"' or '[' or ']' or '\\')
               && !HasControlOrInvisible(email);
    }
}
