using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SupplierAssure.Core.Demo;
using SupplierAssure.Core.Evidence;
using SupplierAssure.Core.Suppliers;
using SupplierAssure.TestSupport;

namespace SupplierAssure.Portal.Tests;

/// <summary>
/// Conditional questions on the answering page, without script. Part of <see cref="AnsweringSectionsTests"/> so it runs on
/// that class's Portal (no extra host); it works on Northgate's questionnaire, which no other test of the class touches.
/// Northgate is a Tier 1 carrier, warehouse and logistics firm: PHY-09 and PHY-11 (asked of ports only) are not put to
/// it, and CGO-04 follows CGO-03 ("sea" shows it).
/// </summary>
public sealed partial class AnsweringSectionsTests
{
    [Fact]
    public async Task AnsweringPage_FollowUpHiddenUntilItsTriggerAnswerShowsIt_RoleExcludedNotRendered_HiddenAnswerKeptNotDemanded()
    {
        var path = $"/Assessments/{DemoData.NorthgateAssessmentId}";
        await using (var db = fixture.Portal.CreateDbContext())
        {
            Assert.Equal(SupplierTier.Tier1Critical, await db.Assessments.Where(a => a.Id == DemoData.NorthgateAssessmentId).Select(a => a.TierAtIssue).SingleAsync());
            Assert.Equal(SupplyChainRoles.Carrier | SupplyChainRoles.Warehouse | SupplyChainRoles.Logistics,
                await db.Suppliers.Where(s => s.Id == DemoData.NorthgateSupplierId).Select(s => s.Roles).SingleAsync());
        }

        await fixture.Portal.CreateUserAsync("conditional@northgate.example", Core.Identity.Roles.SupplierAdmin, DemoData.NorthgateSupplierId);
        using var session = await PortalSession.SignInAsync(fixture.Portal, "conditional@northgate.example");
        var (_, page) = await session.GetPageAsync(path);

        // Not asked of this supplier's roles: not on the page at all. Asked of its roles: there and visible.
        Assert.Null(page.QuerySelector("#question-PHY-09"));
        Assert.Null(page.QuerySelector("#question-PHY-11"));
        Assert.False(page.QuerySelector("#question-TRN-01")!.HasAttribute("hidden"));

        // The follow-up is rendered, hidden while CGO-03 has no answer, and names its trigger and the answers that show it.
        var followUp = page.QuerySelector("#question-CGO-04")!;
        Assert.True(followUp.HasAttribute("hidden"));
        Assert.Equal(("CGO-03", "sea"), (followUp.GetAttribute("data-show-when"), followUp.GetAttribute("data-show-any-of")));
        Assert.False(page.QuerySelector("#question-CGO-03")!.HasAttribute("hidden"));
        Assert.Null(page.QuerySelector("#question-CGO-03")!.GetAttribute("data-show-when"));
        Assert.NotNull(page.QuerySelector("[data-testid=followup-status][role=status]"));

        // The indexed names run 0..n-1 over the rendered questions only, so the whole-form post binds every one.
        var codes = page.QuerySelectorAll("form#answers input[name$='.QuestionCode']").Cast<IHtmlInputElement>().ToList();
        Assert.Equal(Enumerable.Range(0, codes.Count).Select(i => $"Answers[{i}].QuestionCode"), codes.Select(c => c.Name));
        Assert.DoesNotContain(codes, c => c.Value is "PHY-09" or "PHY-11");
        Assert.Contains(codes, c => c.Value == "CGO-04");

        // The upload control speaks of files, plural, and carries the server's own per-file limit for the page's script.
        var maxBytes = fixture.Portal.Services.GetRequiredService<IOptions<EvidenceOptions>>().Value.MaxFileBytes;
        var upload = page.QuerySelector("input[type=file][data-dropzone='CGO-04']")!;
        Assert.Equal(maxBytes.ToString(System.Globalization.CultureInfo.InvariantCulture), upload.GetAttribute("data-max-bytes"));
        Assert.Equal($"{maxBytes / (1024 * 1024)} MB", upload.GetAttribute("data-max-size"));
        Assert.Contains($"Attach evidence files (PDF, image, text or Office documents; choose one or several, each up to {maxBytes / (1024 * 1024)} MB)",
            upload.Closest("label")!.TextContent, StringComparison.Ordinal);

        // Sea freight: after the save a page without script shows the follow-up.
        await ChangeAnswerAsync(session, "CGO-03", "sea");
        await ChangeAnswerAsync(session, "CGO-04", "yes");
        (_, page) = await session.GetPageAsync(path);
        Assert.False(page.QuerySelector("#question-CGO-04")!.HasAttribute("hidden"));
        var cargo = Overview(page).Single(p => p.Key.Name == "Cargo and conveyance security");

        // Road instead: hidden again, its answer still stored and still in the form; the section needs one answer fewer.
        await ChangeAnswerAsync(session, "CGO-03", "road");
        (_, page) = await session.GetPageAsync(path);
        followUp = page.QuerySelector("#question-CGO-04")!;
        Assert.True(followUp.HasAttribute("hidden"));
        Assert.True(followUp.QuerySelector("input[type=radio][value=yes]")!.HasAttribute("checked"));
        Assert.Equal((cargo.Value.Answered - 1, cargo.Value.Required - 1), Overview(page)[cargo.Key]);

        // The whole form posted as a browser would (the hidden follow-up included, untouched): saved, and its answer kept.
        long version;
        await using (var db = fixture.Portal.CreateDbContext())
        {
            version = (await db.Answers.SingleAsync(a => a.AssessmentId == DemoData.NorthgateAssessmentId && a.QuestionCode == "CGO-04")).Version;
        }

        using (var saved = await session.PostFormAsync($"{path}?handler=Save", FormFields(page)))
        {
            Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        }

        await using (var db = fixture.Portal.CreateDbContext())
        {
            var kept = await db.Answers.SingleAsync(a => a.AssessmentId == DemoData.NorthgateAssessmentId && a.QuestionCode == "CGO-04");
            Assert.Equal(("yes", version), (kept.Value, kept.Version));
        }

        // Submit is refused for the many unanswered questions, but never for the hidden follow-up.
        using (var submitted = await session.PostFormAsync($"{path}?handler=Submit", FormFields(page)))
        {
            var refused = PortalSession.Parse(await submitted.Content.ReadAsStringAsync());
            var missing = refused.QuerySelectorAll("fieldset.question p.error").Select(p => p.TextContent).ToList();
            Assert.NotEmpty(missing);
            Assert.DoesNotContain(missing, m => m.Contains("CGO-04", StringComparison.Ordinal));
            Assert.True(refused.QuerySelector("#question-CGO-04")!.HasAttribute("hidden"));
        }

        // Sea again: the follow-up comes back with the answer it had, counted again.
        await ChangeAnswerAsync(session, "CGO-03", "sea");
        (_, page) = await session.GetPageAsync(path);
        followUp = page.QuerySelector("#question-CGO-04")!;
        Assert.False(followUp.HasAttribute("hidden"));
        Assert.True(followUp.QuerySelector("input[type=radio][value=yes]")!.HasAttribute("checked"));
        Assert.Equal(cargo.Value, Overview(page)[cargo.Key]);

        // Back for clarification with a reviewer's comment on CGO-04 while CGO-03 says road: the banner cannot link to a
        // hidden question, so it says why it is not shown and links to the trigger question instead.
        await ChangeAnswerAsync(session, "CGO-03", "road");
        await using (var db = fixture.Portal.CreateDbContext())
        {
            var submittedAt = DateTimeOffset.UtcNow.AddMinutes(-5);
            await db.Assessments.Where(a => a.Id == DemoData.NorthgateAssessmentId).ExecuteUpdateAsync(s => s
                .SetProperty(a => a.State, Core.Assessments.AssessmentState.Clarification).SetProperty(a => a.SubmittedAt, submittedAt));
            db.Set<Core.Reviews.ReviewComment>().Add(new Core.Reviews.ReviewComment
            {
                Id = Guid.NewGuid(), SupplierId = DemoData.NorthgateSupplierId, AssessmentId = DemoData.NorthgateAssessmentId, QuestionCode = "CGO-04",
                AuthorName = "Reviewer", Text = "Which seal standard do your sea containers use?", CreatedAt = submittedAt.AddMinutes(1),
            });
            await db.SaveChangesAsync();
        }

        (_, page) = await session.GetPageAsync(path);
        var banner = page.QuerySelector("[data-testid=clarification-banner]")!;
        Assert.Null(banner.QuerySelector("a[href='#question-CGO-04']"));
        var hiddenEntry = banner.QuerySelector("[data-testid=asked-hidden-CGO-04]")!;
        Assert.StartsWith("CGO-04 is not shown now: it is asked only when CGO-03 is answered “Sea freight in containers”.",
            System.Text.RegularExpressions.Regex.Replace(hiddenEntry.TextContent, @"\s+", " ").Trim(), StringComparison.Ordinal);
        Assert.NotNull(hiddenEntry.QuerySelector("a[href='#question-CGO-03']"));
        Assert.False(page.QuerySelector("#question-CGO-03")!.HasAttribute("hidden"));
    }

