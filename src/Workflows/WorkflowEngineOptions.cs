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

    /// <summary>
    /// The longest a deadline-watching step sleeps before it looks at its case again, even when its next reminder is
    /// further off. People's changes wake the instance at once; this bounds the delay when that wake was missed.
    /// </summary>
    public TimeSpan DeadlineCheckInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How often open questionnaires and remediation cases without a running workflow get one started.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How often the engine process looks for credentials submitted in the last <see cref="SweepInterval"/> (through
    /// the partner gateway, a process without the workflow runtime) that have no monitoring instance yet, and starts
    /// it: their first verification waits at most this long, not a whole sweep.
    /// </summary>
    public TimeSpan CredentialIntakeInterval { get; set; } = TimeSpan.FromSeconds(2);
}
