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
