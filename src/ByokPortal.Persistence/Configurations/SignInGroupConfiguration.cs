using ByokPortal.Core.Identity;
using ByokPortal.Core.People;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ByokPortal.Persistence.Configurations;

internal sealed class SignInGroupConfiguration : IEntityTypeConfiguration<SignInGroup>
{
    public void Configure(EntityTypeBuilder<SignInGroup> builder)
    {
        builder.HasKey(g => new { g.PersonId, g.GroupId });
        builder.Property(g => g.GroupId).HasMaxLength(GroupMapping.GroupIdMaxLength);
        builder.HasIndex(g => g.GroupId);
        builder.HasOne<Person>().WithMany().HasForeignKey(g => g.PersonId).OnDelete(DeleteBehavior.Cascade);
    }
}
