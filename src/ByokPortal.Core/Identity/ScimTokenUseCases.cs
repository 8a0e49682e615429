using ByokPortal.Core.Access;
using System.Text.Json;
using ByokPortal.Core.Audit;
using ByokPortal.Core.Common;
using ByokPortal.Core.Data;
using ByokPortal.Core.ProviderKeys;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace ByokPortal.Core.Identity;

/// <summary>The token as created: the only time its plaintext exists outside the provisioning client.</summary>
public sealed record IssuedScimToken(Guid Id, string Name, string Token, string Prefix);

/// <summary>Creates a SCIM token for the enterprise's provisioning client (enterprise owners): shown once, stored as a hash; audited.</summary>
public sealed class CreateScimTokenCommand(IPortalDbContextFactory dbFactory, OwnerScopes scopes, AuditTrail audit, IValidator<CreateScimTokenInput> validator, TimeProvider time)
{
    public async Task<Result<IssuedScimToken>> ExecuteAsync(Actor actor, string enterpriseSlug, CreateScimTokenInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(input);
        input = input with { Name = input.Name?.Trim() ?? "" };
        var validation = await validator.ValidateAsync(input, cancellationToken);
        if (!validation.IsValid)
        {
            return ValidationError.From(validation);
        }

        await using var db = await dbFactory.CreateAsync(cancellationToken);
        var resolved = await scopes.ResolveAsync(db, actor, KeyScope.Enterprise(enterpriseSlug), AuditActions.ScimTokenCreate, cancellationToken);
        if (!resolved.IsSuccess)
        {
            return resolved.Error!;
        }

        var (token, prefix, hash) = ScimToken.Create();
        var row = new ScimToken
        {
            EnterpriseId = resolved.Value.EnterpriseId,
            Name = input.Name,
            Prefix = prefix,
            SecretHash = hash,
            CreatedById = actor.PersonId,
            CreatedAt = time.GetUtcNow(),
        };
        db.ScimTokens.Add(row);
        audit.Record(db, actor, AuditActions.ScimTokenCreate, resolved.Value.Target("scim_token", row.Id.ToString(), row.Name), JsonSerializer.Serialize(new { prefix }));
        await db.SaveChangesAsync(cancellationToken);
        return new IssuedScimToken(row.Id, row.Name, token, prefix);
    }
}

/// <summary>Revokes a SCIM token at once (enterprise owners): the client using it is refused from its next request.</summary>
public sealed class RevokeScimTokenCommand(IPortalDbContextFactory dbFactory, OwnerScopes scopes, AuditTrail audit, TimeProvider time)
{
    public async Task<Result<Done>> ExecuteAsync(Actor actor, string enterpriseSlug, Guid tokenId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await using var db = await dbFactory.CreateAsync(cancellationToken);
        var resolved = await scopes.ResolveAsync(db, actor, KeyScope.Enterprise(enterpriseSlug), AuditActions.ScimTokenRevoke, cancellationToken);
        if (!resolved.IsSuccess)
        {
            return resolved.Error!;
        }

        var token = await db.ScimTokens.FirstOrDefaultAsync(t => t.Id == tokenId && t.EnterpriseId == resolved.Value.EnterpriseId, cancellationToken);
        if (token is null)
        {
            return new NotFoundError("This SCIM token does not exist.");
        }

        if (token.RevokedAt is null)
        {
            token.RevokedAt = time.GetUtcNow();
            audit.Record(db, actor, AuditActions.ScimTokenRevoke, resolved.Value.Target("scim_token", token.Id.ToString(), token.Name), JsonSerializer.Serialize(new { prefix = token.Prefix }));
            await db.SaveChangesAsync(cancellationToken);
        }

        return Done.Value;
    }
}

/// <summary>A SCIM client proven by its token: acts on its enterprise only.</summary>
public sealed record ScimClient(Guid TokenId, Guid EnterpriseId, string Name)
{
    public Actor ToActor(string? clientAddress) => Actor.ForScimToken(TokenId, Name, clientAddress);
}

/// <summary>Checks a presented SCIM token by the hash of the whole token; refused when unknown or revoked. Records last use once a minute.</summary>
public sealed class AuthenticateScimTokenQuery(IPortalDbContextFactory dbFactory, TimeProvider time)
{
    public async Task<Result<ScimClient>> ExecuteAsync(string? presentedToken, CancellationToken cancellationToken)
    {
        if (!ScimToken.LooksLikeToken(presentedToken))
        {
            return new UnauthenticatedError("A valid SCIM token is required.");
        }

        var hash = ScimToken.Hash(presentedToken!);
        await using var db = await dbFactory.CreateAsync(cancellationToken);
        var token = await db.ScimTokens.AsNoTracking().FirstOrDefaultAsync(t => t.SecretHash == hash, cancellationToken);
        if (token is null || token.RevokedAt is not null)
        {
            return new UnauthenticatedError(token is null ? "This SCIM token is not known." : "This SCIM token was revoked.");
        }

        var now = time.GetUtcNow();
        if (token.LastUsedAt is null || now - token.LastUsedAt >= TimeSpan.FromMinutes(1))
        {
            await db.ScimTokens.Where(t => t.Id == token.Id).ExecuteUpdateAsync(s => s.SetProperty(t => t.LastUsedAt, now), cancellationToken);
        }

        return new ScimClient(token.Id, token.EnterpriseId, token.Name);
    }
}
