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
        // On SQLite the table is a rowid table without AUTOINCREMENT (migration UsageRowidKeys): EF Core's model keeps its convention
        // (AUTOINCREMENT), which its snapshot cannot express otherwise; the migrated table is what counts (UsageRowidMigrationTests).
        builder.Property(u => u.Id).ValueGeneratedOnAdd();
        builder.Property(u => u.ModelId).HasMaxLength(UsageRecord.ModelIdMaxLength);
        builder.Property(u => u.Operation).HasConversion<string>().HasMaxLength(24);
        // Appended only, with no index but the key: every call is one row at the end of the table and nothing else. The retention finds its
        // rows by Id (rows are appended in time order; UsageRetention). What pages read comes from the hourly totals (UsageHour), written
        // in the same transaction.
        builder.Ignore(u => u.IsError);
    }
}
