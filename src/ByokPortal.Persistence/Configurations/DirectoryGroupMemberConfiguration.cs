using ByokPortal.Core.Identity;
using ByokPortal.Core.People;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ByokPortal.Persistence.Configurations;

internal sealed class DirectoryGroupMemberConfiguration : IEntityTypeConfiguration<DirectoryGroupMember>
{
    public void Configure(EntityTypeBuilder<DirectoryGroupMember> builder)
    {
        builder.HasKey(m => new { m.GroupId, m.PersonId });
        builder.HasIndex(m => m.PersonId);
        builder.HasOne<DirectoryGroup>().WithMany().HasForeignKey(m => m.GroupId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Person>().WithMany().HasForeignKey(m => m.PersonId).OnDelete(DeleteBehavior.Cascade);
    }
}
