using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SupplierAssure.Core.Assessments;
using SupplierAssure.Core.Questionnaires;
using SupplierAssure.Core.Remediation;
using SupplierAssure.Core.Suppliers;
using SupplierAssure.Core.Demo;
using SupplierAssure.TestSupport;

namespace SupplierAssure.Browser.Tests;

/// <summary>
/// "After scoring", arranged through the use cases as a supplier and the review workflow would: the required answers
/// given, the questionnaire submitted, the workflow's score awaited, and the nonconformities it graded opened as
/// corrective actions (as after the review decision).
/// </summary>
internal static class ScoredCycle
{
    /// <summary>
    /// A Tier 3 supplier of the test's own, active, with a questionnaire issued <paramref name="issuedDaysAgo"/> days ago on
    /// the demo Tier 3 template and due in <paramref name="dueInDays"/> days.
    /// </summary>
    public static async Task<(Guid SupplierId, Guid AssessmentId)> IssueOwnQuestionnaireAsync(PortalFactory portal, string name, string countryCode, int issuedDaysAgo, int dueInDays)
    {
        var supplierId = Guid.NewGuid();
        var assessmentId = Guid.NewGuid();
        await using var db = portal.CreateDbContext();
        var templateId = await db.Assessments.Where(a => a.Id == DemoData.MeridianAssessmentId).Select(a => a.TemplateId).SingleAsync();
        db.Suppliers.Add(new Supplier { Id = supplierId, LegalName = name, CountryCode = countryCode, Tier = SupplierTier.Tier3Standard, Lifecycle = SupplierLifecycle.Active });
        db.Assessments.Add(new Assessment
        {
            Id = assessmentId, SupplierId = supplierId, TemplateId = templateId, TierAtIssue = SupplierTier.Tier3Standard,
            DueDate = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(dueInDays), IssuedAt = DateTimeOffset.UtcNow.AddDays(-issuedDaysAgo),
        });
        await db.SaveChangesAsync();
        return (supplierId, assessmentId);
    }

    /// <summary>
    /// Answers every required question still unanswered (best choice, maturity 4) except <paramref name="except"/>;
    /// <paramref name="overrides"/> gives the value for some codes.
    /// </summary>
    public static async Task AnswerAllRequiredAsync(PortalFactory portal, Guid assessmentId, Guid userId, IReadOnlyCollection<string> except, IReadOnlyDictionary<string, string>? overrides = null)
    {
        await using var db = portal.CreateDbContext();
        var assessment = await db.Assessments.AsNoTracking().Include(a => a.Answers).SingleAsync(a => a.Id == assessmentId);
        var questions = await db.TemplateQuestions.AsNoTracking().Where(q => q.TemplateId == assessment.TemplateId).OrderBy(q => q.Order).ToListAsync();
        var roles = await db.Suppliers.Where(s => s.Id == assessment.SupplierId).Select(s => s.Roles).SingleAsync();
        var inputs = SubmissionRequirements.Evaluate(questions, assessment.TierAtIssue, roles, assessment.Answers)
            .Where(r => r.Gap == RequirementGap.Unanswered && !except.Contains(r.Question.Code))
            .Select(r => new AnswerInput(r.Question.Code, overrides?.GetValueOrDefault(r.Question.Code) ?? r.Question.AnswerType switch
            {
                AnswerType.YesPartialNo => "yes",
                AnswerType.Maturity => "4",
                _ => r.Question.Options.MaxBy(o => o.Score)!.Value,
            }, null))
            .ToList();
        var saved = await new SaveAnswersHandler(db, TimeProvider.System).HandleAsync(new SaveAnswersRequest(assessmentId, userId, inputs), CancellationToken.None);
        Assert.True(saved.Succeeded, string.Join("; ", saved.Errors.SelectMany(e => e.Value)));
    }

    /// <summary>
    /// All required questions answered, the first <paramref name="keyControlsMissed"/> always-shown yes / partly / no
    /// key controls with "no" (graded nonconformities), submitted, scored by the workflow; the corrective actions opened.
    /// Returns the cases.
    /// </summary>
    public static async Task<IReadOnlyList<RemediationCase>> ScoreWithNonconformitiesAsync(PortalFactory portal, Guid assessmentId, Guid userId, int keyControlsMissed)
    {
        List<string> missed;
        await using (var db = portal.CreateDbContext())
        {
            var assessment = await db.Assessments.AsNoTracking().SingleAsync(a => a.Id == assessmentId);
            missed = [.. (await db.TemplateQuestions.AsNoTracking()
                    .Where(q => q.TemplateId == assessment.TemplateId && q.Critical && q.AnswerType == AnswerType.YesPartialNo)
                    .OrderBy(q => q.Order).ToListAsync())
                .Where(q => q.AppliesTo(assessment.TierAtIssue) && q.ShowWhenQuestion == null && q.ShowWhenSupplierRoles == default)
                .Take(keyControlsMissed)
                .Select(q => q.Code)];
        }

        Assert.Equal(keyControlsMissed, missed.Count);
        await AnswerAllRequiredAsync(portal, assessmentId, userId, except: [], overrides: missed.ToDictionary(c => c, _ => "no"));
        await using (var db = portal.CreateDbContext())
        {
            var submit = new SubmitAssessmentHandler(db, portal.Services.GetRequiredService<IAssessmentReviewStarter>(), TimeProvider.System);
            var submitted = await submit.HandleAsync(new SubmitAssessmentRequest(assessmentId, userId), CancellationToken.None);
            Assert.True(submitted.Succeeded, string.Join("; ", submitted.Errors.SelectMany(e => e.Value)));
        }

        await portal.WaitForAssessmentAsync(assessmentId, a => a.ScoreResultJson != null);
        await using (var db = portal.CreateDbContext())
        {
            await new OpenRemediationsHandler(db, TimeProvider.System).HandleAsync(assessmentId, CancellationToken.None);
            return await db.Set<RemediationCase>().AsNoTracking().Where(r => r.AssessmentId == assessmentId).OrderBy(r => r.Id).ToListAsync();
        }
    }
}
