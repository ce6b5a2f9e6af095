namespace SupplierAssure.Workflows.Persistence;

/// <summary>
/// A workflow instance was changed by someone else between our read and our write (its row version moved on).
/// The write is refused rather than silently overwriting the other change.
/// </summary>
public sealed class WorkflowConcurrencyException : Exception
{
    public WorkflowConcurrencyException()
    {
    }

    public WorkflowConcurrencyException(string message)
        : base(message)
    {
    }

    public WorkflowConcurrencyException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
