using System.Globalization;
using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Common;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Findings;
using SupplierAssure.Core.Policies;
using SupplierAssure.Core.Remediation;

namespace SupplierAssure.Core.SecondPartyAudits;

public sealed record SaveStepRequest(Guid AuditId, AuditActor Actor, int Number, string? Records, bool Complete);

public sealed record RecordFindingRequest(Guid AuditId, AuditActor Actor, string? Reference, AuditGrade? Grade, string? Evidence, string? Site);

/// <summary>What saving a step did; <see cref="OpenedRemediations"/> lists the cases the closing meeting opened.</summary>
public sealed record StepSaved(AuditStep Step, IReadOnlyList<Guid> OpenedRemediations);

/// <summary>
/// Runs the audit: the ten steps in order, each with its records, and the graded findings. Only assigned auditors
/// work on it. Completing the closing meeting (step 8) releases every finding to the supplier and, for each major or
/// minor nonconformity, raises an assessment finding with its remediation case (the same corrective-action process
/// as every other nonconformity), all in one save. Step 10 waits until those cases are closed.
/// </summary>
public sealed class RunAuditHandler(SupplierAssureDbContext db, TimeProvider clock)
{
    public const int MaxFindings = 200;

    public async Task<Outcome<StepSaved>> SaveStepAsync(SaveStepRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var audit = await db.Set<SupplierAudit>().SingleOrDefaultAsync(a => a.Id == request.AuditId, cancellationToken);
        if (audit is null || request.Actor.IsSupplierUser)
        {
            return Outcome<StepSaved>.From(Outcome.NotFound());
        }

        if (!await AuditTeamHandler.IsAssignedAsync(db, audit.Id, request.Actor.UserId, cancellationToken))
        {
            return Outcome<StepSaved>.From(Outcome.Conflict("Only auditors assigned to this audit (independence declared) record its steps."));
        }

        if (request.Number is < 1 or > AuditSteps.Count)
        {
            return Outcome<StepSaved>.From(Outcome.NotFound());
        }

        var steps = await db.Set<AuditStep>().Where(s => s.AuditId == audit.Id).OrderBy(s => s.Number).ToListAsync(cancellationToken);
        var step = steps.Single(s => s.Number == request.Number);
        if (step.CompletedAt is not null)
        {
            return Outcome<StepSaved>.From(Outcome.Conflict($"Step {step.Number} is complete; its records are kept as they are."));
        }

        var records = request.Records?.Trim();
        if (records is { Length: > AuditFinding.MaxEvidenceLength })
        {
            return Outcome<StepSaved>.From(Outcome.Invalid("Records", $"Keep the records under {AuditFinding.MaxEvidenceLength} characters."));
        }

        step.Records = string.IsNullOrEmpty(records) ? null : records;
        var opened = new List<Guid>();
        if (request.Complete)
        {
            if (Completion(audit, steps, step) is { } refused)
            {
                return Outcome<StepSaved>.From(refused);
            }

            var now = clock.GetUtcNow();
            step.CompletedAt = now;
            step.CompletedBy = request.Actor.UserId;
            switch (step.Number)
            {
                case AuditSteps.OpeningMeeting:
                    audit.State = AuditState.InProgress;
                    break;
                case AuditSteps.ClosingMeeting:
                    var release = await ReleaseFindingsAsync(audit, now, cancellationToken);
                    if (!release.Succeeded)
                    {
                        return Outcome<StepSaved>.From(release);
                    }

                    opened.AddRange(release.Value!);
                    break;
                case AuditSteps.Report:
                    if (!await db.Set<AuditReport>().AnyAsync(r => r.AuditId == audit.Id, cancellationToken))
                    {
                        return Outcome<StepSaved>.From(Outcome.Conflict("Issue the report (the Report page) before completing this step."));
                    }

                    break;
                case AuditSteps.Count:
                    if (await OpenCasesAsync(audit.Id, cancellationToken) is > 0 and var open)
                    {
                        return Outcome<StepSaved>.From(Outcome.Conflict(
                            $"{open} corrective action(s) raised by this audit are not verified and closed yet; verification can be completed once they are."));
                    }

                    audit.State = AuditState.Completed;
                    break;
            }
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Outcome<StepSaved>.From(Outcome.Conflict("The audit changed while you were saving. Reload and try again."));
        }

        return Outcome<StepSaved>.Ok(new StepSaved(step, opened));
    }

