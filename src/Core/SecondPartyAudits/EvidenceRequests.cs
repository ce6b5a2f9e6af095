using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Common;
using SupplierAssure.Core.Data;

namespace SupplierAssure.Core.SecondPartyAudits;

public sealed record RequestEvidenceRequest(Guid AuditId, AuditActor Actor, string? Category, string? Details, DateOnly? DueOn);

public sealed record AnswerEvidenceRequest(Guid RequestId, AuditActor Actor, string? Response, IReadOnlyList<AuditFile> Files);

/// <summary>
/// Evidence requests: an assigned auditor asks the supplier for documented information of one category of the
/// evidence request list; the supplier's user answers once with a note and/or files, which the auditors then read on
/// the audit. Requests can be made until the audit is completed; an answered request is kept as answered.
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
            return Outcome<EvidenceRequest>.From(Outcome.Conflict("This request is answered already."));
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

        await db.SaveChangesAsync(cancellationToken);
        return Outcome<EvidenceRequest>.Ok(found);
    }
}
