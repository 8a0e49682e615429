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
        builder.HasIndex(u => new { u.OrganizationId, u.Hour });
        builder.HasIndex(u => new { u.EnterpriseId, u.Hour });
        builder.HasIndex(u => new { u.ProviderKeyId, u.Hour });
        builder.HasIndex(u => u.OccurredAt);
        builder.Ignore(u => u.IsError);
    }
}
