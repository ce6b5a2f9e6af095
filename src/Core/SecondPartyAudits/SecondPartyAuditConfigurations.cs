using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace SupplierAssure.Core.SecondPartyAudits;

internal sealed class SupplierAuditConfiguration : IEntityTypeConfiguration<SupplierAudit>
{
    public void Configure(EntityTypeBuilder<SupplierAudit> b)
    {
        b.ToTable("SupplierAudits");
        b.Property(x => x.Type).HasConversion<string>().HasMaxLength(30);
        b.Property(x => x.State).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.Objectives).HasMaxLength(SupplierAudit.MaxTextLength);
        b.Property(x => x.ScopeSites).HasMaxLength(SupplierAudit.MaxShortTextLength);
        b.Property(x => x.ScopeProcesses).HasMaxLength(SupplierAudit.MaxShortTextLength);
        b.Property(x => x.ScopeModes).HasMaxLength(SupplierAudit.MaxShortTextLength);
        b.Property(x => x.CriteriaClauses).HasMaxLength(40);
        b.Property(x => x.OwnRequirements).HasMaxLength(SupplierAudit.MaxTextLength);
        b.Property(x => x.Version).IsConcurrencyToken();
        b.Ignore(x => x.IsSchedulable);
        b.HasOne<Suppliers.Supplier>().WithMany().HasForeignKey(x => x.SupplierId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Assessments.Assessment>().WithMany().HasForeignKey(x => x.AssessmentId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Assessments.Assessment>().WithMany().HasForeignKey(x => x.OriginAssessmentId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Reviews.ReviewDecision>().WithMany().HasForeignKey(x => x.ReviewDecisionId).OnDelete(DeleteBehavior.Restrict);
        // One audit per review's audit route: two auditors planning from the same review at once cannot both succeed.
        b.HasIndex(x => x.OriginAssessmentId).IsUnique();
        b.HasIndex(x => x.ReviewDecisionId);
        b.HasIndex(x => new { x.SupplierId, x.State });
        // The clash check and the calendar read confirmed visits by time.
        b.HasIndex(x => x.VisitStart);
    }
}

internal sealed class AuditTeamMemberConfiguration : IEntityTypeConfiguration<AuditTeamMember>
{
    public void Configure(EntityTypeBuilder<AuditTeamMember> b)
    {
        b.Property(x => x.Declaration).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.DeclarationNote).HasMaxLength(SupplierAudit.MaxShortTextLength);
        b.Ignore(x => x.IsAssigned);
        b.HasOne<SupplierAudit>().WithMany().HasForeignKey(x => x.AuditId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(x => new { x.AuditId, x.UserId }).IsUnique();
        b.HasIndex(x => new { x.UserId, x.Declaration });
        b.HasIndex(x => x.SupplierId);
    }
}

internal sealed class AuditSlotConfiguration : IEntityTypeConfiguration<AuditSlot>
{
    public void Configure(EntityTypeBuilder<AuditSlot> b)
    {
        b.Property(x => x.State).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.Note).HasMaxLength(SupplierAudit.MaxShortTextLength);
        b.HasOne<SupplierAudit>().WithMany().HasForeignKey(x => x.AuditId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(x => new { x.AuditId, x.State });
        b.HasIndex(x => x.SupplierId);
    }
}

internal sealed class SupplierBlackoutConfiguration : IEntityTypeConfiguration<SupplierBlackout>
{
    public void Configure(EntityTypeBuilder<SupplierBlackout> b)
    {
        b.Property(x => x.Reason).HasMaxLength(SupplierAudit.MaxShortTextLength);
        b.HasOne<Suppliers.Supplier>().WithMany().HasForeignKey(x => x.SupplierId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(x => new { x.SupplierId, x.From });
    }
}

internal sealed class AuditStepConfiguration : IEntityTypeConfiguration<AuditStep>
{
    public void Configure(EntityTypeBuilder<AuditStep> b)
    {
        b.Property(x => x.Records).HasMaxLength(AuditFinding.MaxEvidenceLength);
        b.Property(x => x.Version).IsConcurrencyToken();
        b.HasOne<SupplierAudit>().WithMany().HasForeignKey(x => x.AuditId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(x => new { x.AuditId, x.Number }).IsUnique();
        b.HasIndex(x => x.SupplierId);
    }
}

internal sealed class AuditFindingConfiguration : IEntityTypeConfiguration<AuditFinding>
{
    public void Configure(EntityTypeBuilder<AuditFinding> b)
    {
        b.Property(x => x.Reference).HasMaxLength(32);
        b.Property(x => x.Grade).HasConversion<string>().HasMaxLength(30);
        b.Property(x => x.Evidence).HasMaxLength(AuditFinding.MaxEvidenceLength);
        b.Property(x => x.Site).HasMaxLength(200);
        b.Property(x => x.Version).IsConcurrencyToken();
        b.Ignore(x => x.IsNonconformity);
        b.HasOne<SupplierAudit>().WithMany().HasForeignKey(x => x.AuditId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Findings.AssessmentFinding>().WithMany().HasForeignKey(x => x.AssessmentFindingId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(x => new { x.AuditId, x.Grade });
        b.HasIndex(x => x.SupplierId);
    }
}

internal sealed class EvidenceRequestConfiguration : IEntityTypeConfiguration<EvidenceRequest>
{
    public void Configure(EntityTypeBuilder<EvidenceRequest> b)
    {
        b.Property(x => x.Category).HasMaxLength(20);
        b.Property(x => x.Details).HasMaxLength(EvidenceRequest.MaxDetailsLength);
        b.Property(x => x.State).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.Response).HasMaxLength(EvidenceRequest.MaxResponseLength);
        b.Property(x => x.Version).IsConcurrencyToken();
        b.HasOne<SupplierAudit>().WithMany().HasForeignKey(x => x.AuditId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(x => new { x.AuditId, x.State });
        b.HasIndex(x => x.SupplierId);
    }
}

internal sealed class AuditFileConfiguration : IEntityTypeConfiguration<AuditFile>
{
    public void Configure(EntityTypeBuilder<AuditFile> b)
    {
        b.Property(x => x.FileName).HasMaxLength(255);
        b.Property(x => x.ContentType).HasMaxLength(120);
        b.Property(x => x.Sha256).HasMaxLength(64).IsFixedLength();
        b.Property(x => x.StorageKey).HasMaxLength(64);
        b.HasOne<EvidenceRequest>().WithMany().HasForeignKey(x => x.EvidenceRequestId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Remediation.RemediationCase>().WithMany().HasForeignKey(x => x.RemediationId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(x => x.StorageKey).IsUnique();
        b.HasIndex(x => x.EvidenceRequestId);
        b.HasIndex(x => x.RemediationId);
        b.HasIndex(x => x.SupplierId);
    }
}
