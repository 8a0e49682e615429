using ByokPortal.Core.Enterprises;
using ByokPortal.Core.People;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ByokPortal.Persistence.Configurations;

internal sealed class EnterpriseMembershipConfiguration : IEntityTypeConfiguration<EnterpriseMembership>
{
    public void Configure(EntityTypeBuilder<EnterpriseMembership> builder)
    {
        builder.HasKey(m => new { m.EnterpriseId, m.PersonId });
        builder.HasIndex(m => m.PersonId);
        builder.Property(m => m.Role).HasConversion<string>().HasMaxLength(16);
        builder.Property(m => m.HandRole).HasConversion<string>().HasMaxLength(16);
        builder.Property(m => m.GroupRole).HasConversion<string>().HasMaxLength(16);
        builder.HasOne<Enterprise>().WithMany().HasForeignKey(m => m.EnterpriseId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Person>().WithMany().HasForeignKey(m => m.PersonId).OnDelete(DeleteBehavior.Cascade);
    }
}
