using ByokPortal.Core.People;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ByokPortal.Persistence.Configurations;

internal sealed class PersonConfiguration : IEntityTypeConfiguration<Person>
{
    public void Configure(EntityTypeBuilder<Person> builder)
    {
        builder.HasKey(p => p.Id);
        builder.Property(p => p.Email).HasMaxLength(Person.EmailMaxLength);
        builder.HasIndex(p => p.Email).IsUnique();
        builder.Property(p => p.DisplayName).HasMaxLength(Person.DisplayNameMaxLength);
        builder.Property(p => p.ExternalObjectId).HasMaxLength(64);
        builder.HasIndex(p => p.ExternalObjectId).IsUnique();
        builder.Property(p => p.ScimExternalId).HasMaxLength(Person.ExternalIdMaxLength);
    }
}
