namespace SupplierAssure.Workflows;

/// <summary>How this process takes part in running workflows. Bound from the "Workflows" configuration section.</summary>
public sealed class WorkflowEngineOptions
{
    public const string SectionName = "Workflows";

    /// <summary>
    /// Run the workflow engine in this process (the default). When false the engine is not started here: starting a
    /// workflow still persists the instance, and a dedicated worker process with this switch on runs it.
    /// </summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often the engine looks in the database for due workflows, events and commands.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>How long a failed step waits before it is retried.</summary>
    public TimeSpan StepRetryInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a workflow lock held in the database lasts without renewal (renewed every third of it). It bounds
    /// how long a crashed process keeps others from an instance it was running.
    /// </summary>
    public TimeSpan LockLease { get; set; } = TimeSpan.FromSeconds(30);
}
