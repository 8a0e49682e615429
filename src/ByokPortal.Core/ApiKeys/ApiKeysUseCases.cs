using ByokPortal.Core.Access;
using System.Text.Json;
using ByokPortal.Core.Audit;
using ByokPortal.Core.Common;
using ByokPortal.Core.Data;
using ByokPortal.Core.ProviderKeys;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace ByokPortal.Core.ApiKeys;

public sealed class IssueApiKeyInput
{
    public string Name { get; set; } = "";

    /// <summary>Last day the key works (UTC) as typed, <c>yyyy-MM-dd</c>; empty for none. Anything else is refused, never read as "no expiry".</summary>
    public string? ExpiresOn { get; set; }

    /// <summary>The expiry day once <see cref="IssueApiKeyInputValidator"/> accepted the input.</summary>
    public DateOnly? ExpiryDay => TextRules.TryParseDate(ExpiresOn, out var day) ? day : null;
}

public sealed class IssueApiKeyInputValidator : AbstractValidator<IssueApiKeyInput>
{
    public const int MaxLifetimeDays = 730;

    public const string UnreadableExpiry = "Enter the expiry date as a real day, YYYY-MM-DD (e.g. 2027-06-30), or leave it empty for no expiry.";

    public IssueApiKeyInputValidator(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        RuleFor(i => i.Name)
            .Cascade(CascadeMode.Stop)
            .Must(n => !string.IsNullOrWhiteSpace(n)).WithMessage("Name is required.")
            .MaximumLength(OrganizationApiKey.NameMaxLength).WithMessage($"Name must be at most {OrganizationApiKey.NameMaxLength} characters.")
            .WithoutHiddenCharacters("Name");
        RuleFor(i => i.ExpiresOn)
            .Cascade(CascadeMode.Stop)
            .EmptyOrDate(UnreadableExpiry)
            .Must((i, _) => i.ExpiryDay is not { } day || day > Today(time)).WithMessage("The expiry date must be in the future.")
            .Must((i, _) => i.ExpiryDay is not { } day || day <= Today(time).AddDays(MaxLifetimeDays)).WithMessage("An API key can last at most 2 years.");
    }

    private static DateOnly Today(TimeProvider time) => DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
}

/// <summary>The key as issued: the only time its plaintext exists outside the application that receives it.</summary>
public sealed record IssuedApiKey(Guid Id, string Name, string Token, string Prefix, DateTimeOffset? ExpiresAt);

public enum ApiKeyStatus
{
    Active,
    Expired,
    Revoked,
}

/// <summary>One API key as its list shows it. <see cref="RateLimitPerMinute"/> null: the installation's default applies.</summary>
public sealed record ApiKeyRow(Guid Id, string Name, string Prefix, string CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt, DateTimeOffset? ExpiresAt, DateTimeOffset? RevokedAt, ApiKeyStatus Status, int? RateLimitPerMinute, Guid Version);

public sealed record ApiKeyList(string OrganizationName, bool OrganizationKeysAllowed, IReadOnlyList<ApiKeyRow> Keys, IReadOnlyList<ProviderKeyRow> ProviderKeys)
{
    public IReadOnlyList<AssignedApiKey> ActiveKeys => Keys.Where(k => k.Status == ApiKeyStatus.Active).Select(k => new AssignedApiKey(k.Id, k.Name)).ToList();
}

