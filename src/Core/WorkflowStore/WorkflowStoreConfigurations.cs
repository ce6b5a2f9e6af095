using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace SupplierAssure.Core.WorkflowStore;

internal sealed class PersistedWorkflowConfiguration : IEntityTypeConfiguration<PersistedWorkflow>
{
    public void Configure(EntityTypeBuilder<PersistedWorkflow> b)
    {
        b.ToTable("WorkflowInstances");
        b.Property(x => x.WorkflowDefinitionId).HasMaxLength(200);
        b.Property(x => x.Description).HasMaxLength(500);
        b.Property(x => x.Reference).HasMaxLength(200);
        b.Property(x => x.RowVersion).IsConcurrencyToken();
        // The runnable-instance query: status = runnable and next execution due.
        b.HasIndex(x => new { x.Status, x.NextExecution });
        b.HasIndex(x => x.Reference);
    }
}

internal sealed class PersistedEventConfiguration : IEntityTypeConfiguration<PersistedEvent>
{
    public void Configure(EntityTypeBuilder<PersistedEvent> b)
    {
        b.ToTable("WorkflowEvents");
        b.Property(x => x.EventName).HasMaxLength(200);
        b.Property(x => x.EventKey).HasMaxLength(200);
        b.HasIndex(x => new { x.IsProcessed, x.EventTime });
        b.HasIndex(x => new { x.EventName, x.EventKey, x.EventTime });
    }
}

internal sealed class PersistedSubscriptionConfiguration : IEntityTypeConfiguration<PersistedSubscription>
{
    public void Configure(EntityTypeBuilder<PersistedSubscription> b)
    {
        b.ToTable("WorkflowSubscriptions");
        b.Property(x => x.ExecutionPointerId).HasMaxLength(64);
        b.Property(x => x.EventName).HasMaxLength(200);
        b.Property(x => x.EventKey).HasMaxLength(200);
        b.Property(x => x.ExternalToken).HasMaxLength(200);
        b.Property(x => x.ExternalWorkerId).HasMaxLength(200);
        b.HasIndex(x => new { x.EventName, x.EventKey, x.SubscribeAsOf });
    }
}

internal sealed class PersistedExecutionErrorConfiguration : IEntityTypeConfiguration<PersistedExecutionError>
{
    public void Configure(EntityTypeBuilder<PersistedExecutionError> b)
    {
        b.ToTable("WorkflowExecutionErrors");
        b.Property(x => x.ExecutionPointerId).HasMaxLength(64);
        b.Property(x => x.Message).HasMaxLength(4000);
        b.HasIndex(x => x.WorkflowId);
    }
}

internal sealed class PersistedScheduledCommandConfiguration : IEntityTypeConfiguration<PersistedScheduledCommand>
{
    public void Configure(EntityTypeBuilder<PersistedScheduledCommand> b)
    {
        b.ToTable("WorkflowScheduledCommands");
        b.Property(x => x.CommandName).HasMaxLength(200);
        b.Property(x => x.Data).HasMaxLength(500);
        b.HasIndex(x => new { x.CommandName, x.Data }).IsUnique();
        b.HasIndex(x => x.ExecuteTime);
    }
}

internal sealed class PersistedLockConfiguration : IEntityTypeConfiguration<PersistedLock>
{
    public void Configure(EntityTypeBuilder<PersistedLock> b)
    {
        b.ToTable("WorkflowLocks");
        b.HasKey(x => x.Name);
        b.Property(x => x.Name).HasMaxLength(200);
        b.Property(x => x.Owner).HasMaxLength(200);
        b.HasIndex(x => x.Owner);
    }
}
