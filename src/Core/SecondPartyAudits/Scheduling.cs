using System.Data;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Common;
using SupplierAssure.Core.Data;

namespace SupplierAssure.Core.SecondPartyAudits;

/// <summary>A proposed time, in UTC.</summary>
public sealed record SlotInput(DateTimeOffset? Start, DateTimeOffset? End);

public sealed record ProposeSlotsRequest(Guid AuditId, AuditActor Actor, IReadOnlyList<SlotInput> Slots, string? Note);

public sealed record AcceptSlotRequest(Guid AuditId, AuditActor Actor, Guid SlotId);

public sealed record AddBlackoutRequest(Guid SupplierId, Guid UserId, DateOnly? From, DateOnly? To, string? Reason);

/// <summary>
/// The scheduling handshake: the assigned auditors propose visit slots, the supplier accepts one or proposes its
/// own, and the auditors accept one of those. Every proposal and every acceptance is checked against the supplier's
/// blackout days and the assigned auditors' other confirmed visits; a clash is refused with its reason. The
/// acceptance re-checks inside a writer-locking transaction, so two audits cannot both book one auditor.
/// </summary>
public sealed class SchedulingHandler(SupplierAssureDbContext db, TimeProvider clock)
{
    public const int MaxSlotsAtOnce = 5;
    public static readonly TimeSpan MaxVisitLength = TimeSpan.FromDays(5);
    public static readonly TimeSpan MinVisitLength = TimeSpan.FromMinutes(30);

    public async Task<Outcome<IReadOnlyList<AuditSlot>>> ProposeAsync(ProposeSlotsRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var audit = await db.Set<SupplierAudit>().SingleOrDefaultAsync(a => a.Id == request.AuditId, cancellationToken);
        if (audit is null)
        {
            return Fail(Outcome.NotFound());
        }

        if (await CheckSideAsync(audit, request.Actor, cancellationToken) is { } refused)
        {
            return Fail(refused);
        }

        if (!audit.IsSchedulable)
        {
            return Fail(Outcome.Conflict("The visit is already confirmed; slots can no longer be proposed."));
        }

        if (request.Actor.IsSupplierUser && audit.State != AuditState.Scheduling)
        {
            return Fail(Outcome.Conflict("The auditors have not proposed any time yet; you can answer once they have."));
        }

        var slots = request.Slots.Where(s => s.Start is not null || s.End is not null).ToList();
        if (slots.Count == 0)
        {
            return Fail(Outcome.Invalid("Slots", "Propose at least one time, with its start and end."));
        }

        if (slots.Count > MaxSlotsAtOnce)
        {
            return Fail(Outcome.Invalid("Slots", $"Propose at most {MaxSlotsAtOnce} times at once."));
        }

        var note = request.Note?.Trim();
        if (note is { Length: > SupplierAudit.MaxShortTextLength })
        {
            return Fail(Outcome.Invalid("Note", $"Keep the note under {SupplierAudit.MaxShortTextLength} characters."));
        }

        var now = clock.GetUtcNow();
        var errors = new Dictionary<string, string[]>();
        for (var i = 0; i < slots.Count; i++)
        {
            var problem = Shape(slots[i], now) ?? await ClashAsync(audit, slots[i].Start!.Value, slots[i].End!.Value, cancellationToken);
            if (problem is not null)
            {
                errors[$"Slots[{i}]"] = [$"{Describe(slots[i])}: {problem}"];
            }
        }

        if (errors.Count > 0)
        {
            return Fail(Outcome.Invalid(errors));
        }

        var added = slots.Select(s => AuditSlot.Propose(audit, s, request.Actor, now, note)).ToList();
        db.AddRange(added);
        audit.State = AuditState.Scheduling;
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Fail(Outcome.Conflict("The audit changed while you were proposing. Reload and try again."));
        }

