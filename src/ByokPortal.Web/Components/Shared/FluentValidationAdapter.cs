using FluentValidation;

namespace ByokPortal.Web.Components.Shared;

/// <summary>
/// Lets a MudForm validate field by field with the same FluentValidation validator the use case runs on the server.
/// Pass <see cref="ValidateValue"/> to <c>MudForm.Validation</c> and give every field a <c>For</c> expression.
/// </summary>
public sealed class FluentValidationAdapter<T>(IValidator<T> validator, Action<T>? prepare = null)
{
    public Func<object, string, Task<IEnumerable<string>>> ValidateValue => async (model, propertyName) =>
    {
        var typed = (T)model;
        prepare?.Invoke(typed);
        var result = await validator.ValidateAsync(ValidationContext<T>.CreateWithOptions(typed, options => options.IncludeProperties(propertyName)));
        return result.IsValid ? [] : result.Errors.Select(e => e.ErrorMessage);
    };
}
