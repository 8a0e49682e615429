using ByokPortal.Core.Access;
using ByokPortal.Core.Common;
using ByokPortal.Core.CustomModels;
using FluentValidation;

namespace ByokPortal.Core.ProviderKeys;

/// <summary>
/// The rule sets of the key form, chosen by what is being done (never by flags on the input): <see cref="Connection"/> (the provider and
/// its adapter's fields: what a call to the provider uses, so "Fetch new models" and "Test credentials" run it alone), <see cref="Save"/>
/// (name and models), <see cref="Add"/> (a new key needs its credential), <see cref="Enterprise"/> (a new enterprise key needs a model)
/// and <see cref="Organization"/> (assignment to specific API keys).
/// </summary>
public static class ProviderKeyRuleSets
{
    public const string Connection = "Connection";
    public const string Save = "Save";
    public const string Add = "Add";
    public const string Enterprise = "Enterprise";
    public const string Organization = "Organization";

    /// <summary>What Save checks: adding or editing, for the enterprise or an organization.</summary>
    public static string[] ForSave(bool adding, KeyScope scope) =>
        [Connection, Save, .. adding ? [Add] : Array.Empty<string>(), .. scope.IsEnterprise ? (adding ? [Enterprise] : Array.Empty<string>()) : [Organization]];

    /// <summary>What "Fetch new models" and "Test credentials" check: the connection, and the credential of a key not saved yet.</summary>
    public static string[] ForCall(bool adding) => adding ? [Connection, Add] : [Connection];
}

/// <summary>
/// The rules of the key form, shared by the form (field by field), the use cases and any API: common rules here, each provider's own
/// rules from its adapter (<see cref="IProviderRules.Validate"/>), each rule written once.
/// </summary>
public sealed class ProviderKeyInputValidator : AbstractValidator<ProviderKeyInput>
{
    public const int MaxModelsPerKey = 500;
    public const int MaxCredentialLength = 8192;

    /// <summary>A key file (a service-account JSON is about 2–3 KB).</summary>
    public const int MaxKeyFileLength = 16384;

    public ProviderKeyInputValidator(ProviderRegistry providers)
    {
        ArgumentNullException.ThrowIfNull(providers);
        RuleSet(ProviderKeyRuleSets.Connection, () =>
        {
            RuleFor(i => i.Provider).Must(p => providers.Find(p) is not null).WithMessage("Choose a provider.");
            RuleFor(i => i).Custom((input, context) =>
            {
                foreach (var error in providers.Find(input.Provider)?.Validate(input) ?? [])
                {
                    context.AddFailure(error.Property, error.Message);
                }
            });
        });

        RuleSet(ProviderKeyRuleSets.Add, () =>
            RuleFor(i => i).Custom((input, context) =>
            {
                if (providers.Find(input.Provider) is { CredentialRequired: true } rules && rules.CredentialIsEmpty(input))
                {
                    var field = rules.Form.Rows is null ? nameof(ProviderKeyInput.Credential) : nameof(ProviderKeyInput.CredentialRows);
                    var credential = rules.Form.Field(FormField.Credential);
                    context.AddFailure(field, rules.Form.Rows is { } rows ? $"{rows.Label} are required: add at least one row."
                        : $"{credential?.Label ?? "API key"} is required.");
                }
            }));

        RuleSet(ProviderKeyRuleSets.Save, () =>
        {
            // One message per field at a time: a tab-only name is "required", not also "has control characters".
            RuleFor(i => i.Name)
                .Cascade(CascadeMode.Stop)
                .Must(n => !string.IsNullOrWhiteSpace(n)).WithMessage("Name is required.")
                .MaximumLength(ProviderKey.NameMaxLength).WithMessage($"Name must be at most {ProviderKey.NameMaxLength} characters.")
                .WithoutHiddenCharacters("Name")
                .WithoutMarkup("Name")
                .Must(n => !SecretShapes.LooksLikeSecret(n)).WithMessage("Name looks like a key or other secret: the name is shown to everyone who picks a model. Put the secret in its own field.");
            RuleFor(i => i.ModelIds)
                .Must(m => m.Count <= MaxModelsPerKey).WithMessage($"A key can serve at most {MaxModelsPerKey} models.")
                .Must(m => m.Distinct(StringComparer.Ordinal).Count() == m.Count).WithMessage("Each model can be added once.");
            RuleForEach(i => i.ModelIds)
                .Must(ModelIdRules.IsValid).WithMessage(ModelIdRules.Message)
                .Must((input, model) => providers.Find(input.Provider)?.ModelIdProblem(model.Trim()) is null)
                .WithMessage((input, model) => providers.Find(input.Provider)?.ModelIdProblem(model.Trim()) ?? "");
        });

        RuleSet(ProviderKeyRuleSets.Enterprise, () =>
            RuleFor(i => i.ModelIds).Must(m => m.Count > 0).WithMessage("Select or add at least one model."));

        RuleSet(ProviderKeyRuleSets.Organization, () =>
            RuleFor(i => i.ApiKeyIds)
                .Must(ids => ids.Count > 0).WithMessage(ProviderKeyAssignments.NoApiKeyChosen)
                .When(i => !i.AssignToEntireOrganization));
    }
}
