using System.Data;
using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Common;
using SupplierAssure.Core.Data;

namespace SupplierAssure.Core.SecondPartyAudits;

public sealed record RescheduleRequest(Guid AuditId, AuditActor Actor, IReadOnlyList<SlotInput> Slots, string? Reason);

/// <summary>A confirmed visit withdrawn for rescheduling: the times it had, why, and the new times proposed.</summary>
public sealed record VisitRescheduled(SupplierAudit Audit, DateTimeOffset CancelledStart, DateTimeOffset CancelledEnd, string Reason, IReadOnlyList<AuditSlot> Proposed);

/// <summary>
/// Rescheduling a confirmed visit: either side (an assigned auditor or a user of the audited supplier) proposes new
/// times with a reason, before the opening meeting. In one writer-locked transaction the confirmation is withdrawn
/// (the accepted slot becomes Cancelled, the visit times are cleared, the audit is back in Scheduling) and the new
/// times are added; they pass the same checks as any proposal (future, length, the supplier's blackout days, the
/// assigned auditors' other confirmed visits). The other side then accepts one as usual, which confirms the visit again.
/// </summary>
public sealed class RescheduleHandler(SupplierAssureDbContext db, SchedulingHandler scheduling, TimeProvider clock)
{
    public const int MaxReasonLength = 400;

    public async Task<Outcome<VisitRescheduled>> RescheduleAsync(RescheduleRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        await using var transaction = await db.Database.BeginTransactionAsync(IsolationLevel.Serializable, cancellationToken);
        var audit = await db.Set<SupplierAudit>().SingleOrDefaultAsync(a => a.Id == request.AuditId, cancellationToken);
        if (audit is null)
        {
            return Fail(Outcome.NotFound());
        }

        if (await scheduling.CheckSideAsync(audit, request.Actor, cancellationToken) is { } refused)
        {
            return Fail(refused);
        }

        if (audit.State != AuditState.Scheduled || audit.VisitStart is not { } oldStart || audit.VisitEnd is not { } oldEnd)
        {
            return Fail(Outcome.Conflict("Only a confirmed visit can be rescheduled, and only before the opening meeting is held."));
        }

        var errors = new Dictionary<string, string[]>();
        var reason = request.Reason?.Trim();
        if (string.IsNullOrEmpty(reason))
        {
            errors["Reason"] = ["Say why the visit has to move, so the other side can plan around it."];
        }
        else if (reason.Length > MaxReasonLength)
        {
            errors["Reason"] = [$"Keep the reason under {MaxReasonLength} characters."];
        }

        var slots = request.Slots.Where(s => s.Start is not null || s.End is not null).ToList();
        if (slots.Count == 0)
        {
            errors["Slots"] = ["Propose at least one new time, with its start and end."];
        }
        else if (slots.Count > SchedulingHandler.MaxSlotsAtOnce)
        {
            errors["Slots"] = [$"Propose at most {SchedulingHandler.MaxSlotsAtOnce} times at once."];
        }

        var now = clock.GetUtcNow();
        for (var i = 0; i < slots.Count && slots.Count <= SchedulingHandler.MaxSlotsAtOnce; i++)
        {
            var problem = SchedulingHandler.Shape(slots[i], now);
            if (problem is null && slots[i].Start == oldStart && slots[i].End == oldEnd)
            {
                problem = "this is the visit already confirmed; propose a different time.";
            }

            problem ??= await scheduling.ClashAsync(audit, slots[i].Start!.Value, slots[i].End!.Value, cancellationToken);
            if (problem is not null)
            {
                errors[$"Slots[{i}]"] = [$"{SchedulingHandler.Describe(slots[i])}: {problem}"];
            }
        }

        if (errors.Count > 0)
        {
            return Fail(Outcome.Invalid(errors));
        }

        await db.Set<AuditSlot>()
            .Where(s => s.AuditId == audit.Id && (s.State == SlotState.Accepted || s.State == SlotState.Proposed))
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.State, SlotState.Cancelled).SetProperty(s => s.DecidedAt, now).SetProperty(s => s.DecidedBy, request.Actor.UserId), cancellationToken);
        var note = "Rescheduling: " + reason;
        var added = slots.Select(s => AuditSlot.Propose(audit, s, request.Actor, now, note)).ToList();
        db.AddRange(added);
        audit.VisitStart = null;
        audit.VisitEnd = null;
        audit.VisitConfirmedAt = null;
        audit.VisitConfirmedBy = null;
        audit.State = AuditState.Scheduling;
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Fail(Outcome.Conflict("The audit changed while you were rescheduling. Reload and try again."));
        }

        return Outcome<VisitRescheduled>.Ok(new VisitRescheduled(audit, oldStart, oldEnd, reason!, added));
    }

    private static Outcome<VisitRescheduled> Fail(Outcome outcome) => Outcome<VisitRescheduled>.From(outcome);
}
