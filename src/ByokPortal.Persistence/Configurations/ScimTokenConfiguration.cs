using ByokPortal.Core.Enterprises;
using ByokPortal.Core.Identity;
using ByokPortal.Core.People;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ByokPortal.Persistence.Configurations;

internal sealed class ScimTokenConfiguration : IEntityTypeConfiguration<ScimToken>
{
    public void Configure(EntityTypeBuilder<ScimToken> builder)
    {
        builder.HasKey(t => t.Id);
        builder.Property(t => t.Name).HasMaxLength(ScimToken.NameMaxLength);
        builder.Property(t => t.Prefix).HasMaxLength(32);
        builder.Property(t => t.SecretHash).HasMaxLength(64);
        builder.HasIndex(t => t.SecretHash).IsUnique();
        builder.HasIndex(t => t.EnterpriseId);
        builder.HasOne<Enterprise>().WithMany().HasForeignKey(t => t.EnterpriseId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Person>().WithMany().HasForeignKey(t => t.CreatedById).OnDelete(DeleteBehavior.Restrict);
    }
}
