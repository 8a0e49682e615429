using Microsoft.Extensions.Options;

namespace ByokPortal.Providers.Outbound;

/// <summary>Refuses to start with an allowed-host entry the guard cannot read, or with bounds that are not positive.</summary>
public sealed class OutboundOptionsValidator : IValidateOptions<OutboundOptions>
{
    public ValidateOptionsResult Validate(string? name, OutboundOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = options.AllowedHosts.Where(e => OutboundGuard.ParseAllowedHost(e) is null).Select(OutboundGuard.InvalidEntryMessage).ToList();
        if (options.MaxResponseBytes <= 0)
        {
            failures.Add($"{OutboundOptions.SectionName}:{nameof(OutboundOptions.MaxResponseBytes)} must be greater than 0.");
        }

        if (options.MaxModels <= 0)
        {
            failures.Add($"{OutboundOptions.SectionName}:{nameof(OutboundOptions.MaxModels)} must be greater than 0.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
