using ByokPortal.Core.Organizations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ByokPortal.Persistence.Configurations;

internal sealed class OrganizationModelSettingConfiguration : IEntityTypeConfiguration<OrganizationModelSetting>
{
    public void Configure(EntityTypeBuilder<OrganizationModelSetting> builder)
    {
        builder.HasKey(s => new { s.OrganizationId, s.CustomModelId });
        builder.HasIndex(s => s.CustomModelId);
        builder.HasOne<Organization>().WithMany().HasForeignKey(s => s.OrganizationId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Core.CustomModels.CustomModel>().WithMany().HasForeignKey(s => s.CustomModelId).OnDelete(DeleteBehavior.Cascade);
    }
}