        return Outcome<IReadOnlyList<AuditSlot>>.Ok(added);
    }

    public async Task<Outcome<SupplierAudit>> AcceptAsync(AcceptSlotRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        // The writer lock first (BEGIN IMMEDIATE on SQLite, serializable on SQL Server), so the clash check below
        // and the booking commit as one: another acceptance for the same auditor waits and then sees this visit.
        await using var transaction = await db.Database.BeginTransactionAsync(IsolationLevel.Serializable, cancellationToken);
        var audit = await db.Set<SupplierAudit>().SingleOrDefaultAsync(a => a.Id == request.AuditId, cancellationToken);
        if (audit is null)
        {
            return Outcome<SupplierAudit>.From(Outcome.NotFound());
        }

        var slot = await db.Set<AuditSlot>().SingleOrDefaultAsync(s => s.Id == request.SlotId && s.AuditId == audit.Id, cancellationToken);
        if (slot is null)
        {
            return Outcome<SupplierAudit>.From(Outcome.NotFound());
        }

        if (await CheckSideAsync(audit, request.Actor, cancellationToken) is { } refused)
        {
            return Outcome<SupplierAudit>.From(refused);
        }

        if (!audit.IsSchedulable || slot.State != SlotState.Proposed)
        {
            return Outcome<SupplierAudit>.From(Outcome.Conflict("This time is no longer open for acceptance."));
        }

        if (slot.ProposedBySupplier == request.Actor.IsSupplierUser)
        {
            return Outcome<SupplierAudit>.From(Outcome.Conflict("The other side accepts a proposed time; you proposed this one."));
        }

        var now = clock.GetUtcNow();
        if (slot.Start <= now)
        {
            return Outcome<SupplierAudit>.From(Outcome.Invalid("SlotId", "This time has passed; propose another."));
        }

        if (await ClashAsync(audit, slot.Start, slot.End, cancellationToken) is { } clash)
        {
            return Outcome<SupplierAudit>.From(Outcome.Invalid("SlotId", $"{Describe(slot.Start, slot.End)} cannot be accepted: {clash}"));
        }

        slot.State = SlotState.Accepted;
        slot.DecidedAt = now;
        slot.DecidedBy = request.Actor.UserId;
        await db.Set<AuditSlot>()
            .Where(s => s.AuditId == audit.Id && s.State == SlotState.Proposed && s.Id != slot.Id)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.State, SlotState.Superseded).SetProperty(s => s.DecidedAt, now), cancellationToken);
        audit.VisitStart = slot.Start;
        audit.VisitEnd = slot.End;
        audit.VisitConfirmedAt = now;
        audit.VisitConfirmedBy = request.Actor.UserId;
        audit.State = AuditState.Scheduled;
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Outcome<SupplierAudit>.From(Outcome.Conflict("The audit changed while you were accepting. Reload and try again."));
        }

        return Outcome<SupplierAudit>.Ok(audit);
    }

    public async Task<Outcome<SupplierBlackout>> AddBlackoutAsync(AddBlackoutRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new Dictionary<string, string[]>();
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        if (request.From is not { } from)
        {
            errors["From"] = ["Give the first day you cannot host an audit."];
        }
        else if (from < today)
        {
            errors["From"] = ["The first day cannot be in the past."];
        }

        if (request.To is not { } to)
        {
            errors["To"] = ["Give the last day you cannot host an audit."];
        }
        else if (request.From is { } start && (to < start || to.DayNumber - start.DayNumber > 366))
        {
            errors["To"] = ["The last day must be on or after the first, and within a year of it."];
        }

        AuditText.Require(errors, "Reason", request.Reason, SupplierAudit.MaxShortTextLength, "Say why (for example a plant shutdown or peak season).");
        if (errors.Count > 0)
        {
            return Outcome<SupplierBlackout>.From(Outcome.Invalid(errors));
        }

        var blackout = new SupplierBlackout
        {
            Id = Guid.NewGuid(),
            SupplierId = request.SupplierId,
            From = request.From!.Value,
            To = request.To!.Value,
            Reason = request.Reason!.Trim(),
            CreatedBy = request.UserId,
            CreatedAt = clock.GetUtcNow(),
        };
        db.Add(blackout);
        await db.SaveChangesAsync(cancellationToken);
        return Outcome<SupplierBlackout>.Ok(blackout);
    }

    public async Task<Outcome> RemoveBlackoutAsync(Guid blackoutId, CancellationToken cancellationToken)
    {
        var removed = await db.Set<SupplierBlackout>().Where(b => b.Id == blackoutId).ExecuteDeleteAsync(cancellationToken);
        return removed == 0 ? Outcome.NotFound() : Outcome.Ok();
    }

    /// <summary>
    /// Why [<paramref name="start"/>, <paramref name="end"/>) cannot be the visit of <paramref name="audit"/>, or
    /// null: a blackout day of the supplier, or another confirmed visit of one of the assigned auditors.
    /// </summary>
    public async Task<string?> ClashAsync(SupplierAudit audit, DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(audit);
        var firstDay = DateOnly.FromDateTime(start.UtcDateTime);
        var lastDay = DateOnly.FromDateTime(end.UtcDateTime.AddTicks(-1));
        var blackout = await db.Set<SupplierBlackout>().AsNoTracking()
            .Where(b => b.SupplierId == audit.SupplierId && b.From <= lastDay && b.To >= firstDay)
            .OrderBy(b => b.From)
            .FirstOrDefaultAsync(cancellationToken);
        if (blackout is not null)
        {
            return string.Create(CultureInfo.InvariantCulture,
                $"the supplier cannot host an audit from {blackout.From:yyyy-MM-dd} to {blackout.To:yyyy-MM-dd} ({blackout.Reason}).");
        }

        var assigned = await db.Set<AuditTeamMember>().AsNoTracking()
            .Where(m => m.AuditId == audit.Id && m.Declaration == IndependenceDeclaration.Independent)
            .Select(m => m.UserId)
            .ToListAsync(cancellationToken);

        // Note: the auditors' other visits belong to other suppliers, which a supplier user's context cannot see, so
        // this one query ignores the tenant filter. It reads only times and the auditor's name, never which
        // supplier the other visit is for, so nothing about another organisation reaches the page.
        var busy = await (from other in db.Set<SupplierAudit>().IgnoreQueryFilters()
                          join member in db.Set<AuditTeamMember>().IgnoreQueryFilters() on other.Id equals member.AuditId
                          join user in db.Users on member.UserId equals user.Id
                          where other.Id != audit.Id && other.VisitStart != null && other.VisitEnd != null
                                && member.Declaration == IndependenceDeclaration.Independent && assigned.Contains(member.UserId)
                                && other.VisitStart < end && other.VisitEnd > start
                          orderby other.VisitStart
                          select new { user.DisplayName, other.VisitStart, other.VisitEnd })
            .FirstOrDefaultAsync(cancellationToken);
        return busy is null
            ? null
            : $"{busy.DisplayName} already has a confirmed audit visit {Describe(busy.VisitStart!.Value, busy.VisitEnd!.Value)}.";
    }

    public static string Describe(DateTimeOffset start, DateTimeOffset end)
    {
        var s = start.UtcDateTime;
        var e = end.UtcDateTime;
        return s.Date == e.Date
            ? string.Create(CultureInfo.InvariantCulture, $"on {s:yyyy-MM-dd} from {s:HH:mm} to {e:HH:mm} UTC")
            : string.Create(CultureInfo.InvariantCulture, $"from {s:yyyy-MM-dd HH:mm} to {e:yyyy-MM-dd HH:mm} UTC");
    }

    internal static string Describe(SlotInput slot) => slot.Start is { } s && slot.End is { } e
        ? Describe(s, e)
        : "This time";

    internal static string? Shape(SlotInput slot, DateTimeOffset now)
    {
        if (slot.Start is not { } start || slot.End is not { } end)
        {
            return "give both the start and the end.";
        }

        if (start <= now)
        {
            return "the start must be in the future.";
        }

        if (end - start < MinVisitLength)
        {
            return "the end must be at least 30 minutes after the start.";
        }

        return end - start > MaxVisitLength ? "a visit lasts at most five days; propose separate visits for longer." : null;
    }

    /// <summary>The auditors' side is an assigned team member; the supplier's side is a user of the audited supplier.</summary>
    internal async Task<Outcome?> CheckSideAsync(SupplierAudit audit, AuditActor actor, CancellationToken cancellationToken)
    {
        if (actor.IsSupplierUser)
        {
            return actor.SupplierId == audit.SupplierId ? null : Outcome.NotFound();
        }

        return await AuditTeamHandler.IsAssignedAsync(db, audit.Id, actor.UserId, cancellationToken)
            ? null
            : Outcome.Conflict("Only auditors assigned to this audit (independence declared) agree its visit.");
    }

    private static Outcome<IReadOnlyList<AuditSlot>> Fail(Outcome outcome) => Outcome<IReadOnlyList<AuditSlot>>.From(outcome);
}
