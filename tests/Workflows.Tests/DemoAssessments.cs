using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Assessments;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Demo;
using SupplierAssure.Core.Questionnaires;

namespace SupplierAssure.Workflows.Tests;

/// <summary>The demo data, with a demo assessment fully answered and submitted the way SubmitAssessment leaves it.</summary>
internal static class DemoAssessments
{
    public static async Task SeedAsync(SqliteTestDatabase database)
    {
        await using var db = database.CreateContext();
        await DemoDataSeeder.SeedAsync(db, TimeProvider.System, CancellationToken.None);
    }

    /// <summary>
    /// Answers every scored question that applies to the assessment's tier with full marks ("yes", or maturity 5), with
    /// an evidence file row on each, and marks the assessment Submitted, without starting a workflow.
    /// </summary>
    public static async Task AnswerAndSubmitAsync(SqliteTestDatabase database, Guid assessmentId)
    {
        await using var db = database.CreateContext();
        var assessment = await db.Assessments.SingleAsync(a => a.Id == assessmentId);
        await AnswerAndSubmitAsync(db, assessment);
        await db.SaveChangesAsync();
    }

    /// <summary>Adds full-marks answers to a tracked (or new) assessment and marks it Submitted; the caller saves.</summary>
    public static async Task AnswerAndSubmitAsync(SupplierAssureDbContext db, Assessment assessment)
    {
        var questions = await db.TemplateQuestions.AsNoTracking().Where(q => q.TemplateId == assessment.TemplateId).ToListAsync();
        var now = DateTimeOffset.UtcNow;
        foreach (var question in questions.Where(q => q.AppliesTo(assessment.TierAtIssue) && q.AnswerType != AnswerType.Text))
        {
            db.Answers.Add(new Answer
            {
                Id = Guid.NewGuid(),
                AssessmentId = assessment.Id,
                SupplierId = assessment.SupplierId,
                QuestionCode = question.Code,
                Value = FullMarks(question),
                UpdatedAt = now,
            });
            // Tiers 1 and 2 expect evidence: a file row on every answer keeps full marks free of findings, so only
            // what a test adds (an audit's findings, a lowered answer) opens remediation.
            db.EvidenceFiles.Add(new EvidenceFile
            {
                Id = Guid.NewGuid(),
                SupplierId = assessment.SupplierId,
                AssessmentId = assessment.Id,
                QuestionCode = question.Code,
                FileName = "evidence.pdf",
                ContentType = "application/pdf",
                Length = 16,
                Sha256 = new string('0', 64),
                StorageKey = $"test/{Guid.NewGuid():N}",
                UploadedAt = now,
            });
        }

        assessment.State = AssessmentState.Submitted;
        assessment.SubmittedAt = now;
    }

    /// <summary>The answer that scores full marks in the question's own form.</summary>
    private static string FullMarks(TemplateQuestion question) => question.AnswerType switch
    {
        AnswerType.Maturity => "5",
        AnswerType.SingleChoice => question.Options.MaxBy(o => o.Score)!.Value,
        AnswerType.MultipleChoice => string.Join(',', question.Options.Where(o => o.Score > 0).Select(o => o.Value)),
        AnswerType.Number => "1",
        AnswerType.Date => "2026-01-01",
        _ => AnswerRules.Yes,
    };
}
