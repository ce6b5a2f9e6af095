using System.Net;
using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Demo;
using SupplierAssure.Core.Identity;
using SupplierAssure.Core.Questionnaires;
using SupplierAssure.TestSupport;

namespace SupplierAssure.Portal.Tests;

/// <summary>The Tier 1 questionnaire uses every answer type; each gets the input a person expects.</summary>
public sealed class AnswerInputsTests : IDisposable
{
    private const string Email = "security@northgate.example";
    private readonly PortalFactory _portal = new();

    [Fact]
    public async Task Tier1Page_EveryAnswerType_HasItsOwnInputAndMultipleChoiceIsSavedJoined()
    {
        await _portal.CreateUserAsync(Email, Roles.SupplierAdmin, DemoData.NorthgateSupplierId);
        using var session = await PortalSession.SignInAsync(_portal, Email);
        var (response, page) = await session.GetPageAsync($"/Assessments/{DemoData.NorthgateAssessmentId}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        await using var db = _portal.CreateDbContext();
        var templateId = await db.Assessments.Where(a => a.Id == DemoData.NorthgateAssessmentId).Select(a => a.TemplateId).SingleAsync();
        var questions = await db.TemplateQuestions.Where(q => q.TemplateId == templateId).ToListAsync();
        var single = questions.First(q => q.AnswerType == AnswerType.SingleChoice);
        var multiple = questions.First(q => q.AnswerType == AnswerType.MultipleChoice);
        var number = questions.First(q => q.AnswerType == AnswerType.Number);
        var date = questions.First(q => q.AnswerType == AnswerType.Date);

        Assert.Equal(single.Options.Count, page.QuerySelectorAll($"#question-{single.Code} input[type=radio]").Length);
        Assert.Equal(multiple.Options.Count, page.QuerySelectorAll($"#question-{multiple.Code} input[type=checkbox]").Length);
        Assert.NotNull(page.QuerySelector($"#question-{number.Code} input[type=number]"));
        Assert.NotNull(page.QuerySelector($"#question-{date.Code} input[type=date]"));

        // Post two ticked boxes the way the browser does: the same field name twice.
        var token = await session.GetTokenAsync($"/Assessments/{DemoData.NorthgateAssessmentId}");
        var picks = multiple.Options.Take(2).Select(o => o.Value).ToArray();
        using var content = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
            { new StringContent(multiple.Code), "Answers[0].QuestionCode" },
            { new StringContent(picks[0]), "Answers[0].Choices" },
            { new StringContent(picks[1]), "Answers[0].Choices" },
        };
        using var saved = await session.Client.PostAsync(new Uri($"/Assessments/{DemoData.NorthgateAssessmentId}?handler=Save", UriKind.Relative), content);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);

        await using var check = _portal.CreateDbContext();
        var answer = await check.Answers.SingleAsync(a => a.AssessmentId == DemoData.NorthgateAssessmentId && a.QuestionCode == multiple.Code);
        Assert.Equal(picks.ToHashSet(), answer.Value!.Split(',').ToHashSet());
    }

    public void Dispose() => _portal.Dispose();
}
