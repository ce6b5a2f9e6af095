using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SupplierAssure.Core.Assessments;
using SupplierAssure.Core.Common;
using SupplierAssure.Core.Deadlines;
using SupplierAssure.Core.Demo;
using SupplierAssure.TestSupport;

namespace SupplierAssure.Portal.Tests;

/// <summary>One Portal for the autosave, conflict and carry-over tests; each test uses its own questions or its own assessment.</summary>
public sealed class AnswerAutosaveFixture : IAsyncLifetime
{
    public PortalFactory Portal { get; } = new();

    public Guid ColleagueId { get; private set; }

    public async Task InitializeAsync() => ColleagueId = await Colleagues.EnsureAsync(Portal, DemoData.MeridianSupplierId);

    public async Task DisposeAsync() => await Portal.DisposeAsync();
}

public sealed class AnswerAutosaveTests(AnswerAutosaveFixture fixture) : IClassFixture<AnswerAutosaveFixture>
{
    private static readonly string MeridianPath = $"/Assessments/{DemoData.MeridianAssessmentId}";

    [Fact]
    public async Task Autosave_StaleBaseVersion_RefusesThatQuestionShowsColleaguesAnswerAndSavesTheRest()
    {
        using var sam = await PortalSession.SignInAsync(fixture.Portal, DemoData.SupplierUserEmail);
        using var ana = await PortalSession.SignInAsync(fixture.Portal, Colleagues.MeridianColleagueEmail);

        // Both loaded the page before anybody answered LEAD-01 (base version 0); Sam saves first.
        var first = await AutosaveAsync(sam, ("LEAD-01", "yes", null, 0));
        Assert.Equal("saved", first.GetProperty("status").GetString());
        var samVersion = first.GetProperty("saved")[0].GetProperty("version").GetInt64();
        Assert.True(samVersion > 0);

        var second = await AutosaveAsync(ana, ("LEAD-01", "no", null, 0), ("CTX-01", "partial", null, 0));
        Assert.Equal("attention", second.GetProperty("status").GetString());
        var conflict = Assert.Single(second.GetProperty("conflicts").EnumerateArray());
        Assert.Equal("LEAD-01", conflict.GetProperty("code").GetString());
        Assert.Equal("yes", conflict.GetProperty("value").GetString());
        Assert.Equal("Yes", conflict.GetProperty("text").GetString());
        Assert.Equal(samVersion, conflict.GetProperty("version").GetInt64());
        Assert.Equal("Sam Okafor (Meridian Freight)", conflict.GetProperty("by").GetString());
        Assert.EndsWith("UTC", conflict.GetProperty("at").GetString(), StringComparison.Ordinal);
        Assert.Equal("CTX-01", Assert.Single(second.GetProperty("saved").EnumerateArray()).GetProperty("code").GetString());

        await using (var db = fixture.Portal.CreateDbContext())
        {
            var lead = await db.Answers.AsNoTracking().SingleAsync(a => a.AssessmentId == DemoData.MeridianAssessmentId && a.QuestionCode == "LEAD-01");
            Assert.Equal("yes", lead.Value); // Sam's answer stands
            Assert.Equal(samVersion, lead.Version);
            Assert.Equal("partial", (await db.Answers.AsNoTracking().SingleAsync(a => a.AssessmentId == DemoData.MeridianAssessmentId && a.QuestionCode == "CTX-01")).Value);
        }

        // Ana keeps hers knowingly: the same change based on Sam's version goes through.
        var kept = await AutosaveAsync(ana, ("LEAD-01", "no", null, samVersion));
        Assert.Equal("saved", kept.GetProperty("status").GetString());
        var anaVersion = kept.GetProperty("saved")[0].GetProperty("version").GetInt64();
        Assert.True(anaVersion > samVersion);

        // Sam's stale base with the value already stored is no conflict (nothing would be overwritten).
        var same = await AutosaveAsync(sam, ("LEAD-01", "no", null, samVersion));
        Assert.Equal("saved", same.GetProperty("status").GetString());
        Assert.Equal(anaVersion, same.GetProperty("saved")[0].GetProperty("version").GetInt64());

        await using var check = fixture.Portal.CreateDbContext();
        var final = await check.Answers.AsNoTracking().SingleAsync(a => a.AssessmentId == DemoData.MeridianAssessmentId && a.QuestionCode == "LEAD-01");
        Assert.Equal(("no", fixture.ColleagueId, anaVersion), (final.Value, final.UpdatedBy, final.Version));
    }

