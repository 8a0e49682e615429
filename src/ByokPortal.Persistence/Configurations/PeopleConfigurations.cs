using ByokPortal.Core.Enterprises;
using ByokPortal.Core.Organizations;
using ByokPortal.Core.People;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ByokPortal.Persistence.Configurations;

internal sealed class EnterpriseConfiguration : IEntityTypeConfiguration<Enterprise>
{
    public void Configure(EntityTypeBuilder<Enterprise> builder)
    {
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Slug).HasMaxLength(Core.Common.Slug.MaxLength);
        builder.HasIndex(e => e.Slug).IsUnique();
        builder.Property(e => e.Name).HasMaxLength(Enterprise.NameMaxLength);
        builder.Property(e => e.Version).IsConcurrencyToken();
    }
}

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

internal sealed class EnterpriseMembershipConfiguration : IEntityTypeConfiguration<EnterpriseMembership>
{
    public void Configure(EntityTypeBuilder<EnterpriseMembership> builder)
    {
        builder.HasKey(m => new { m.EnterpriseId, m.PersonId });
        builder.HasIndex(m => m.PersonId);
        builder.Property(m => m.Role).HasConversion<string>().HasMaxLength(16);
        builder.Property(m => m.HandRole).HasConversion<string>().HasMaxLength(16);
        builder.Property(m => m.GroupRole).HasConversion<string>().HasMaxLength(16);
        builder.HasOne<Enterprise>().WithMany().HasForeignKey(m => m.EnterpriseId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Person>().WithMany().HasForeignKey(m => m.PersonId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class OrganizationMembershipConfiguration : IEntityTypeConfiguration<OrganizationMembership>
{
    public void Configure(EntityTypeBuilder<OrganizationMembership> builder)
    {
        builder.HasKey(m => new { m.OrganizationId, m.PersonId });
        builder.HasIndex(m => m.PersonId);
        builder.Property(m => m.Role).HasConversion<string>().HasMaxLength(16);
        builder.Property(m => m.HandRole).HasConversion<string>().HasMaxLength(16);
        builder.Property(m => m.GroupRole).HasConversion<string>().HasMaxLength(16);
        builder.HasOne<Organization>().WithMany().HasForeignKey(m => m.OrganizationId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Person>().WithMany().HasForeignKey(m => m.PersonId).OnDelete(DeleteBehavior.Cascade);
    }
}
