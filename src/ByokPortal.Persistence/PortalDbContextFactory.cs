using ByokPortal.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace ByokPortal.Persistence;

/// <summary>Hands the use cases a short-lived context of whichever provider is configured.</summary>
internal sealed class PortalDbContextFactory<TContext>(IDbContextFactory<TContext> inner) : IPortalDbContextFactory
    where TContext : PortalDbContext
{
    public async Task<IPortalDbContext> CreateAsync(CancellationToken cancellationToken = default) =>
        await inner.CreateDbContextAsync(cancellationToken);
}