    public async Task<Outcome<AuditFinding>> RecordFindingAsync(RecordFindingRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var audit = await db.Set<SupplierAudit>().AsNoTracking().SingleOrDefaultAsync(a => a.Id == request.AuditId, cancellationToken);
        if (audit is null || request.Actor.IsSupplierUser)
        {
            return Outcome<AuditFinding>.From(Outcome.NotFound());
        }

        if (!await AuditTeamHandler.IsAssignedAsync(db, audit.Id, request.Actor.UserId, cancellationToken))
        {
            return Outcome<AuditFinding>.From(Outcome.Conflict("Only auditors assigned to this audit (independence declared) record its findings."));
        }

        if (audit.FindingsReleasedAt is not null)
        {
            return Outcome<AuditFinding>.From(Outcome.Conflict("The closing meeting has released the findings; they can no longer change."));
        }

        var errors = new Dictionary<string, string[]>();
        if (!AuditCriteria.IsValidReference(request.Reference) || request.Reference!.Trim().Length > 32)
        {
            errors["Reference"] = ["Give an ISO 28000 clause from 4 to 10 (such as 8.1) or a control domain (" + string.Join(", ", AuditCriteria.Domains) + ")."];
        }

        if (request.Grade is not { } grade || !Enum.IsDefined(grade))
        {
            errors["Grade"] = ["Grade the finding: conformity, minor or major nonconformity, or opportunity for improvement."];
        }

        AuditText.Require(errors, "Evidence", request.Evidence, AuditFinding.MaxEvidenceLength, "Record the objective evidence: what was seen, read or sampled.");
        AuditText.Optional(errors, "Site", request.Site, 200);
        if (errors.Count > 0)
        {
            return Outcome<AuditFinding>.From(Outcome.Invalid(errors));
        }

        if (await db.Set<AuditFinding>().CountAsync(f => f.AuditId == audit.Id, cancellationToken) >= MaxFindings)
        {
            return Outcome<AuditFinding>.From(Outcome.Conflict($"An audit holds at most {MaxFindings} findings."));
        }

        var reference = request.Reference!.Trim();
        var finding = new AuditFinding
        {
            Id = Guid.NewGuid(),
            AuditId = audit.Id,
            SupplierId = audit.SupplierId,
            Reference = AuditCriteria.Domains.FirstOrDefault(d => string.Equals(d, reference, StringComparison.OrdinalIgnoreCase)) ?? reference,
            Grade = request.Grade!.Value,
            Evidence = request.Evidence!.Trim(),
            Site = AuditText.Clean(request.Site),
            RecordedAt = clock.GetUtcNow(),
            RecordedBy = request.Actor.UserId,
        };
        db.Add(finding);
        await db.SaveChangesAsync(cancellationToken);
        return Outcome<AuditFinding>.Ok(finding);
    }

    private static Outcome? Completion(SupplierAudit audit, List<AuditStep> steps, AuditStep step)
    {
        var earlier = steps.FirstOrDefault(s => s.Number < step.Number && s.CompletedAt is null);
        if (earlier is not null)
        {
            return Outcome.Conflict($"Complete step {earlier.Number} ({AuditSteps.Get(earlier.Number).Title}) first; the steps are done in order.");
        }

        if (step.Records is null)
        {
            return Outcome.Invalid("Records", "Record what was done in this step before completing it.");
        }

        // A document review has no visit; every other audit meets the supplier from the opening meeting on.
        if (step.Number >= AuditSteps.OpeningMeeting && audit.Type != AuditType.DocumentReview && audit.VisitStart is null)
        {
            return Outcome.Conflict("The visit is not confirmed yet; agree a time with the supplier before the opening meeting.");
        }

        return null;
    }

    private async Task<Outcome<IReadOnlyList<Guid>>> ReleaseFindingsAsync(SupplierAudit audit, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var findings = await db.Set<AuditFinding>().Where(f => f.AuditId == audit.Id).OrderBy(f => f.RecordedAt).ToListAsync(cancellationToken);
        var nonconformities = findings.Where(f => f.IsNonconformity).ToList();
        if (nonconformities.Count > 0 && audit.AssessmentId is null)
        {
            return Outcome<IReadOnlyList<Guid>>.From(Outcome.Conflict(
                "This supplier had no assessment when the audit was created, so its nonconformities have nothing to be corrected under. Issue a questionnaire first."));
        }

        var policy = nonconformities.Count > 0 ? await new WorkflowPolicyStore(db, clock).CurrentAsync(cancellationToken) : null;
        var opened = new List<Guid>();
        foreach (var finding in findings)
        {
            finding.ReleasedAt = now;
            if (!finding.IsNonconformity)
            {
                continue;
            }

            var raised = new AssessmentFinding
            {
                Id = OpenRemediationsHandler.DerivedId("audit-finding", finding.Id),
                SupplierId = audit.SupplierId,
                AssessmentId = audit.AssessmentId!.Value,
                Source = FindingSource.Audit,
                Grade = finding.Grade == AuditGrade.MajorNonconformity ? NonconformityGrade.MajorNonconformity : NonconformityGrade.MinorNonconformity,
                Reference = finding.Reference,
                Summary = Clip(string.Create(CultureInfo.InvariantCulture,
                    $"Audit {audit.VisitStart?.UtcDateTime ?? now.UtcDateTime:yyyy-MM-dd}, {finding.Reference}{(finding.Site is null ? string.Empty : ", " + finding.Site)}: {finding.Evidence}"),
                    AssessmentFinding.MaxSummaryLength),
                RaisedAt = now,
                RaisedBy = finding.RecordedBy,
            };
            db.Add(raised);
            var remediation = RemediationCase.OpenFor(raised, policy!, OpenRemediationsHandler.DerivedId("remediation", raised.Id), now);
            db.Add(remediation);
            finding.AssessmentFindingId = raised.Id;
            opened.Add(remediation.Id);
        }

        audit.FindingsReleasedAt = now;
        audit.State = AuditState.FindingsReleased;
        return Outcome<IReadOnlyList<Guid>>.Ok(opened);
    }

    private Task<int> OpenCasesAsync(Guid auditId, CancellationToken cancellationToken) =>
        (from finding in db.Set<AuditFinding>()
         join remediation in db.Set<RemediationCase>() on finding.AssessmentFindingId equals remediation.FindingId
         where finding.AuditId == auditId && remediation.State != RemediationState.Closed
         select remediation.Id).CountAsync(cancellationToken);

    private static string Clip(string value, int length) => value.Length <= length ? value : value[..length];
}
