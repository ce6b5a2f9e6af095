using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace SupplierAssure.Core.Policies;

internal sealed class WorkflowPolicyVersionConfiguration : IEntityTypeConfiguration<WorkflowPolicyVersion>
{
    public void Configure(EntityTypeBuilder<WorkflowPolicyVersion> b)
    {
        b.Property(x => x.Json).HasMaxLength(8000);
        b.HasIndex(x => x.Version).IsUnique();
    }
}
