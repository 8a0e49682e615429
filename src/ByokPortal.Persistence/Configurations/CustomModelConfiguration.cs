using ByokPortal.Core.ApiKeys;
using ByokPortal.Core.Audit;
using ByokPortal.Core.CustomModels;
using ByokPortal.Core.Enterprises;
using ByokPortal.Core.Organizations;
using ByokPortal.Core.People;
using ByokPortal.Core.ProviderKeys;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ByokPortal.Persistence.Configurations;

internal sealed class CustomModelConfiguration : IEntityTypeConfiguration<CustomModel>
{
    public void Configure(EntityTypeBuilder<CustomModel> builder)
    {
        builder.HasKey(m => m.Id);
        builder.Property(m => m.ModelId).HasMaxLength(CustomModel.ModelIdMaxLength);
        builder.HasIndex(m => new { m.ProviderKeyId, m.ModelId }).IsUnique();
        builder.HasIndex(m => new { m.EnterpriseId, m.OrganizationId });
        builder.Property(m => m.AccessMode).HasConversion<string>().HasMaxLength(32);
        builder.Property(m => m.Version).IsConcurrencyToken();
        builder.HasOne<ProviderKey>().WithMany().HasForeignKey(m => m.ProviderKeyId).OnDelete(DeleteBehavior.Cascade);
    }
}
