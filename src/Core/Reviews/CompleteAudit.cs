using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Assessments;
using SupplierAssure.Core.Common;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Findings;

namespace SupplierAssure.Core.Reviews;

public sealed record AuditFindingInput(NonconformityGrade Grade, string? Reference, string Summary);

public sealed record CompleteAuditRequest(Guid AssessmentId, Guid AuditorId, string? Summary, IReadOnlyList<AuditFindingInput> Findings);

/// <summary>An audit step completion staged on the context: the assessment (now Under review), its decision and the status line.</summary>
public sealed record AuditStepCompletion(Assessment Assessment, ReviewDecision Decision, string StatusReason);

/// <summary>
/// Records the end of an assessment's second-party audit with the auditor's findings. The assessment goes from
/// Audit to Under review, where a reviewer decides with those findings in view (see <see cref="DecideReviewHandler"/>).
/// Two ways in, same rules: the quick form (<see cref="HandleAsync"/>: a conclusion and graded findings typed in) and
/// the first issued report of a second-party audit planned from the review (<see cref="StageFromAuditReportAsync"/>).
/// Either moves the assessment out of Audit, so the other finds nothing left to complete and the workflow hears once.
/// </summary>
public sealed class CompleteAuditHandler(SupplierAssureDbContext db, IReviewSignals signals, TimeProvider clock)
{
    public const int MaxFindings = 200;

    public async Task<Outcome<ReviewDecision>> HandleAsync(CompleteAuditRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = Validate(request);
        if (errors.Count > 0)
        {
            return Outcome<ReviewDecision>.From(Outcome.Invalid(errors));
        }

        var assessment = await db.Assessments.Include(a => a.Supplier)
            .SingleOrDefaultAsync(a => a.Id == request.AssessmentId, cancellationToken);
        if (assessment is null)
        {
            return Outcome<ReviewDecision>.From(Outcome.NotFound());
        }

        if (assessment.State != AssessmentState.Audit)
        {
            return Outcome<ReviewDecision>.From(Outcome.Conflict($"This assessment is not in audit; it is {assessment.State}."));
        }

        var now = clock.GetUtcNow();
        var raised = request.Findings.Select(finding => new AssessmentFinding
        {
            Id = Guid.NewGuid(),
            SupplierId = assessment.SupplierId,
            AssessmentId = assessment.Id,
            Source = FindingSource.Audit,
            Grade = finding.Grade,
            Reference = string.IsNullOrWhiteSpace(finding.Reference) ? null : finding.Reference.Trim(),
            Summary = finding.Summary.Trim(),
            RaisedAt = now,
            RaisedBy = request.AuditorId,
        }).ToList();
        var majors = request.Findings.Count(f => f.Grade == NonconformityGrade.MajorNonconformity);
        var minors = request.Findings.Count(f => f.Grade == NonconformityGrade.MinorNonconformity);
        var completion = Stage(assessment, request.Summary!.Trim(), request.AuditorId, raised, majors, minors, now);
        return await CommitAsync(completion, cancellationToken);
    }

