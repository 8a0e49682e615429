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

internal sealed class ProviderKeyConfiguration : IEntityTypeConfiguration<ProviderKey>
{
    public void Configure(EntityTypeBuilder<ProviderKey> builder)
    {
        builder.HasKey(k => k.Id);
        builder.Property(k => k.Scope).HasMaxLength(32);
        builder.Property(k => k.Name).HasMaxLength(ProviderKey.NameMaxLength);
        builder.Property(k => k.NormalizedName).HasMaxLength(ProviderKey.NameMaxLength);
        builder.HasIndex(k => new { k.EnterpriseId, k.Scope, k.NormalizedName }).IsUnique();
        builder.HasIndex(k => k.OrganizationId);
        builder.Property(k => k.Provider).HasConversion<string>().HasMaxLength(32);
        builder.Property(k => k.BaseUrl).HasMaxLength(ProviderKey.BaseUrlMaxLength);
        builder.Property(k => k.ApiVersion).HasMaxLength(32);
        builder.Property(k => k.SettingsJson).HasMaxLength(4000);
        builder.Property(k => k.SecretName).HasMaxLength(127);
        builder.Property(k => k.SecretVersion).HasMaxLength(64);
        builder.Property(k => k.MaskedHint).HasMaxLength(ProviderKey.MaskedHintMaxLength);
        builder.Property(k => k.PreviousSecretVersion).HasMaxLength(64);
        builder.Property(k => k.LastTestStatus).HasConversion<string>().HasMaxLength(16);
        builder.Property(k => k.LastTestMessage).HasMaxLength(500);
        builder.Property(k => k.Version).IsConcurrencyToken();
        builder.Ignore(k => k.IsEnterpriseKey);
        builder.Ignore(k => k.SecretReference);
        builder.HasOne<Enterprise>().WithMany().HasForeignKey(k => k.EnterpriseId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Organization>().WithMany().HasForeignKey(k => k.OrganizationId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Person>().WithMany().HasForeignKey(k => k.CreatedById).OnDelete(DeleteBehavior.Restrict);
    }
}
