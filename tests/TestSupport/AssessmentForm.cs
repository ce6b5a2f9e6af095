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
        var templateId = await db.Assessments.Where(a => a.Id == assessmentId).Select(a => a.TemplateId).SingleAsync();
        var questions = await db.TemplateQuestions.Where(q => q.TemplateId == templateId).OrderBy(q => q.Order).ToListAsync();
        var form = new AssessmentForm();
        foreach (var q in questions)
        {
            form.Answer(q.Code, q.AnswerType switch { AnswerType.Maturity => "4", AnswerType.Text => "We plan to certify next year.", _ => "yes" });
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
