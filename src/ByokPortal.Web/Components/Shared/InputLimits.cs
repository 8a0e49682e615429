using ByokPortal.Core.CustomModels;
using ByokPortal.Core.Organizations;

namespace ByokPortal.Web.Components.Shared;

/// <summary>
/// The <c>maxlength</c> of every text input, so no value larger than the circuit accepts (32 KB a message) ever leaves the browser:
/// an over-long paste is cut there instead of ending the circuit with a silent reconnect.
/// </summary>
public static class InputLimits
{
    /// <summary>
    /// For a field its validator limits: one character more than the validator allows, so an over-long paste is cut in the browser and
    /// still refused with the field's own message ("… at most N characters", "… is too long"), never silently shortened to a value
    /// the validator would accept (a truncated key would be saved as if it were the real one).
    /// </summary>
    public static int Over(int validatorLimit) => validatorLimit + 1;

    /// <summary>Searching models and their keys: nothing longer than a model ID can match.</summary>
    public const int ModelSearch = CustomModel.ModelIdMaxLength;

    /// <summary>Searching organizations by name or slug.</summary>
    public const int OrganizationSearch = Organization.NameMaxLength;

    /// <summary>Azure OpenAI's api-version ("2024-10-21", "2025-01-01-preview"); the validator checks its shape.</summary>
    public const int ApiVersion = 32;
}
