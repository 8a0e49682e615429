using ByokPortal.Core.Access;
using System.Globalization;
using System.Text.Json;
using ByokPortal.Core.Audit;
using ByokPortal.Core.Common;
using ByokPortal.Core.Data;
using ByokPortal.Core.ProviderKeys;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace ByokPortal.Core.ApiKeys;

/// <summary>
/// An API key's rate limit as typed: requests per minute, or empty for the installation's default. <see cref="ExpectedVersion"/> is the
/// key's version when the owner opened the dialog.
/// </summary>
public sealed record SetApiKeyRateLimitInput(string? RequestsPerMinute, Guid ExpectedVersion)
{
    /// <summary>The limit once <see cref="SetApiKeyRateLimitInputValidator"/> accepted the input; null for the default.</summary>
    public int? Limit => TryParse(RequestsPerMinute, out var limit) ? limit : null;

    internal static bool TryParse(string? text, out int limit) =>
        int.TryParse(text?.Trim(), NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out limit);
}

public sealed class SetApiKeyRateLimitInputValidator : AbstractValidator<SetApiKeyRateLimitInput>
{
    public const int MaxRequestsPerMinute = 100_000;

    public const string OutOfRange = "Enter a whole number of requests per minute from 1 to 100,000, or leave it empty for the default.";

    public SetApiKeyRateLimitInputValidator()
    {
        RuleFor(i => i.RequestsPerMinute)
            .Must(text => string.IsNullOrWhiteSpace(text) || (SetApiKeyRateLimitInput.TryParse(text, out var limit) && limit is >= 1 and <= MaxRequestsPerMinute))
            .WithMessage(OutOfRange);
    }
}

/// <summary>
/// Sets how many requests per minute an API key may make to the runtime (or gives it back the installation's default). Owners only;
/// audited; refused when someone else changed the key since the dialog opened. The runtime applies it with its next snapshot.
/// </summary>
public sealed class SetApiKeyRateLimitCommand(IPortalDbContextFactory dbFactory, OwnerScopes scopes, AuditTrail audit, IValidator<SetApiKeyRateLimitInput> validator)
{
    public async Task<Result<Done>> ExecuteAsync(Actor actor, string organizationSlug, Guid apiKeyId, SetApiKeyRateLimitInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(input);
        var validation = await validator.ValidateAsync(input, cancellationToken);
        if (!validation.IsValid)
        {
            return ValidationError.From(validation);
        }

        await using var db = await dbFactory.CreateAsync(cancellationToken);
        var resolved = await scopes.ResolveAsync(db, actor, KeyScope.Organization(organizationSlug), AuditActions.ApiKeyRateLimitUpdate, cancellationToken);
        if (!resolved.IsSuccess)
        {
            return resolved.Error!;
        }

        var key = await db.OrganizationApiKeys.FirstOrDefaultAsync(k => k.Id == apiKeyId && k.OrganizationId == resolved.Value.OrganizationId, cancellationToken);
        if (key is null)
        {
            return new NotFoundError("This API key does not exist.");
        }

        if (key.RevokedAt is not null)
        {
            return ValidationError.For(nameof(SetApiKeyRateLimitInput.RequestsPerMinute), "This API key was revoked; its rate limit no longer applies.");
        }

        var previous = key.RateLimitPerMinute;
        db.ExpectVersion(key, input.ExpectedVersion);
        key.RateLimitPerMinute = input.Limit;
        audit.Record(db, actor, AuditActions.ApiKeyRateLimitUpdate, resolved.Value.Target("api_key", key.Id.ToString(), key.Name),
            JsonSerializer.Serialize(new { prefix = key.Prefix, from = previous, to = key.RateLimitPerMinute }));
        return await db.TrySaveAsync("This API key", cancellationToken) is { } conflict ? conflict : Done.Value;
    }
}
