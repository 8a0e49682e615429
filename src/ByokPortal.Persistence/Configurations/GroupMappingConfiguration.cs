using ByokPortal.Core.Enterprises;
using ByokPortal.Core.Identity;
using ByokPortal.Core.Organizations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ByokPortal.Persistence.Configurations;

internal sealed class GroupMappingConfiguration : IEntityTypeConfiguration<GroupMapping>
{
    public void Configure(EntityTypeBuilder<GroupMapping> builder)
    {
        builder.HasKey(m => m.Id);
        builder.Property(m => m.GroupId).HasMaxLength(GroupMapping.GroupIdMaxLength);
        builder.HasIndex(m => new { m.EnterpriseId, m.GroupId });
        builder.HasIndex(m => m.OrganizationId);
        builder.Property(m => m.Role).HasConversion<string>().HasMaxLength(32);
        builder.HasOne<Enterprise>().WithMany().HasForeignKey(m => m.EnterpriseId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Organization>().WithMany().HasForeignKey(m => m.OrganizationId).OnDelete(DeleteBehavior.Cascade);
    }
}