/// <summary>Issues an organization API key for an application: shown once, stored as a hash. Owners only; audited.</summary>
public sealed class IssueApiKeyCommand(IPortalDbContextFactory dbFactory, OwnerScopes scopes, AuditTrail audit, IValidator<IssueApiKeyInput> validator, TimeProvider time)
{
    public async Task<Result<IssuedApiKey>> ExecuteAsync(Actor actor, string organizationSlug, IssueApiKeyInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(input);
        var validation = await validator.ValidateAsync(input, cancellationToken);
        if (!validation.IsValid)
        {
            return ValidationError.From(validation);
        }

        await using var db = await dbFactory.CreateAsync(cancellationToken);
        var resolved = await scopes.ResolveAsync(db, actor, KeyScope.Organization(organizationSlug), AuditActions.ApiKeyCreate, cancellationToken);
        if (!resolved.IsSuccess)
        {
            return resolved.Error!;
        }

        var owner = resolved.Value;
        var name = input.Name.Trim();
        var now = time.GetUtcNow();
        if (await db.OrganizationApiKeys.Where(OrganizationApiKey.ActiveAt(now)).AnyAsync(k => k.OrganizationId == owner.OrganizationId && k.Name == name, cancellationToken))
        {
            return ValidationError.For(nameof(IssueApiKeyInput.Name), $"An active API key named \"{name}\" already exists. Choose another name.");
        }

        var (token, prefix, hash) = ApiKeyToken.Create();
        DateTimeOffset? expiresAt = input.ExpiryDay is { } day ? new DateTimeOffset(day.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : null;
        var key = new OrganizationApiKey
        {
            OrganizationId = owner.OrganizationId!.Value,
            Name = name,
            Prefix = prefix,
            SecretHash = hash,
            CreatedById = actor.PersonId,
            CreatedAt = now,
            ExpiresAt = expiresAt,
        };
        db.OrganizationApiKeys.Add(key);
        audit.Record(db, actor, AuditActions.ApiKeyCreate, owner.Target("api_key", key.Id.ToString(), name),
            JsonSerializer.Serialize(new { prefix, expiresAt }));
        await db.SaveChangesAsync(cancellationToken);
        return new IssuedApiKey(key.Id, name, token, prefix, expiresAt);
    }
}

/// <summary>The organization's API keys (never their secrets) and its provider keys with their assignment.</summary>
public sealed class ListApiKeysQuery(IPortalDbContextFactory dbFactory, OwnerScopes scopes, TimeProvider time)
{
    public async Task<Result<ApiKeyList>> ExecuteAsync(Actor actor, string organizationSlug, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ResolvedScope owner;
        List<ApiKeyRow> rows;
        IReadOnlyList<ProviderKeyRow> providerKeys;
        await using (var db = await dbFactory.CreateAsync(cancellationToken))
        {
            var resolved = await scopes.ResolveAsync(db, actor, KeyScope.Organization(organizationSlug), AuditActions.AccessDenied, cancellationToken);
            if (!resolved.IsSuccess)
            {
                return resolved.Error!;
            }

            owner = resolved.Value;
            var now = time.GetUtcNow();
            rows = (await (
                        from k in db.OrganizationApiKeys.AsNoTracking()
                        join p in db.People on k.CreatedById equals p.Id
                        where k.OrganizationId == owner.OrganizationId
                        orderby k.Name
                        select new { Key = k, CreatedBy = p.Email })
                    .ToListAsync(cancellationToken))
                .Select(r => new ApiKeyRow(r.Key.Id, r.Key.Name, r.Key.Prefix, r.CreatedBy, r.Key.CreatedAt, r.Key.LastUsedAt, r.Key.ExpiresAt, r.Key.RevokedAt,
                    r.Key.StatusAt(now),
                    r.Key.RateLimitPerMinute,
                    r.Key.Version))
                .OrderBy(r => r.Status)
                .ThenBy(r => r.Name, StringComparer.Ordinal)
                .ToList();
            providerKeys = await ProviderKeyRows.LoadAsync(db, owner, cancellationToken);
        }

        return new ApiKeyList(owner.DisplayName, owner.OrganizationKeysAllowed, rows, providerKeys);
    }
}

/// <summary>Revokes an organization API key at once: applications using it are refused from then on. Owners only; audited.</summary>
public sealed class RevokeApiKeyCommand(IPortalDbContextFactory dbFactory, OwnerScopes scopes, AuditTrail audit, TimeProvider time)
{
    public async Task<Result<Done>> ExecuteAsync(Actor actor, string organizationSlug, Guid apiKeyId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await using var db = await dbFactory.CreateAsync(cancellationToken);
        var resolved = await scopes.ResolveAsync(db, actor, KeyScope.Organization(organizationSlug), AuditActions.ApiKeyRevoke, cancellationToken);
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
            return Done.Value;
        }

        key.RevokedAt = time.GetUtcNow();
        key.RevokedById = actor.PersonId;
        audit.Record(db, actor, AuditActions.ApiKeyRevoke, resolved.Value.Target("api_key", key.Id.ToString(), key.Name), JsonSerializer.Serialize(new { prefix = key.Prefix }));
        return await db.TrySaveAsync("This API key", cancellationToken) is { } conflict ? conflict : Done.Value;
    }
}
