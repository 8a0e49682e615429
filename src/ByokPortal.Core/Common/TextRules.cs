using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using FluentValidation;

namespace ByokPortal.Core.Common;

/// <summary>
/// The rules every name, model ID, URL and version typed into the portal follows, written once: no control characters (NUL, line
/// breaks, …) and no invisible or direction-changing ones (Unicode format characters such as zero-width spaces and joiners, the
/// byte order mark, bidi embeddings, overrides and isolates U+202A–U+202E and U+2066–U+2069), which would make two different values
/// look alike or reorder what a reader sees. Dates are typed as <c>yyyy-MM-dd</c> and must be real days.
/// </summary>
public static partial class TextRules
{
    public const string DateFormat = "yyyy-MM-dd";

    /// <summary>Letters that render as nothing although Unicode does not class them as format characters.</summary>
    private static readonly HashSet<int> BlankLetters = [0x034F, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x2800, 0x3164, 0xFFA0];

    /// <summary>Whether <paramref name="text"/> holds a control, format, line/paragraph separator or blank character, or a broken surrogate pair.</summary>
    public static bool HasHiddenCharacters(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        var rest = text.AsSpan();
        while (!rest.IsEmpty)
        {
            if (Rune.DecodeFromUtf16(rest, out var rune, out var consumed) != System.Buffers.OperationStatus.Done)
            {
                return true;
            }

            var category = Rune.GetUnicodeCategory(rune);
            if (category is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator
                or UnicodeCategory.Surrogate
                || BlankLetters.Contains(rune.Value))
            {
                return true;
            }

            rest = rest[consumed..];
        }

        return false;
    }

    /// <summary>"{label} must not contain control, invisible or direction-changing characters."</summary>
    public static string HiddenCharactersMessage(string label) => $"{label} must not contain control, invisible or direction-changing characters.";

    /// <summary>The field refuses control, invisible and direction-changing characters (see <see cref="HasHiddenCharacters"/>).</summary>
    public static IRuleBuilderOptions<T, string?> WithoutHiddenCharacters<T>(this IRuleBuilder<T, string?> rule, string label) =>
        rule.Must(text => !HasHiddenCharacters(text)).WithMessage(HiddenCharactersMessage(label));

    /// <summary>Whether <paramref name="text"/> holds something a browser would read as markup: a tag such as <c>&lt;script&gt;</c> or
    /// <c>&lt;/b&gt;</c>, or a comment or declaration opener. A lone <c>&lt;</c> or <c>&gt;</c> (as in "tier &lt; 2") is not markup.</summary>
    public static bool HasMarkup(string? text) => !string.IsNullOrEmpty(text) && MarkupPattern().IsMatch(text);

    /// <summary>The field refuses markup (see <see cref="HasMarkup"/>): a name is shown on many pages and in exports.</summary>
    public static IRuleBuilderOptions<T, string?> WithoutMarkup<T>(this IRuleBuilder<T, string?> rule, string label) =>
        rule.Must(text => !HasMarkup(text)).WithMessage($"{label} must not contain markup such as <script>.");

    [GeneratedRegex(@"<\s*[/!?]?\s*[A-Za-z!-]", RegexOptions.CultureInvariant)]
    private static partial Regex MarkupPattern();

    /// <summary>A day typed as <c>yyyy-MM-dd</c> (surrounding spaces ignored) that exists in the calendar: 2026-02-30 does not.</summary>
    public static bool TryParseDate(string? text, out DateOnly date) =>
        DateOnly.TryParseExact(text?.Trim(), DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out date);

    public static string FormatDate(DateOnly date) => date.ToString(DateFormat, CultureInfo.InvariantCulture);

    /// <summary>Empty, or a real day (see <see cref="TryParseDate"/>).</summary>
    public static IRuleBuilderOptions<T, string?> EmptyOrDate<T>(this IRuleBuilder<T, string?> rule, string message) =>
        rule.Must(text => string.IsNullOrWhiteSpace(text) || TryParseDate(text, out _)).WithMessage(message);

    /// <summary>Required, at most <paramref name="maxLength"/> characters once trimmed, and without hidden characters.</summary>
    public static IRuleBuilderOptions<T, string> DisplayName<T>(this IRuleBuilder<T, string> rule, string label, int maxLength) =>
        rule.Must(v => !string.IsNullOrWhiteSpace(v)).WithMessage($"{label} is required.")
            .Must(v => v is null || v.Trim().Length <= maxLength).WithMessage($"{label} must be at most {maxLength} characters.")
            .Must(v => !HasHiddenCharacters(v)).WithMessage(HiddenCharactersMessage(label));

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
               && !HasHiddenCharacters(email);
    }
}
