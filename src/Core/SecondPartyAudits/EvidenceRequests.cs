using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Common;
using SupplierAssure.Core.Data;

namespace SupplierAssure.Core.SecondPartyAudits;

public sealed record RequestEvidenceRequest(Guid AuditId, AuditActor Actor, string? Category, string? Details, DateOnly? DueOn);

public sealed record AnswerEvidenceRequest(Guid RequestId, AuditActor Actor, string? Response, IReadOnlyList<AuditFile> Files)
{
    /// <summary>
    /// The request's <see cref="EvidenceRequest.Version"/> the supplier's form was read at; when set, an answer to a
    /// request changed since then is refused (the supplier answers what the auditors ask now). Null skips that check;
    /// the row's concurrency token still refuses an answer racing another save.
    /// </summary>
    public long? BaseVersion { get; init; }
}

/// <summary>An assigned auditor rewording an open request or moving its due date; <paramref name="BaseVersion"/> as read by their form.</summary>
public sealed record ChangeEvidenceRequest(Guid RequestId, AuditActor Actor, string? Details, DateOnly? DueOn, long? BaseVersion);

/// <summary>
/// Evidence requests: an assigned auditor asks the supplier for documented information of one category of the
/// evidence request list; the supplier's user answers once with a note and/or files, which the auditors then read on
/// the audit. Requests can be made until the audit is completed; an answered request is kept as answered. An open
/// request can be reworded by an assigned auditor. Both writes are optimistic: each carries the version the user's
/// form was read at, and the row's <see cref="EvidenceRequest.Version"/> is a concurrency token, so two supplier users
/// answering at once, or an answer crossing the auditor's change, end with one saved and the other told why (never a
/// silent overwrite, never files attached to an answer that was not saved).
/// </summary>
public sealed class EvidenceRequestsHandler(SupplierAssureDbContext db, TimeProvider clock)
{
    public const int MaxRequests = 100;

    public async Task<Outcome<EvidenceRequest>> RequestAsync(RequestEvidenceRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var audit = await db.Set<SupplierAudit>().AsNoTracking().SingleOrDefaultAsync(a => a.Id == request.AuditId, cancellationToken);
        if (audit is null || request.Actor.IsSupplierUser)
        {
            return Outcome<EvidenceRequest>.From(Outcome.NotFound());
        }

        if (!await AuditTeamHandler.IsAssignedAsync(db, audit.Id, request.Actor.UserId, cancellationToken))
        {
            return Outcome<EvidenceRequest>.From(Outcome.Conflict("Only auditors assigned to this audit (independence declared) ask the supplier for evidence."));
        }

        if (audit.State == AuditState.Completed)
        {
            return Outcome<EvidenceRequest>.From(Outcome.Conflict("The audit is completed; it takes no more evidence requests."));
        }

        var errors = new Dictionary<string, string[]>();
        var category = EvidenceCategories.Find(request.Category);
        if (category is null)
        {
            errors["Category"] = ["Choose the category of evidence you are asking for."];
        }

        AuditText.Require(errors, "Details", request.Details, EvidenceRequest.MaxDetailsLength, "Say which documents or records you want to see.");
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        if (request.DueOn is { } due && due < today)
        {
            errors["DueOn"] = ["The answer cannot be due in the past."];
        }

        if (errors.Count > 0)
        {
            return Outcome<EvidenceRequest>.From(Outcome.Invalid(errors));
        }

        if (await db.Set<EvidenceRequest>().CountAsync(r => r.AuditId == audit.Id, cancellationToken) >= MaxRequests)
        {
            return Outcome<EvidenceRequest>.From(Outcome.Conflict($"An audit holds at most {MaxRequests} evidence requests."));
        }

        var created = new EvidenceRequest
        {
            Id = Guid.NewGuid(),
            AuditId = audit.Id,
            SupplierId = audit.SupplierId,
            Category = category!.Key,
            Details = request.Details!.Trim(),
            DueOn = request.DueOn,
            RequestedBy = request.Actor.UserId,
            RequestedAt = clock.GetUtcNow(),
        };
        db.Add(created);
        await db.SaveChangesAsync(cancellationToken);
        return Outcome<EvidenceRequest>.Ok(created);
    }

