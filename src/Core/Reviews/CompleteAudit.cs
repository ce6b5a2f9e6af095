using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Assessments;
using SupplierAssure.Core.Common;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Findings;

namespace SupplierAssure.Core.Reviews;

public sealed record AuditFindingInput(NonconformityGrade Grade, string? Reference, string Summary);

public sealed record CompleteAuditRequest(Guid AssessmentId, Guid AuditorId, string? Summary, IReadOnlyList<AuditFindingInput> Findings);

/// <summary>
/// Records the end of an assessment's second-party audit with the auditor's findings. The assessment goes from
/// Audit to Under review, where a reviewer decides with those findings in view (see <see cref="DecideReviewHandler"/>).
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
        foreach (var finding in request.Findings)
        {
            db.Set<AssessmentFinding>().Add(new AssessmentFinding
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
            });
        }

        var decision = new ReviewDecision
        {
            Id = Guid.NewGuid(),
            SupplierId = assessment.SupplierId,
            AssessmentId = assessment.Id,
            Outcome = ReviewOutcome.AuditCompleted,
            Reason = request.Summary!.Trim(),
            DecidedBy = request.AuditorId,
            DecidedAt = now,
        };
        db.Set<ReviewDecision>().Add(decision);
        assessment.State = AssessmentState.UnderReview;
        var majors = request.Findings.Count(f => f.Grade == NonconformityGrade.MajorNonconformity);
        var minors = request.Findings.Count(f => f.Grade == NonconformityGrade.MinorNonconformity);
        try
        {
            await ReviewTransaction.SaveWithStatusAsync(
                db, assessment.Supplier!, assessment.State, $"Audit completed with {majors} major and {minors} minor nonconformity(ies); waiting for a reviewer.", now, cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Outcome<ReviewDecision>.From(Outcome.Conflict("The assessment changed while the audit was being recorded. Reload and try again."));
        }

        await ReviewTransaction.SignalAsync(db, signals, decision, clock, cancellationToken);
        return Outcome<ReviewDecision>.Ok(decision);
    }

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
