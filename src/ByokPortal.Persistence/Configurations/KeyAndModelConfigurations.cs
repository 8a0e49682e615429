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
        builder.Property(k => k.MaskedHint).HasMaxLength(16);
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

internal sealed class CustomModelConfiguration : IEntityTypeConfiguration<CustomModel>
{
    public void Configure(EntityTypeBuilder<CustomModel> builder)
    {
        builder.HasKey(m => m.Id);
        builder.Property(m => m.ModelId).HasMaxLength(CustomModel.ModelIdMaxLength);
        builder.HasIndex(m => new { m.ProviderKeyId, m.ModelId }).IsUnique();
        builder.HasIndex(m => new { m.EnterpriseId, m.OrganizationId });
        builder.Property(m => m.AccessMode).HasConversion<string>().HasMaxLength(32);
        builder.Property(m => m.Version).IsConcurrencyToken();
        builder.HasOne<ProviderKey>().WithMany().HasForeignKey(m => m.ProviderKeyId).OnDelete(DeleteBehavior.Cascade);
    }
}

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

internal sealed class OrganizationApiKeyConfiguration : IEntityTypeConfiguration<OrganizationApiKey>
{
    public void Configure(EntityTypeBuilder<OrganizationApiKey> builder)
    {
        builder.HasKey(k => k.Id);
        builder.Property(k => k.Name).HasMaxLength(OrganizationApiKey.NameMaxLength);
        builder.Property(k => k.Prefix).HasMaxLength(32);
        builder.Property(k => k.SecretHash).HasMaxLength(64);
        builder.HasIndex(k => k.SecretHash).IsUnique();
        builder.HasIndex(k => k.OrganizationId);
        builder.Property(k => k.Version).IsConcurrencyToken();
        builder.HasOne<Organization>().WithMany().HasForeignKey(k => k.OrganizationId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Person>().WithMany().HasForeignKey(k => k.CreatedById).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class AuditEventConfiguration : IEntityTypeConfiguration<AuditEvent>
{
    public void Configure(EntityTypeBuilder<AuditEvent> builder)
    {
        // No foreign keys on purpose: the audit log outlives the people and objects it names.
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).ValueGeneratedOnAdd();
        builder.HasIndex(e => new { e.EnterpriseId, e.Id });
        builder.HasIndex(e => new { e.EnterpriseId, e.OccurredAt });
        builder.HasIndex(e => new { e.OrganizationId, e.Id });
        builder.Property(e => e.ActorName).HasMaxLength(AuditEvent.TextMaxLength);
        builder.Property(e => e.ActorType).HasMaxLength(16);
        builder.Property(e => e.Action).HasMaxLength(AuditEvent.ActionMaxLength);
        builder.Property(e => e.TargetType).HasMaxLength(AuditEvent.ActionMaxLength);
        builder.Property(e => e.TargetId).HasMaxLength(AuditEvent.TextMaxLength);
        builder.Property(e => e.TargetName).HasMaxLength(AuditEvent.TextMaxLength);
        builder.Property(e => e.ClientAddress).HasMaxLength(AuditEvent.TextMaxLength);
        builder.Property(e => e.Outcome).HasConversion<string>().HasMaxLength(16);
        builder.Property(e => e.Details).HasMaxLength(4000);
    }
}
