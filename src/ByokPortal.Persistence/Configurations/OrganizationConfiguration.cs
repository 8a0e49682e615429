using ByokPortal.Core.Enterprises;
using ByokPortal.Core.Organizations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ByokPortal.Persistence.Configurations;

internal sealed class OrganizationConfiguration : IEntityTypeConfiguration<Organization>
{
    public void Configure(EntityTypeBuilder<Organization> builder)
    {
        builder.HasKey(o => o.Id);
        builder.Property(o => o.Slug).HasMaxLength(Core.Common.Slug.MaxLength);
        builder.HasIndex(o => o.Slug).IsUnique();
        builder.Property(o => o.Name).HasMaxLength(Organization.NameMaxLength);
        builder.HasIndex(o => new { o.EnterpriseId, o.Name });
        builder.Property(o => o.ModelsPermission).HasConversion<string>().HasMaxLength(32);
        builder.Property(o => o.Version).IsConcurrencyToken();
        builder.Ignore(o => o.IsArchived);
        builder.HasOne<Enterprise>().WithMany().HasForeignKey(o => o.EnterpriseId).OnDelete(DeleteBehavior.Restrict);
    }
}
