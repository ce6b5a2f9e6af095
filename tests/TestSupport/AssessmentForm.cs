using System.Net.Http.Headers;
using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Questionnaires;

namespace SupplierAssure.TestSupport;

/// <summary>Builds the multipart body the questionnaire page posts: answers, evidence files and the token.</summary>
public sealed class AssessmentForm
{
    private readonly List<(string Code, string? Value, string? Reason)> _answers = [];
    private readonly List<(string Code, string FileName, byte[] Content)> _files = [];

    public AssessmentForm Answer(string code, string? value, string? reason = null)
    {
        _answers.Add((code, value, reason));
        return this;
    }

    public AssessmentForm Attach(string code, string fileName, byte[] content)
    {
        _files.Add((code, fileName, content));
        return this;
    }

    /// <summary>Answers every question of the demo template well (yes / maturity 4 / a sentence).</summary>
    public static async Task<AssessmentForm> AllGoodAsync(PortalFactory portal, Guid assessmentId)
    {
        await using var db = portal.CreateDbContext();
        var assessment = await db.Assessments.Where(a => a.Id == assessmentId).Select(a => new { a.TemplateId, a.TierAtIssue }).SingleAsync();
        var questions = await db.TemplateQuestions.Where(q => q.TemplateId == assessment.TemplateId).OrderBy(q => q.Order).ToListAsync();
        var form = new AssessmentForm();
        // Only the questions the supplier's tier is asked; the bank holds deeper ones for Tier 1 and 2.
        foreach (var q in questions.Where(q => q.AppliesTo(assessment.TierAtIssue)))
        {
            form.Answer(q.Code, q.AnswerType switch
            {
                AnswerType.Maturity => "4",
                AnswerType.Text => "We plan to certify next year.",
                AnswerType.SingleChoice => q.Options.MaxBy(o => o.Score)!.Value,
                AnswerType.MultipleChoice => string.Join(',', q.Options.Where(o => o.Score > 0).Select(o => o.Value)),
                AnswerType.Number => "1",
                AnswerType.Date => "2026-01-31",
                _ => "yes",
            });
        }

        return form;
    }

    public async Task<HttpResponseMessage> PostAsync(PortalSession session, Guid assessmentId, string handler)
    {
        ArgumentNullException.ThrowIfNull(session);
        var path = $"/Assessments/{assessmentId}";
        var token = await session.GetTokenAsync(path);
        using var content = new MultipartFormDataContent { { new StringContent(token), "__RequestVerificationToken" } };
        for (var i = 0; i < _answers.Count; i++)
        {
            content.Add(new StringContent(_answers[i].Code), $"Answers[{i}].QuestionCode");
            if (_answers[i].Value is not null)
            {
                content.Add(new StringContent(_answers[i].Value!), $"Answers[{i}].Value");
            }

            if (_answers[i].Reason is not null)
            {
                content.Add(new StringContent(_answers[i].Reason!), $"Answers[{i}].NotApplicableReason");
            }
        }

        foreach (var (code, fileName, bytes) in _files)
        {
            var file = new ByteArrayContent(bytes);
            file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            content.Add(file, "evidence-" + code, fileName);
        }

        return await session.Client.PostAsync(new Uri($"{path}?handler={handler}", UriKind.Relative), content);
    }
}