    [Fact]
    public async Task Autosave_OneInvalidAnswer_SavesTheOthersAndNamesTheInvalidOne()
    {
        using var sam = await PortalSession.SignInAsync(fixture.Portal, DemoData.SupplierUserEmail);
        var result = await AutosaveAsync(sam, ("OPS-01", "na", null, 0), ("IMP-02", "Reviewed quarterly by the security lead.", null, 0));
        Assert.Equal("attention", result.GetProperty("status").GetString());
        Assert.Contains("does not apply", result.GetProperty("errors").GetProperty("OPS-01")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal("IMP-02", Assert.Single(result.GetProperty("saved").EnumerateArray()).GetProperty("code").GetString());
        await using var db = fixture.Portal.CreateDbContext();
        Assert.False(await db.Answers.AnyAsync(a => a.AssessmentId == DemoData.MeridianAssessmentId && a.QuestionCode == "OPS-01"));
    }

    [Fact]
    public async Task Autosave_WithoutAntiforgeryToken_IsRefused()
    {
        using var sam = await PortalSession.SignInAsync(fixture.Portal, DemoData.SupplierUserEmail);
        using var content = new FormUrlEncodedContent(new Dictionary<string, string> { ["Answers[0].QuestionCode"] = "PLAN-02", ["Answers[0].Value"] = "yes" });
        using var response = await sam.Client.PostAsync(new Uri($"{MeridianPath}?handler=Autosave", UriKind.Relative), content);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await using var db = fixture.Portal.CreateDbContext();
        Assert.False(await db.Answers.AnyAsync(a => a.AssessmentId == DemoData.MeridianAssessmentId && a.QuestionCode == "PLAN-02"));
    }

    [Fact]
    public async Task SaveForm_ColleagueSavedMeanwhile_UntouchedFieldKeepsTheirsChangedFieldShowsConflict()
    {
        using var sam = await PortalSession.SignInAsync(fixture.Portal, DemoData.SupplierUserEmail);
        using var ana = await PortalSession.SignInAsync(fixture.Portal, Colleagues.MeridianColleagueEmail);

        // Ana's page: OPS-02 and PLAN-01 unanswered (base version 0, base value empty).
        var (_, anaPage) = await ana.GetPageAsync(MeridianPath);
        Assert.Equal("0", anaPage.QuerySelector("#question-OPS-02 [data-base=version]")!.GetAttribute("value"));

        // Meanwhile Sam answers both.
        var samSaved = await AutosaveAsync(sam, ("OPS-02", "yes", null, 0), ("PLAN-01", "4", null, 0));
        Assert.Equal("saved", samSaved.GetProperty("status").GetString());

        // Ana's whole-form save without script: OPS-02 changed by her, PLAN-01 left empty as she found it.
        var token = await ana.GetTokenAsync(MeridianPath);
        using var content = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
            { new StringContent("OPS-02"), "Answers[0].QuestionCode" },
            { new StringContent("no"), "Answers[0].Value" },
            { new StringContent("0"), "Answers[0].BaseVersion" },
            { new StringContent(string.Empty), "Answers[0].BaseValue" },
            { new StringContent("PLAN-01"), "Answers[1].QuestionCode" },
            { new StringContent("0"), "Answers[1].BaseVersion" },
            { new StringContent(string.Empty), "Answers[1].BaseValue" },
        };
        using var response = await ana.Client.PostAsync(new Uri($"{MeridianPath}?handler=Save", UriKind.Relative), content);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode); // the page again, not the redirect of a clean save
        var page = PortalSession.Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains("A colleague changed 1 of these answers", page.QuerySelector("[data-testid=errors]")!.TextContent, StringComparison.Ordinal);
        var box = page.QuerySelector("[data-testid=conflict-OPS-02]")!;
        Assert.Contains("Sam Okafor (Meridian Freight)", box.TextContent, StringComparison.Ordinal);
        Assert.Equal("Yes", page.QuerySelector("[data-testid=their-answer-OPS-02]")!.TextContent);
        // Her own choice is still on the page, based now on Sam's version, so saving again keeps hers.
        Assert.NotNull(page.QuerySelector("#question-OPS-02 input[value=no][checked]"));
        await using (var db = fixture.Portal.CreateDbContext())
        {
            var answers = await db.Answers.AsNoTracking()
                .Where(a => a.AssessmentId == DemoData.MeridianAssessmentId && (a.QuestionCode == "OPS-02" || a.QuestionCode == "PLAN-01"))
                .ToDictionaryAsync(a => a.QuestionCode, a => a);
            Assert.Equal("yes", answers["OPS-02"].Value);
            Assert.Equal("4", answers["PLAN-01"].Value); // untouched on Ana's page: not cleared
            Assert.Equal(answers["OPS-02"].Version.ToString(System.Globalization.CultureInfo.InvariantCulture),
                page.QuerySelector("#question-OPS-02 [data-base=version]")!.GetAttribute("value"));
        }

