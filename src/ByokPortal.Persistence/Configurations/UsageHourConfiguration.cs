using ByokPortal.Core.Usage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ByokPortal.Persistence.Configurations;

internal sealed class UsageHourConfiguration : IEntityTypeConfiguration<UsageHour>
{
    public void Configure(EntityTypeBuilder<UsageHour> builder)
    {
        // No foreign keys, as for the usage rows: totals outlive the keys and API keys they name.
        builder.HasKey(u => u.Id);
        // Without AUTOINCREMENT on SQLite, as the usage rows (see UsageRecordConfiguration).
        builder.Property(u => u.Id).ValueGeneratedOnAdd();
        builder.Property(u => u.ModelId).HasMaxLength(UsageRecord.ModelIdMaxLength);
        // What the totals are kept by (each batch of usage adds to these rows), hour first: the current hour's rows sit together at the
        // end of the index, so adding to them touches the same few pages whatever the number of organizations. It also serves the
        // enterprise's charts and the retention's delete (a range of hours).
        builder.HasIndex(u => new { u.Hour, u.EnterpriseId, u.OrganizationId, u.ApiKeyId, u.ProviderKeyId, u.ModelId }).IsUnique();
        // An organization's charts and a provider key's delete confirmation; written once per row, when its hour's first call comes.
        builder.HasIndex(u => new { u.OrganizationId, u.Hour });
        builder.HasIndex(u => new { u.ProviderKeyId, u.Hour });
    }
}
