using WorkflowCore.Models;

namespace SupplierAssure.Workflows.Persistence;

/// <summary>
/// Our own stored shape of a WorkflowCore <see cref="ExecutionPointer"/>. Going through a document of ours (rather
/// than serialising WorkflowCore's class directly) keeps the stored JSON stable when WorkflowCore renames or adds
/// members, and makes every <c>object</c>-typed member pass through the allow-listed value converter.
/// </summary>
internal sealed class PointerDocument
{
    public required string Id { get; init; }
    public int StepId { get; init; }
    public string? StepName { get; init; }
    public PointerStatus Status { get; init; }
    public bool Active { get; init; }
    public DateTime? SleepUntil { get; init; }
    public DateTime? StartTime { get; init; }
    public DateTime? EndTime { get; init; }
    public int RetryCount { get; init; }
    public string? PredecessorId { get; init; }
    public List<string>? Children { get; init; }
    public List<string>? Scope { get; init; }
    public string? EventName { get; init; }
    public string? EventKey { get; init; }
    public bool EventPublished { get; init; }
    public object? EventData { get; init; }
    public object? PersistenceData { get; init; }
    public object? ContextItem { get; init; }
    public object? Outcome { get; init; }
    public Dictionary<string, object?>? ExtensionAttributes { get; init; }

    public static PointerDocument From(ExecutionPointer pointer) => new()
    {
        Id = pointer.Id,
        StepId = pointer.StepId,
        StepName = pointer.StepName,
        Status = pointer.Status,
        Active = pointer.Active,
        SleepUntil = pointer.SleepUntil,
        StartTime = pointer.StartTime,
        EndTime = pointer.EndTime,
        RetryCount = pointer.RetryCount,
        PredecessorId = pointer.PredecessorId,
        Children = pointer.Children is { Count: > 0 } children ? [.. children] : null,
        Scope = pointer.Scope is { Count: > 0 } scope ? [.. scope] : null,
        EventName = pointer.EventName,
        EventKey = pointer.EventKey,
        EventPublished = pointer.EventPublished,
        EventData = pointer.EventData,
        PersistenceData = pointer.PersistenceData,
        ContextItem = pointer.ContextItem,
        Outcome = pointer.Outcome,
        ExtensionAttributes = pointer.ExtensionAttributes is { Count: > 0 } attributes ? new Dictionary<string, object?>(attributes) : null,
    };

    public ExecutionPointer ToPointer() => new()
    {
        Id = Id,
        StepId = StepId,
        StepName = StepName,
        Status = Status,
        Active = Active,
        SleepUntil = SleepUntil,
        StartTime = StartTime,
        EndTime = EndTime,
        RetryCount = RetryCount,
        PredecessorId = PredecessorId,
        // WorkflowCore mutates these collections in place, so each pointer needs its own (never null) instances.
        Children = Children is null ? [] : [.. Children],
        Scope = Scope is null ? new List<string>() : [.. Scope],
        EventName = EventName,
        EventKey = EventKey,
        EventPublished = EventPublished,
        EventData = EventData,
        PersistenceData = PersistenceData,
        ContextItem = ContextItem,
        Outcome = Outcome,
        ExtensionAttributes = ExtensionAttributes is null ? [] : new Dictionary<string, object>(ExtensionAttributes!),
    };
}
