using ByokPortal.Core.Availability;
using ByokPortal.Core.Enterprises;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ByokPortal.Persistence.Configurations;

internal sealed class PolicyVersionConfiguration : IEntityTypeConfiguration<PolicyVersion>
{
    public void Configure(EntityTypeBuilder<PolicyVersion> builder)
    {
        builder.HasKey(v => v.EnterpriseId);
        builder.Property(v => v.EnterpriseId).ValueGeneratedNever();
        builder.HasOne<Enterprise>().WithOne().HasForeignKey<PolicyVersion>(v => v.EnterpriseId).OnDelete(DeleteBehavior.Cascade);
    }
}