    /// <summary>
    /// The supplier's answer. The files are staged by <see cref="AuditFileStager"/> and saved here with the answer,
    /// in one save; when this refuses, the caller discards them.
    /// </summary>
    public async Task<Outcome<EvidenceRequest>> AnswerAsync(AnswerEvidenceRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var found = await db.Set<EvidenceRequest>().SingleOrDefaultAsync(r => r.Id == request.RequestId, cancellationToken);
        if (found is null || !request.Actor.IsSupplierUser || found.SupplierId != request.Actor.SupplierId)
        {
            return Outcome<EvidenceRequest>.From(Outcome.NotFound());
        }

        if (found.State != EvidenceRequestState.Open)
        {
            return Outcome<EvidenceRequest>.From(Outcome.Conflict(AnsweredAlready(found)));
        }

        if (request.BaseVersion is { } seen && seen != found.Version)
        {
            return Outcome<EvidenceRequest>.From(Outcome.Conflict(
                "The auditors changed this request after you opened it, so your answer was not sent. Read the request again; "
                + "your text is kept in the form: send it again if it still answers (attach the files again)."));
        }

        var errors = new Dictionary<string, string[]>();
        AuditText.Optional(errors, "Response", request.Response, EvidenceRequest.MaxResponseLength);
        if (string.IsNullOrWhiteSpace(request.Response) && request.Files.Count == 0)
        {
            errors["Response"] = ["Attach the files asked for, or say why they cannot be provided."];
        }

        if (errors.Count > 0)
        {
            return Outcome<EvidenceRequest>.From(Outcome.Invalid(errors));
        }

        var now = clock.GetUtcNow();
        found.Response = AuditText.Clean(request.Response);
        found.RespondedBy = request.Actor.UserId;
        found.RespondedAt = now;
        found.State = EvidenceRequestState.Answered;
        foreach (var file in request.Files)
        {
            file.EvidenceRequestId = found.Id;
            file.SupplierId = found.SupplierId;
            db.Add(file);
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // One save: neither the answer nor its files' rows were written; the caller discards the staged bytes.
            db.ChangeTracker.Clear();
            var latest = await db.Set<EvidenceRequest>().AsNoTracking().SingleOrDefaultAsync(r => r.Id == request.RequestId, cancellationToken);
            return Outcome<EvidenceRequest>.From(Outcome.Conflict(latest is { State: EvidenceRequestState.Answered }
                ? AnsweredAlready(latest)
                : "The request changed while your answer was being saved, so it was not sent. Read the request again; your text is kept in the form (attach the files again)."));
        }

        return Outcome<EvidenceRequest>.Ok(found);
    }

    /// <summary>An assigned auditor rewords an open request or moves its due date; refused once the supplier has answered.</summary>
    public async Task<Outcome<EvidenceRequest>> ChangeAsync(ChangeEvidenceRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var found = await db.Set<EvidenceRequest>().SingleOrDefaultAsync(r => r.Id == request.RequestId, cancellationToken);
        if (found is null || request.Actor.IsSupplierUser)
        {
            return Outcome<EvidenceRequest>.From(Outcome.NotFound());
        }

        if (!await AuditTeamHandler.IsAssignedAsync(db, found.AuditId, request.Actor.UserId, cancellationToken))
        {
            return Outcome<EvidenceRequest>.From(Outcome.Conflict("Only auditors assigned to this audit (independence declared) change its evidence requests."));
        }

        if (await db.Set<SupplierAudit>().AnyAsync(a => a.Id == found.AuditId && a.State == AuditState.Completed, cancellationToken))
        {
            return Outcome<EvidenceRequest>.From(Outcome.Conflict("The audit is completed; its evidence requests stay as they are."));
        }

        if (found.State != EvidenceRequestState.Open)
        {
            return Outcome<EvidenceRequest>.From(Outcome.Conflict("The supplier has answered this request, so it can no longer change. Ask for anything more in a new request."));
        }

        if (request.BaseVersion is { } seen && seen != found.Version)
        {
            return Outcome<EvidenceRequest>.From(Outcome.Conflict("Someone else changed this request after you opened it, so your change was not saved. Read it again; your text is kept in the form."));
        }

        var errors = new Dictionary<string, string[]>();
        AuditText.Require(errors, "ChangeDetails", request.Details, EvidenceRequest.MaxDetailsLength, "Say which documents or records you want to see.");
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        if (request.DueOn is { } due && due < today && due != found.DueOn)
        {
            errors["ChangeDueOn"] = ["The answer cannot be due in the past."];
        }

        if (errors.Count > 0)
        {
            return Outcome<EvidenceRequest>.From(Outcome.Invalid(errors));
        }

        found.Details = request.Details!.Trim();
        found.DueOn = request.DueOn;
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            return Outcome<EvidenceRequest>.From(Outcome.Conflict(
                "The supplier answered (or someone changed) this request while your change was being saved, so it was not saved. Read the request again; your text is kept in the form."));
        }

        return Outcome<EvidenceRequest>.Ok(found);
    }

    private static string AnsweredAlready(EvidenceRequest answered) =>
        "This request is answered already"
        + (answered.RespondedAt is { } at ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $" (at {at.UtcDateTime:yyyy-MM-dd HH:mm} UTC)") : string.Empty)
        + ", probably by a colleague while you were writing. Your answer was not sent; your text is kept in the form to compare with the answer shown.";
}
