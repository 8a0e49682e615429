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

internal sealed class ProviderKeyAssignmentConfiguration : IEntityTypeConfiguration<ProviderKeyAssignment>
{
    public void Configure(EntityTypeBuilder<ProviderKeyAssignment> builder)
    {
        builder.HasKey(a => new { a.ProviderKeyId, a.ApiKeyId });
        builder.HasIndex(a => a.ApiKeyId);
        builder.HasOne<ProviderKey>().WithMany().HasForeignKey(a => a.ProviderKeyId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<OrganizationApiKey>().WithMany().HasForeignKey(a => a.ApiKeyId).OnDelete(DeleteBehavior.Restrict);
    }
}
