using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace SupplierAssure.Core.Remediation;

internal sealed class RemediationCaseConfiguration : IEntityTypeConfiguration<RemediationCase>
{
    public void Configure(EntityTypeBuilder<RemediationCase> b)
    {
        b.Property(x => x.Grade).HasConversion<string>().HasMaxLength(30);
        b.Property(x => x.State).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.ActionPlan).HasMaxLength(RemediationCase.MaxTextLength);
        b.Property(x => x.ImplementationNote).HasMaxLength(RemediationCase.MaxTextLength);
        b.Property(x => x.VerificationNote).HasMaxLength(RemediationCase.MaxTextLength);
        b.Property(x => x.RootCause).HasMaxLength(RemediationCase.MaxWhys * (RemediationCase.MaxWhyLength + 1));
        b.Property(x => x.Correction).HasMaxLength(RemediationCase.MaxTextLength);
        b.Property(x => x.Owner).HasMaxLength(RemediationCase.MaxOwnerLength);
        b.Property(x => x.WorkflowInstanceId).HasMaxLength(64);
        b.Property(x => x.Version).IsConcurrencyToken();
        b.Ignore(x => x.CurrentDueAt);
        b.HasOne<Findings.AssessmentFinding>().WithMany().HasForeignKey(x => x.FindingId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Assessments.Assessment>().WithMany().HasForeignKey(x => x.AssessmentId).OnDelete(DeleteBehavior.Restrict);
        // One case per finding, whoever opens it first.
        b.HasIndex(x => x.FindingId).IsUnique();
        b.HasIndex(x => new { x.SupplierId, x.State });
        b.HasIndex(x => new { x.AssessmentId, x.State });
        // The dashboard's on-time and time-to-remediate figures read the cases closed in the last year (index only).
        b.HasIndex(x => new { x.State, x.ClosedAt, x.Grade, x.DaysToClose, x.ImplementationDueAt, x.VerificationDueAt });
    }
}
