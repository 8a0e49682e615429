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

internal sealed class ModelAccessGrantConfiguration : IEntityTypeConfiguration<ModelAccessGrant>
{
    public void Configure(EntityTypeBuilder<ModelAccessGrant> builder)
    {
        builder.HasKey(g => new { g.CustomModelId, g.OrganizationId });
        builder.HasIndex(g => g.OrganizationId);
        builder.HasOne<CustomModel>().WithMany().HasForeignKey(g => g.CustomModelId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Organization>().WithMany().HasForeignKey(g => g.OrganizationId).OnDelete(DeleteBehavior.Restrict);
    }
}
