using ByokPortal.Core.People;
using ByokPortal.Core.Sessions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ByokPortal.Persistence.Configurations;

internal sealed class PersonSessionConfiguration : IEntityTypeConfiguration<PersonSession>
{
    public void Configure(EntityTypeBuilder<PersonSession> builder)
    {
        builder.HasKey(s => s.Id);
        builder.HasIndex(s => new { s.PersonId, s.EndedAt });
        builder.Property(s => s.SignInMethod).HasConversion<string>().HasMaxLength(16);
        builder.Property(s => s.EndReason).HasConversion<string>().HasMaxLength(32);
        builder.Property(s => s.ClientAddress).HasMaxLength(PersonSession.ClientAddressMaxLength);
        builder.Ignore(s => s.IsActive);
        builder.HasOne<Person>().WithMany().HasForeignKey(s => s.PersonId).OnDelete(DeleteBehavior.Cascade);
    }
}