    /// <summary>Autosaves one of Northgate's answers the way the page's script does: based on the version stored now.</summary>
    private async Task ChangeAnswerAsync(PortalSession session, string code, string value)
    {
        long version;
        await using (var db = fixture.Portal.CreateDbContext())
        {
            version = await db.Answers.Where(a => a.AssessmentId == DemoData.NorthgateAssessmentId && a.QuestionCode == code).Select(a => (long?)a.Version).SingleOrDefaultAsync() ?? 0;
        }

        using var response = await session.PostFormAsync($"/Assessments/{DemoData.NorthgateAssessmentId}?handler=Autosave", new Dictionary<string, string>
        {
            ["Answers[0].QuestionCode"] = code, ["Answers[0].Value"] = value, ["Answers[0].BaseVersion"] = version.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK && body.StartsWith("{\"status\":\"saved\"", StringComparison.Ordinal), $"{(int)response.StatusCode}: {body}");
    }

    /// <summary>What the browser posts for the answers form: every enabled field, checked boxes and radios only, no files.</summary>
    private static Dictionary<string, string> FormFields(IHtmlDocument page)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var field in page.QuerySelectorAll("form#answers input[name], form#answers select[name], form#answers textarea[name]"))
        {
            var name = field.GetAttribute("name")!;
            if (field.HasAttribute("disabled") || name == "__RequestVerificationToken")
            {
                continue;
            }

            switch (field)
            {
                case IHtmlInputElement input when input.Type is "file" || (input.Type is "radio" or "checkbox" && !input.HasAttribute("checked")):
                    continue;
                case IHtmlInputElement input:
                    fields[name] = input.Value;
                    break;
                case IHtmlSelectElement select:
                    fields[name] = select.Value ?? string.Empty;
                    break;
                case IHtmlTextAreaElement area:
                    fields[name] = area.Value;
                    break;
            }
        }

        return fields;
    }
}