        // Submitting with a conflict open refuses the submission and names the conflict.
        using var submit = await ana.Client.PostAsync(new Uri($"{MeridianPath}?handler=Submit", UriKind.Relative), Form(await ana.GetTokenAsync(MeridianPath),
            ("OPS-02", "partial", "0")));
        Assert.Equal(HttpStatusCode.OK, submit.StatusCode);
        Assert.NotNull(PortalSession.Parse(await submit.Content.ReadAsStringAsync()).QuerySelector("[data-testid=conflict-OPS-02]"));
        await using var after = fixture.Portal.CreateDbContext();
        Assert.Equal(AssessmentState.InProgress, (await after.Assessments.AsNoTracking().SingleAsync(a => a.Id == DemoData.MeridianAssessmentId)).State);
    }

    [Fact]
    public async Task Reassessment_CarriesLastCyclesAnswers_SubmitNamesUnconfirmedUntilConfirmedOrChanged()
    {
        // Caldera's cycle is finished and approved (the approval path has its own tests); the reassessment is issued.
        var calderaId = DemoData.CalderaAssessmentId;
        await using (var db = fixture.Portal.CreateDbContext())
        {
            var answers = await AnswersForAsync(calderaId);
            var saved = await new SaveAnswersHandler(db, TimeProvider.System).HandleAsync(new SaveAnswersRequest(calderaId, Guid.Empty, answers), CancellationToken.None);
            Assert.True(saved.Succeeded, string.Join(" ", saved.Errors.SelectMany(e => e.Value)));
            await db.Assessments.Where(a => a.Id == calderaId).ExecuteUpdateAsync(s => s
                .SetProperty(a => a.State, AssessmentState.Approved).SetProperty(a => a.SubmittedAt, DateTimeOffset.UtcNow));
        }

        Guid reassessmentId;
        await using (var db = fixture.Portal.CreateDbContext())
        {
            reassessmentId = await new IssueReassessmentHandler(db, TimeProvider.System).IssueAsync(calderaId, 0, null, CancellationToken.None);
        }

        await using (var db = fixture.Portal.CreateDbContext())
        {
            var carried = await db.Answers.AsNoTracking().Where(a => a.AssessmentId == reassessmentId).ToListAsync();
            var previous = await db.Answers.AsNoTracking().Where(a => a.AssessmentId == calderaId).ToDictionaryAsync(a => a.QuestionCode, a => a.Value);
            Assert.Equal(previous.Count, carried.Count);
            Assert.All(carried, a =>
            {
                Assert.True(a.AwaitingConfirmation);
                Assert.Equal(calderaId, a.CarriedFromAssessmentId);
                Assert.Equal(previous[a.QuestionCode], a.Value);
            });
        }

        // The page marks them; submission names every unconfirmed one.
        using var lena = await PortalSession.SignInAsync(fixture.Portal, DemoData.OtherSupplierUserEmail);
        var (_, page) = await lena.GetPageAsync($"/Assessments/{reassessmentId}");
        var expected = await AnswersForAsync(reassessmentId);
        Assert.Equal(expected.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), page.QuerySelector("[data-testid=carried-count]")!.TextContent);
        Assert.NotNull(page.QuerySelector("[data-testid=carried-LEAD-01] input[type=checkbox][name$='.Confirm']"));

        using var refused = await lena.Client.PostAsync(new Uri($"/Assessments/{reassessmentId}?handler=Submit", UriKind.Relative),
            Form(await lena.GetTokenAsync($"/Assessments/{reassessmentId}")));
        var refusedPage = PortalSession.Parse(await refused.Content.ReadAsStringAsync());
        Assert.Contains("Confirm or change your answer to question LEAD-01", refusedPage.QuerySelector("#question-LEAD-01")!.TextContent, StringComparison.Ordinal);

        // Confirm LEAD-01 as it stands, change CTX-01: both leave the list; the rest still hold up submission.
        await using (var db = fixture.Portal.CreateDbContext())
        {
            var versions = await db.Answers.AsNoTracking().Where(a => a.AssessmentId == reassessmentId).ToDictionaryAsync(a => a.QuestionCode, a => a.Version);
            var handler = new SaveAnswersHandler(db, TimeProvider.System);
            var result = await handler.SaveAsync(new SaveAnswersRequest(reassessmentId, Guid.Empty,
            [
                new AnswerInput("LEAD-01", "yes", null) { BaseVersion = versions["LEAD-01"], Confirm = true },
                new AnswerInput("CTX-01", "partial", null) { BaseVersion = versions["CTX-01"] },
            ]) { PerQuestion = true }, CancellationToken.None);
            Assert.True(result.Outcome.Succeeded);
            Assert.All(result.Saved, a => Assert.False(a.AwaitingConfirmation));
            var starter = fixture.Portal.Services.GetRequiredService<IAssessmentReviewStarter>();
            var submit = await new SubmitAssessmentHandler(db, starter, TimeProvider.System).HandleAsync(new SubmitAssessmentRequest(reassessmentId, Guid.Empty), CancellationToken.None);
            Assert.Equal(OutcomeStatus.Invalid, submit.Status);
            Assert.DoesNotContain("LEAD-01", submit.Errors.Keys);
            Assert.DoesNotContain("CTX-01", submit.Errors.Keys);
            // Every other carried answer still shown to Caldera is named (conditional questions hidden by answers are not asked).
            Assert.InRange(submit.Errors.Count, 1, expected.Count - 2);
            Assert.All(submit.Errors, e =>
            {
                Assert.Contains(e.Key, expected.Select(a => a.QuestionCode));
                Assert.Contains("carried over from your last assessment", e.Value[0], StringComparison.Ordinal);
            });

            // Confirming the rest (a caller without base versions states its answers outright) lets it through.
            db.ChangeTracker.Clear();
            Assert.True((await handler.HandleAsync(new SaveAnswersRequest(reassessmentId, Guid.Empty, expected), CancellationToken.None)).Succeeded);
            db.ChangeTracker.Clear();
            Assert.True((await new SubmitAssessmentHandler(db, starter, TimeProvider.System).HandleAsync(new SubmitAssessmentRequest(reassessmentId, Guid.Empty), CancellationToken.None)).Succeeded);
        }

        // Once submitted, an autosave still on its way (another tab, a resend) is refused as closed and changes nothing.
        using var late = await lena.PostFormAsync($"/Assessments/{reassessmentId}?handler=Autosave",
            new Dictionary<string, string> { ["Answers[0].QuestionCode"] = "LEAD-01", ["Answers[0].Value"] = "no", ["Answers[0].BaseVersion"] = "99" });
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        Assert.Contains("\"status\":\"closed\"", await late.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await using var check = fixture.Portal.CreateDbContext();
        Assert.Equal("yes", await check.Answers.AsNoTracking().Where(a => a.AssessmentId == reassessmentId && a.QuestionCode == "LEAD-01").Select(a => a.Value).SingleAsync());
    }

    /// <summary>The stored answers of an assessment (or, when it has none, the demo's good answers) as inputs without base versions.</summary>
    private async Task<List<AnswerInput>> AnswersForAsync(Guid assessmentId)
    {
        await using var db = fixture.Portal.CreateDbContext();
        var stored = await db.Answers.AsNoTracking().Where(a => a.AssessmentId == assessmentId).ToListAsync();
        if (stored.Count > 0)
        {
            return stored.ConvertAll(a => new AnswerInput(a.QuestionCode, a.Value, a.NotApplicableReason));
        }

        var assessment = await db.Assessments.AsNoTracking().SingleAsync(a => a.Id == assessmentId);
        var questions = await db.TemplateQuestions.AsNoTracking().Where(q => q.TemplateId == assessment.TemplateId).OrderBy(q => q.Order).ToListAsync();
        return questions.Where(q => q.AppliesTo(assessment.TierAtIssue)).Select(q => new AnswerInput(q.Code, q.AnswerType switch
        {
            Core.Questionnaires.AnswerType.Maturity => "4",
            Core.Questionnaires.AnswerType.Text => "Our security lead reviews this every quarter.",
            Core.Questionnaires.AnswerType.SingleChoice => q.Options.MaxBy(o => o.Score)!.Value,
            Core.Questionnaires.AnswerType.MultipleChoice => string.Join(',', q.Options.Where(o => o.Score > 0).Select(o => o.Value)),
            Core.Questionnaires.AnswerType.Number => "2",
            Core.Questionnaires.AnswerType.Date => "2026-06-30",
            _ => "yes",
        }, null)).ToList();
    }

    private static MultipartFormDataContent Form(string token, params (string Code, string Value, string BaseVersion)[] answers)
    {
        var content = new MultipartFormDataContent { { new StringContent(token), "__RequestVerificationToken" } };
        for (var i = 0; i < answers.Length; i++)
        {
            content.Add(new StringContent(answers[i].Code), $"Answers[{i}].QuestionCode");
            content.Add(new StringContent(answers[i].Value), $"Answers[{i}].Value");
            content.Add(new StringContent(answers[i].BaseVersion), $"Answers[{i}].BaseVersion");
        }

        return content;
    }

    private static async Task<JsonElement> AutosaveAsync(PortalSession session, params (string Code, string? Value, string? Reason, long BaseVersion)[] answers)
    {
        var fields = new Dictionary<string, string>();
        for (var i = 0; i < answers.Length; i++)
        {
            fields[$"Answers[{i}].QuestionCode"] = answers[i].Code;
            fields[$"Answers[{i}].Value"] = answers[i].Value ?? string.Empty;
            fields[$"Answers[{i}].NotApplicableReason"] = answers[i].Reason ?? string.Empty;
            fields[$"Answers[{i}].BaseVersion"] = answers[i].BaseVersion.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        using var response = await session.PostFormAsync($"{MeridianPath}?handler=Autosave", fields);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }
}
