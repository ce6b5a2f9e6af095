using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Assessments;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Questionnaires;
using SupplierAssure.Core.Suppliers;

namespace SupplierAssure.Portal.Features.Assessments;

/// <summary>
/// Section progress of a questionnaire, counted with the submission's own rule (<see cref="SubmissionRequirements"/>):
/// a section's total is what submission would demand there now, so a question hidden by its condition is not missing.
/// </summary>
public sealed class AnsweringProgress(SupplierAssureDbContext db)
{
    /// <summary>Progress from rows the caller already holds (the answering page loads them anyway).</summary>
    public async Task<IReadOnlyList<SectionProgress>> OfAsync(Assessment assessment, IReadOnlyList<TemplateQuestion> questions, IEnumerable<Answer> answers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(assessment);
        return Of(assessment, questions, await RolesAsync(assessment.SupplierId, cancellationToken), answers);
    }

    /// <summary>Progress when the caller also holds the supplier's roles (the answering page needs them to lay out its questions).</summary>
    public static IReadOnlyList<SectionProgress> Of(Assessment assessment, IReadOnlyList<TemplateQuestion> questions, SupplyChainRoles roles, IEnumerable<Answer> answers)
    {
        ArgumentNullException.ThrowIfNull(assessment);
        return SectionProgress.Of(questions, assessment.TierAtIssue, SubmissionRequirements.Evaluate(questions, assessment.TierAtIssue, roles, answers));
    }

    /// <summary>The supply-chain roles of the supplier, which decide the questions put to it.</summary>
    public Task<SupplyChainRoles> RolesAsync(Guid supplierId, CancellationToken cancellationToken) =>
        db.Suppliers.AsNoTracking().Where(s => s.Id == supplierId).Select(s => s.Roles).SingleAsync(cancellationToken);

    /// <summary>Progress of an assessment the tenant-scoped context can see; null when it cannot.</summary>
    public async Task<IReadOnlyList<SectionProgress>?> OfAsync(Guid assessmentId, CancellationToken cancellationToken)
    {
        var assessment = await db.Assessments.AsNoTracking().SingleOrDefaultAsync(a => a.Id == assessmentId, cancellationToken);
        if (assessment is null)
        {
            return null;
        }

        var questions = await db.TemplateQuestions.AsNoTracking().Where(q => q.TemplateId == assessment.TemplateId).OrderBy(q => q.Order).ToListAsync(cancellationToken);
        var answers = await db.Answers.AsNoTracking().Where(a => a.AssessmentId == assessmentId).ToListAsync(cancellationToken);
        return await OfAsync(assessment, questions, answers, cancellationToken);
    }

    /// <summary>"3 of 5 required answers", or that the section asks for nothing at the moment.</summary>
    public static string Words(SectionProgress progress)
    {
        ArgumentNullException.ThrowIfNull(progress);
        return progress.Required == 0
            ? "nothing required now"
            : $"{progress.Answered} of {progress.Required} required answered";
    }
}
