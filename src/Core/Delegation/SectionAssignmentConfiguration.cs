using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SupplierAssure.Core.Assessments;
using SupplierAssure.Core.Suppliers;

namespace SupplierAssure.Core.Delegation;

internal sealed class SectionAssignmentConfiguration : IEntityTypeConfiguration<SectionAssignment>
{
    public void Configure(EntityTypeBuilder<SectionAssignment> b)
    {
        b.Property(x => x.Section).HasMaxLength(SectionAssignment.SectionMaxLength);
        b.HasOne<Assessment>().WithMany().HasForeignKey(x => x.AssessmentId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Supplier>().WithMany().HasForeignKey(x => x.SupplierId).OnDelete(DeleteBehavior.Restrict);
        // One owner per section; a second assignment of the same section is a reassignment of this row.
        b.HasIndex(x => new { x.AssessmentId, x.Section }).IsUnique();
        // The supplier home's "Assigned to you".
        b.HasIndex(x => x.AssigneeId);
    }
}
