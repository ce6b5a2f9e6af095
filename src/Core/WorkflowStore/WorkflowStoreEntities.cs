namespace SupplierAssure.Core.WorkflowStore;

// Rows behind our WorkflowCore persistence provider (src/Workflows). They live in the one DbContext so that
// one migration set per provider covers the whole database. Payloads are System.Text.Json text; the CLR type
// to read them back into comes from the registered workflow definition, never from a stored type name.

public sealed class PersistedWorkflow
{
    public Guid Id { get; set; }
    public required string WorkflowDefinitionId { get; set; }
    public int DefinitionVersion { get; set; }
    public string? Description { get; set; }
    public string? Reference { get; set; }
    public int Status { get; set; }
    /// <summary>UTC ticks of the next time a step is due (WorkflowCore's convention), null when nothing is runnable.</summary>
    public long? NextExecution { get; set; }
    public DateTime CreateTime { get; set; }
    public DateTime? CompleteTime { get; set; }
    public string? DataJson { get; set; }
    public required string ExecutionPointersJson { get; set; }
    /// <summary>Optimistic concurrency token, bumped on every write.</summary>
    public long RowVersion { get; set; }
}

public sealed class PersistedEvent
{
    public Guid Id { get; set; }
    public required string EventName { get; set; }
    public required string EventKey { get; set; }
    public string? EventDataJson { get; set; }
    public DateTime EventTime { get; set; }
    public bool IsProcessed { get; set; }
}

public sealed class PersistedSubscription
{
    public Guid Id { get; set; }
    public Guid WorkflowId { get; set; }
    public int StepId { get; set; }
    public required string ExecutionPointerId { get; set; }
    public required string EventName { get; set; }
    public required string EventKey { get; set; }
    public DateTime SubscribeAsOf { get; set; }
    public string? SubscriptionDataJson { get; set; }
    public string? ExternalToken { get; set; }
    public string? ExternalWorkerId { get; set; }
    public DateTime? ExternalTokenExpiry { get; set; }
}

public sealed class PersistedExecutionError
{
    public long Id { get; set; }
    public Guid WorkflowId { get; set; }
    public required string ExecutionPointerId { get; set; }
    public DateTime ErrorTime { get; set; }
    public required string Message { get; set; }
}

public sealed class PersistedScheduledCommand
{
    public long Id { get; set; }
    public required string CommandName { get; set; }
    public required string Data { get; set; }
    public long ExecuteTime { get; set; }
}

/// <summary>
/// A named lease held by one engine process (WorkflowCore's distributed lock), so that several processes on one
/// database never run the same workflow instance or event at the same time.
/// </summary>
public sealed class PersistedLock
{
    public required string Name { get; set; }
    /// <summary>The process-unique id of the holder.</summary>
    public required string Owner { get; set; }
    /// <summary>UTC ticks after which the lease is void and another process may take it (a crashed holder stops renewing).</summary>
    public long ExpiresAt { get; set; }
}
