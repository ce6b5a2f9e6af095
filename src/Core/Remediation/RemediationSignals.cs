namespace SupplierAssure.Core.Remediation;

/// <summary>
/// Tells a case's workflow that people moved it on, so it re-reads the case now instead of at its next timer.
/// Implemented by the workflow engine. Called after the change commits; missing the call only delays the workflow
/// until its next timer, it never loses the change.
/// </summary>
public interface IRemediationSignals
{
    Task CaseChangedAsync(RemediationCase remediation, CancellationToken cancellationToken);
}