    /// <summary>
    /// The same completion, recorded by the report of a second-party audit planned from this assessment's review
    /// (<see cref="SecondPartyAudits.SupplierAudit.OriginAssessmentId"/>). Stages it on the caller's context, which
    /// saves it with the report through <see cref="CommitAsync"/>; null when the assessment no longer waits for an
    /// audit (the quick form recorded it, or the review moved on), and then nothing is staged.
    /// The audit's nonconformities were raised against the assessment, each with its remediation case, by the
    /// closing meeting; here they are counted, and its opportunities for improvement are added as findings so the
    /// reviewer sees them as the quick form's. Conformities are not findings of the review.
    /// </summary>
    public async Task<AuditStepCompletion?> StageFromAuditReportAsync(
        SecondPartyAudits.SupplierAudit audit, IReadOnlyList<SecondPartyAudits.AuditFinding> findings, string conclusion, int revision, Guid issuedBy,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(audit);
        ArgumentNullException.ThrowIfNull(findings);
        if (audit.OriginAssessmentId is not { } origin || audit.ReviewDecisionId is not null)
        {
            return null;
        }

        var assessment = await db.Assessments.Include(a => a.Supplier).SingleOrDefaultAsync(a => a.Id == origin, cancellationToken);
        if (assessment is null || assessment.State != AssessmentState.Audit)
        {
            return null;
        }

        var improvements = findings.Where(f => f.Grade == SecondPartyAudits.AuditGrade.OpportunityForImprovement).Select(f => new AssessmentFinding
        {
            Id = Remediation.OpenRemediationsHandler.DerivedId("audit-finding", f.Id),
            SupplierId = assessment.SupplierId,
            AssessmentId = assessment.Id,
            Source = FindingSource.Audit,
            Grade = NonconformityGrade.OpportunityForImprovement,
            Reference = f.Reference,
            Summary = Clip(f.Evidence, AssessmentFinding.MaxSummaryLength),
            RaisedAt = now,
            RaisedBy = f.RecordedBy,
        }).ToList();
        var majors = findings.Count(f => f.Grade == SecondPartyAudits.AuditGrade.MajorNonconformity);
        var minors = findings.Count(f => f.Grade == SecondPartyAudits.AuditGrade.MinorNonconformity);
        var summary = Clip(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Second-party audit report, revision {revision}: {conclusion.Trim()}"), ReviewDecision.MaxTextLength);
        var completion = Stage(assessment, summary, issuedBy, improvements, majors, minors, now);
        audit.ReviewDecisionId = completion.Decision.Id;
        return completion;
    }

    /// <summary>
    /// Saves a staged completion (with whatever else the context tracks) and the supplier's new status in one
    /// transaction, then signals the review workflow, once, after the commit.
    /// </summary>
    public async Task<Outcome<ReviewDecision>> CommitAsync(AuditStepCompletion completion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(completion);
        try
        {
            await ReviewTransaction.SaveWithStatusAsync(
                db, completion.Assessment.Supplier!, completion.Assessment.State, completion.StatusReason, completion.Decision.DecidedAt, cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Outcome<ReviewDecision>.From(Outcome.Conflict("The assessment changed while the audit was being recorded. Reload and try again."));
        }

        await ReviewTransaction.SignalAsync(db, signals, completion.Decision, clock, cancellationToken);
        return Outcome<ReviewDecision>.Ok(completion.Decision);
    }

    private AuditStepCompletion Stage(
        Assessment assessment, string summary, Guid auditorId, IReadOnlyList<AssessmentFinding> findings, int majors, int minors, DateTimeOffset now)
    {
        db.Set<AssessmentFinding>().AddRange(findings);
        var decision = new ReviewDecision
        {
            Id = Guid.NewGuid(),
            SupplierId = assessment.SupplierId,
            AssessmentId = assessment.Id,
            Outcome = ReviewOutcome.AuditCompleted,
            Reason = summary,
            DecidedBy = auditorId,
            DecidedAt = now,
        };
        db.Set<ReviewDecision>().Add(decision);
        assessment.State = AssessmentState.UnderReview;
        return new AuditStepCompletion(assessment, decision, $"Audit completed with {majors} major and {minors} minor nonconformity(ies); waiting for a reviewer.");
    }

    private static string Clip(string value, int length) => value.Length <= length ? value : value[..length];

    private static Dictionary<string, string[]> Validate(CompleteAuditRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.Summary))
        {
            errors["Summary"] = ["Summarise the audit's conclusion."];
        }
        else if (request.Summary.Trim().Length > ReviewDecision.MaxTextLength)
        {
            errors["Summary"] = [$"Keep the summary under {ReviewDecision.MaxTextLength} characters."];
        }

        if (request.Findings is null)
        {
            errors["Findings"] = ["List the audit's findings (an empty list when there are none)."];
            return errors;
        }

        if (request.Findings.Count > MaxFindings)
        {
            errors["Findings"] = [$"At most {MaxFindings} findings can be recorded at once."];
        }

        for (var i = 0; i < request.Findings.Count; i++)
        {
            var finding = request.Findings[i];
            if (!Enum.IsDefined(finding.Grade))
            {
                errors[$"Findings[{i}].Grade"] = ["Grade the finding as a major or minor nonconformity or an opportunity for improvement."];
            }

            if (string.IsNullOrWhiteSpace(finding.Summary))
            {
                errors[$"Findings[{i}].Summary"] = ["Describe the finding."];
            }
            else if (finding.Summary.Trim().Length > AssessmentFinding.MaxSummaryLength)
            {
                errors[$"Findings[{i}].Summary"] = [$"Keep the description under {AssessmentFinding.MaxSummaryLength} characters."];
            }

            if (finding.Reference is { Length: > 32 })
            {
                errors[$"Findings[{i}].Reference"] = ["Keep the reference (clause or question code) under 32 characters."];
            }
        }

        return errors;
    }
}
