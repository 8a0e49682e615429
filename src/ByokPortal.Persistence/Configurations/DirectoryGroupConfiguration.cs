using ByokPortal.Core.Enterprises;
using ByokPortal.Core.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ByokPortal.Persistence.Configurations;

internal sealed class DirectoryGroupConfiguration : IEntityTypeConfiguration<DirectoryGroup>
{
    public void Configure(EntityTypeBuilder<DirectoryGroup> builder)
    {
        builder.HasKey(g => g.Id);
        builder.Property(g => g.DisplayName).HasMaxLength(DirectoryGroup.DisplayNameMaxLength);
        builder.Property(g => g.ExternalId).HasMaxLength(DirectoryGroup.ExternalIdMaxLength);
        builder.HasIndex(g => new { g.EnterpriseId, g.DisplayName });
        builder.HasIndex(g => new { g.EnterpriseId, g.ExternalId });
        builder.HasOne<Enterprise>().WithMany().HasForeignKey(g => g.EnterpriseId).OnDelete(DeleteBehavior.Cascade);
    }
}
