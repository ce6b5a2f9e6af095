using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Deadlines;
using SupplierAssure.Core.Identity;
using SupplierAssure.Core.Notifications;
using SupplierAssure.Core.Policies;

namespace SupplierAssure.Core.Remediation;

/// <summary>Where a case stands after a deadline check, and when the next reminder or escalation is due.</summary>
public sealed record RemediationCheck(RemediationState State, DateTimeOffset? NextMoment, string? Notified);

/// <summary>
/// Sends the reminder or escalation that is due for a case's current stage, with the case's own policy version.
/// The notification and (for an escalation) the case's <see cref="RemediationCase.EscalatedAt"/> are saved together,
/// and the notification's key is unique, so a check that runs twice (a restart mid-step) notifies once.
/// </summary>
public sealed class RemediationDeadlines(SupplierAssureDbContext db, TimeProvider clock)
{
    public async Task<RemediationCheck> CheckAsync(Guid remediationId, string? workflowInstanceId, CancellationToken cancellationToken)
    {
        var remediation = await db.Set<RemediationCase>().SingleOrDefaultAsync(r => r.Id == remediationId, cancellationToken)
            ?? throw new InvalidOperationException($"Remediation {remediationId} does not exist.");
        if (remediation.CurrentDueAt is not { } dueAt)
        {
            return new RemediationCheck(remediation.State, null, null);
        }

        var policy = await new WorkflowPolicyStore(db, clock).GetAsync(remediation.PolicyVersion, cancellationToken);
        var now = clock.GetUtcNow();
        var stage = remediation.State switch
        {
            RemediationState.ActionPlanDue => "action-plan",
            RemediationState.ImplementationDue => "implementation",
            _ => "verification",
        };
        // The due date is part of the key: a new deadline (a rework round) gets reminders of its own.
        var prefix = $"remediation:{remediation.Id:N}:{stage}:{remediation.Round}:{DeadlineNotices.Describe(dueAt)}";
        var plan = DeadlineNotices.Plan(prefix, dueAt, policy, now);
        if (plan.Due is not { } notice || await NotificationOutbox.ExistsAsync(db, notice.Key, cancellationToken))
        {
            return new RemediationCheck(remediation.State, plan.NextMoment, null);
        }

        var finding = await db.Set<Findings.AssessmentFinding>().AsNoTracking()
            .Where(f => f.Id == remediation.FindingId).Select(f => f.Summary).SingleAsync(cancellationToken);
        var supplier = await db.Suppliers.AsNoTracking()
            .Where(s => s.Id == remediation.SupplierId).Select(s => s.LegalName).SingleAsync(cancellationToken);
        var what = remediation.State switch
        {
            RemediationState.ActionPlanDue => "the action plan",
            RemediationState.ImplementationDue => remediation.Round == 0 ? "the corrective action" : "the reworked corrective action",
            _ => "the verification of the corrective action",
        };
        var grade = remediation.Grade == Findings.NonconformityGrade.MajorNonconformity ? "major" : "minor";
        var onSupplier = remediation.State != RemediationState.VerificationDue;
        NotificationDraft draft;
        if (notice.Kind == NotificationKind.Escalation)
        {
            remediation.EscalatedAt = now;
            draft = new NotificationDraft(
                notice.Key, NotificationKind.Escalation,
                $"Overdue: {what} for {supplier}",
                $"{what} for a {grade} nonconformity of {supplier} was due on {DeadlineNotices.Describe(dueAt)} and is late. Finding: {finding}",
                $"/Remediation/{remediation.Id:D}", remediation.SupplierId, null, Roles.ProcurementManager, dueAt, workflowInstanceId);
        }
        else
        {
            draft = new NotificationDraft(
                notice.Key, NotificationKind.Reminder,
                $"Reminder: {what} is due on {DeadlineNotices.Describe(dueAt)}",
                $"{what} for a {grade} nonconformity{(onSupplier ? string.Empty : " of " + supplier)} is due on {DeadlineNotices.Describe(dueAt)}. Finding: {finding}",
                $"/Remediation/{remediation.Id:D}", remediation.SupplierId,
                onSupplier ? remediation.SupplierId : null, onSupplier ? null : Roles.Auditor, dueAt, workflowInstanceId);
        }

        NotificationOutbox.Add(db, draft, now);
        try
        {
            // One SaveChanges is one transaction: the escalation mark and its notification commit together or not at all.
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex is not DbUpdateConcurrencyException)
        {
            // Either an earlier run of this check committed the same occurrence (nothing more to do), or it is a
            // real failure for the engine to retry.
            if (!await KeyStoredAsync(notice.Key, cancellationToken))
            {
                throw;
            }

            return new RemediationCheck(remediation.State, plan.NextMoment, null);
        }

        return new RemediationCheck(remediation.State, plan.NextMoment, notice.Key);
    }

    private async Task<bool> KeyStoredAsync(string key, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        return await NotificationOutbox.ExistsAsync(db, key, cancellationToken);
    }
}
