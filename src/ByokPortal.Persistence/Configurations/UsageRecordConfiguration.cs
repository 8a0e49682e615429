using ByokPortal.Core.Usage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ByokPortal.Persistence.Configurations;

internal sealed class UsageRecordConfiguration : IEntityTypeConfiguration<UsageRecord>
{
    public void Configure(EntityTypeBuilder<UsageRecord> builder)
    {
        // No foreign keys on purpose: usage outlives the keys and API keys it names, and the writer must never fail on a deleted one.
        builder.HasKey(u => u.Id);
        builder.Property(u => u.Id).ValueGeneratedOnAdd();
        builder.Property(u => u.ModelId).HasMaxLength(UsageRecord.ModelIdMaxLength);
        builder.Property(u => u.Operation).HasConversion<string>().HasMaxLength(24);
        // Every index is written on every runtime call (thousands a second), so only those a page needs: an organization's charts, a
        // provider key's delete confirmation, and the hour, which serves the enterprise's charts (one enterprise per deployment, usually:
        // the window's rows, filtered) and the retention's delete. An integer that only grows is the cheapest index to append to.
        builder.HasIndex(u => new { u.OrganizationId, u.Hour });
        builder.HasIndex(u => new { u.ProviderKeyId, u.Hour });
        builder.HasIndex(u => u.Hour);
        builder.Ignore(u => u.IsError);
    }
}
