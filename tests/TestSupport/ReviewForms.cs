using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Questionnaires;

namespace SupplierAssure.TestSupport;

/// <summary>Answer sets that send a submission to a person's review.</summary>
public static class ReviewForms
{
    /// <summary>
    /// Key controls answered fully, everything else half-way (partly / maturity 2 / the weakest option that still
    /// scores): no nonconformity is raised, and a Tier 3 score stays under the automatic-approval threshold.
    /// </summary>
    public static async Task<AssessmentForm> MiddlingAsync(PortalFactory portal, Guid assessmentId)
    {
        var form = new AssessmentForm();
        foreach (var (code, value) in await MiddlingAnswersAsync(portal, assessmentId))
        {
            form.Answer(code, value);
        }

        return form;
    }

    /// <summary>The answers of <see cref="MiddlingAsync"/> as question code and value.</summary>
    public static async Task<IReadOnlyList<(string Code, string Value)>> MiddlingAnswersAsync(PortalFactory portal, Guid assessmentId)
    {
        ArgumentNullException.ThrowIfNull(portal);
        await using var db = portal.CreateDbContext();
        var assessment = await db.Assessments.Where(a => a.Id == assessmentId).Select(a => new { a.TemplateId, a.TierAtIssue }).SingleAsync();
        var questions = await db.TemplateQuestions.Where(q => q.TemplateId == assessment.TemplateId).OrderBy(q => q.Order).ToListAsync();
        var answers = new List<(string Code, string Value)>();
        foreach (var q in questions.Where(q => q.AppliesTo(assessment.TierAtIssue)))
        {
            answers.Add((q.Code, (q.AnswerType, q.Critical) switch
            {
                (AnswerType.Maturity, true) => "5",
                (AnswerType.Maturity, false) => "2",
                (AnswerType.Text, _) => "Described in our security manual.",
                (AnswerType.SingleChoice, true) => q.Options.MaxBy(o => o.Score)!.Value,
                (AnswerType.SingleChoice, false) => q.Options.Where(o => o.Score > 0).MinBy(o => o.Score)?.Value ?? q.Options.MaxBy(o => o.Score)!.Value,
                (AnswerType.MultipleChoice, true) => string.Join(',', q.Options.Where(o => o.Score > 0).Select(o => o.Value)),
                (AnswerType.MultipleChoice, false) => q.Options.Where(o => o.Score > 0).MinBy(o => o.Score)?.Value ?? q.Options.MaxBy(o => o.Score)!.Value,
                (AnswerType.Number, _) => "1",
                (AnswerType.Date, _) => "2026-01-31",
                (_, true) => "yes",
                _ => "partial",
            }));
        }

        return answers;
    }

    /// <summary>The first yes / partly / no question of the assessment that is not a key control and always shown.</summary>
    public static async Task<string> PlainQuestionAsync(PortalFactory portal, Guid assessmentId)
    {
        ArgumentNullException.ThrowIfNull(portal);
        await using var db = portal.CreateDbContext();
        var assessment = await db.Assessments.Where(a => a.Id == assessmentId).Select(a => new { a.TemplateId, a.TierAtIssue }).SingleAsync();
        var questions = await db.TemplateQuestions.Where(q => q.TemplateId == assessment.TemplateId && q.AnswerType == AnswerType.YesPartialNo && !q.Critical)
            .OrderBy(q => q.Order).ToListAsync();
        return questions.First(q => q.AppliesTo(assessment.TierAtIssue) && q.ShowWhenQuestion == null && q.ShowWhenSupplierRoles == default).Code;
    }
}
