using System.Globalization;
using System.Net;
using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Assessments;
using SupplierAssure.Core.Auditing;
using SupplierAssure.Core.Demo;
using SupplierAssure.Core.Identity;
using SupplierAssure.Core.Suppliers;
using SupplierAssure.TestSupport;

namespace SupplierAssure.Portal.Tests;

/// <summary>
/// Procurement issues a questionnaire, extends a due date and sends a reminder from the supplier page. One host serves
/// the class: each test arranges a Tier 2 supplier of its own with its users (and, for the deadline tests, a
/// questionnaire issued to it through the page), and counts only the mail sent during the test.
/// </summary>
public sealed class IssueQuestionnaireTests(SharedPortalFixture fixture) : IClassFixture<SharedPortalFixture>, IAsyncLifetime
{
    private static int _harbours;
    private readonly PortalFactory _portal = fixture.Portal;
    private Guid _harbourId;
    private string _harbourName = string.Empty;
    private string _harbourContact = string.Empty;
    private string _harbourOther = string.Empty;
    private Guid _harbourContactId;
    private Guid _templateId;
    private IReadOnlyList<(string To, string Subject, string Text)> _mailBefore = [];

    /// <summary>
    /// A new Tier 2 supplier (Harbour) with a contributor; with <paramref name="withOtherUser"/> also a supplier admin.
    /// Remind and extend write to every user of the supplier, so the deadline tests give it only the one contact.
    /// </summary>
    private async Task ArrangeHarbourAsync(bool withOtherUser)
    {
        var number = Interlocked.Increment(ref _harbours);
        _harbourId = Guid.NewGuid();
        _harbourName = $"Harbour Reefer Haulage {number:D2} Ltd";
        _harbourContact = $"security@harbour-{number:D2}.example";
        _harbourOther = $"other@harbour-{number:D2}.example";
        await using (var db = _portal.CreateDbContext())
        {
            db.Suppliers.Add(new Supplier { Id = _harbourId, LegalName = _harbourName, CountryCode = "IE", Tier = SupplierTier.Tier2Significant });
            await db.SaveChangesAsync();
            _templateId = await db.Assessments.Where(a => a.Id == DemoData.MeridianAssessmentId).Select(a => a.TemplateId).SingleAsync();
        }

        _harbourContactId = await _portal.CreateUserAsync(_harbourContact, Roles.SupplierContributor, _harbourId);
        if (withOtherUser)
        {
            await _portal.CreateUserAsync(_harbourOther, Roles.SupplierAdmin, _harbourId);
        }

        _mailBefore = _portal.SentMail();
    }

    public Task InitializeAsync() => ArrangeHarbourAsync(withOtherUser: true);

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>The messages sent since the test's arrangement (or since the last <see cref="ArrangeHarbourAsync"/>).</summary>
    private List<(string To, string Subject, string Text)> NewMail()
    {
        var earlier = _mailBefore.ToList();
        var fresh = new List<(string To, string Subject, string Text)>();
        foreach (var message in _portal.SentMail())
        {
            if (!earlier.Remove(message))
            {
                fresh.Add(message);
            }
        }

        return fresh;
    }

    /// <summary>The deadline page of a questionnaire issued through the page to a supplier whose only user is its contact.</summary>
    private async Task<(Guid AssessmentId, string Path)> IssuedQuestionnaireAsync(PortalSession session)
    {
        await ArrangeHarbourAsync(withOtherUser: false);
        using (var issued = await PostAsync(session, $"/Suppliers/{_harbourId}/Issue", IssueFields(contacts: _harbourContactId)))
        {
            Assert.Equal(HttpStatusCode.Redirect, issued.StatusCode);
        }

        Guid assessmentId;
        await using (var db = _portal.CreateDbContext())
        {
            assessmentId = await db.Assessments.Where(a => a.SupplierId == _harbourId).Select(a => a.Id).SingleAsync();
        }

        _mailBefore = _portal.SentMail();
        return (assessmentId, $"/Suppliers/{_harbourId}/Assessments/{assessmentId}/Deadline");
    }

    private static string Day(int daysFromToday) => DateOnly.FromDateTime(DateTime.UtcNow).AddDays(daysFromToday).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static async Task<HttpResponseMessage> PostAsync(PortalSession session, string path, IEnumerable<KeyValuePair<string, string>> fields, bool withToken = true)
    {
        var all = fields.ToList();
        if (withToken)
        {
            all.Add(new("__RequestVerificationToken", await session.GetTokenAsync(path.Split('?')[0])));
        }

        using var content = new FormUrlEncodedContent(all);
        return await session.Client.PostAsync(new Uri(path, UriKind.Relative), content);
    }

    private List<KeyValuePair<string, string>> IssueFields(string? template = "", string? due = null, params Guid[] contacts)
    {
        var fields = new List<KeyValuePair<string, string>>
        {
            new("TemplateId", template == string.Empty ? _templateId.ToString() : template ?? string.Empty),
            new("DueDate", due ?? Day(30)),
        };
        fields.AddRange(contacts.Select(c => new KeyValuePair<string, string>("ContactIds", c.ToString())));
        return fields;
    }

    private async Task<int> HarbourAssessmentsAsync()
    {
        await using var db = _portal.CreateDbContext();
        return await db.Assessments.CountAsync(a => a.SupplierId == _harbourId);
    }

    [Fact]
    public async Task Issue_ValidForm_CreatesIssuedAssessmentMailsContactAndAudits()
    {
        using var session = await PortalSession.SignInAsync(_portal, DemoData.ProcurementUserEmail);
        var (form, page) = await session.GetPageAsync($"/Suppliers/{_harbourId}/Issue");
        Assert.Equal(HttpStatusCode.OK, form.StatusCode);
        Assert.NotNull(page.QuerySelector($"select[name=TemplateId] option[value='{_templateId}']"));
        Assert.NotNull(page.QuerySelector($"input[name=ContactIds][value='{_harbourContactId}']"));

        using var response = await PostAsync(session, $"/Suppliers/{_harbourId}/Issue", IssueFields(due: Day(21), contacts: _harbourContactId));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"/Suppliers/{_harbourId}", response.Headers.Location!.OriginalString);
        await using var db = _portal.CreateDbContext();
        var issued = await db.Assessments.AsNoTracking().SingleAsync(a => a.SupplierId == _harbourId);
        Assert.Equal(AssessmentState.Issued, issued.State);
        Assert.Equal(SupplierTier.Tier2Significant, issued.TierAtIssue);
        Assert.Equal(Day(21), issued.DueDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        Assert.Equal(_templateId, issued.TemplateId);

        var mail = Assert.Single(NewMail(), m => m.Subject.StartsWith($"Security questionnaire for {_harbourName}", StringComparison.Ordinal));
        Assert.Equal(_harbourContact, mail.To);
        Assert.Contains($"/Assessments/{issued.Id}", mail.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(_portal.SentMail(), m => m.To == _harbourOther);

        var entry = await db.Set<AuditEntry>().AsNoTracking().SingleAsync(e => e.Kind == "questionnaire.issued" && e.SupplierId == _harbourId);
        Assert.Equal(_harbourId, entry.SupplierId);
        Assert.Equal(DemoData.ProcurementUserEmail, entry.Actor);
        Assert.Contains(_harbourContact, entry.Details, StringComparison.Ordinal);

        var (_, supplierPage) = await session.GetPageAsync($"/Suppliers/{_harbourId}");
        Assert.Contains("Questionnaire issued", supplierPage.QuerySelector("[data-testid=message]")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("questionnaire.issued", supplierPage.QuerySelector("[data-testid=timeline]")!.TextContent, StringComparison.Ordinal);
    }

    public static TheoryData<string, string> InvalidForms() => new()
    {
        { "no-template", "TemplateId" },
        { "unknown-template", "TemplateId" },
        { "no-date", "DueDate" },
        { "today", "DueDate" },
        { "past", "DueDate" },
        { "too-far", "DueDate" },
        { "no-contact", "ContactIds" },
        { "other-organisation", "ContactIds" },
    };

    [Theory]
    [MemberData(nameof(InvalidForms))]
    public async Task Issue_InvalidField_ShowsMessageAtTheFieldAndCreatesNothing(string variant, string field)
    {
        var meridianUser = await UserIdAsync(DemoData.SupplierUserEmail);
        var fields = variant switch
        {
            "no-template" => IssueFields(template: null, contacts: _harbourContactId),
            "unknown-template" => IssueFields(template: Guid.NewGuid().ToString(), contacts: _harbourContactId),
            "no-date" => IssueFields(due: string.Empty, contacts: _harbourContactId),
            "today" => IssueFields(due: Day(0), contacts: _harbourContactId),
            "past" => IssueFields(due: Day(-3), contacts: _harbourContactId),
            "too-far" => IssueFields(due: Day(800), contacts: _harbourContactId),
            "no-contact" => IssueFields(),
            _ => IssueFields(contacts: [_harbourContactId, meridianUser]),
        };
        using var session = await PortalSession.SignInAsync(_portal, DemoData.ProcurementUserEmail);
        using var response = await PostAsync(session, $"/Suppliers/{_harbourId}/Issue", fields);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = PortalSession.Parse(await response.Content.ReadAsStringAsync());
        Assert.False(string.IsNullOrWhiteSpace(page.QuerySelector($"[data-testid=error-{field}]")!.TextContent), $"no message for {field}");
        Assert.Equal(0, await HarbourAssessmentsAsync());
        Assert.Empty(NewMail());
    }

    [Fact]
    public async Task Issue_PastDate_SaysTheDateMustBeInTheFuture()
    {
        using var session = await PortalSession.SignInAsync(_portal, DemoData.ProcurementUserEmail);
        using var response = await PostAsync(session, $"/Suppliers/{_harbourId}/Issue", IssueFields(due: Day(-1), contacts: _harbourContactId));
        var page = PortalSession.Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains("must be in the future", page.QuerySelector("[data-testid=error-DueDate]")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Issue_WithoutAntiforgeryToken_IsRefusedAndCreatesNothing()
    {
        using var session = await PortalSession.SignInAsync(_portal, DemoData.ProcurementUserEmail);
        using var response = await PostAsync(session, $"/Suppliers/{_harbourId}/Issue", IssueFields(contacts: _harbourContactId), withToken: false);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, await HarbourAssessmentsAsync());
    }

    [Fact]
    public async Task Issue_SupplierWithOpenQuestionnaire_RefusedWithMessage()
    {
        var meridianUser = await UserIdAsync(DemoData.SupplierUserEmail);
        using var session = await PortalSession.SignInAsync(_portal, DemoData.ProcurementUserEmail);
        var (_, form) = await session.GetPageAsync($"/Suppliers/{DemoData.MeridianSupplierId}/Issue");
        Assert.NotNull(form.QuerySelector("[data-testid=open-warning]"));

        using var response = await PostAsync(session, $"/Suppliers/{DemoData.MeridianSupplierId}/Issue", IssueFields(contacts: meridianUser));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = PortalSession.Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains("already has an open questionnaire", page.QuerySelector("[data-testid=form-error]")!.TextContent, StringComparison.Ordinal);
        await using var db = _portal.CreateDbContext();
        Assert.Equal(1, await db.Assessments.CountAsync(a => a.SupplierId == DemoData.MeridianSupplierId));
        Assert.Empty(NewMail());
    }

    [Fact]
    public async Task Issue_SecurityReviewer_IsForbidden()
    {
        await _portal.CreateUserAsync("reviewer@issue.example", Roles.SecurityReviewer);
        using var session = await PortalSession.SignInAsync(_portal, "reviewer@issue.example");
        var fields = IssueFields(contacts: _harbourContactId);
        fields.Add(new("__RequestVerificationToken", await session.GetTokenAsync("/")));
        using var content = new FormUrlEncodedContent(fields);
        using var response = await session.Client.PostAsync(new Uri($"/Suppliers/{_harbourId}/Issue", UriKind.Relative), content);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/Account/AccessDenied", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Equal(0, await HarbourAssessmentsAsync());
    }

    [Fact]
    public async Task ExtendDueDate_LaterDateAndReason_MovesDateTellsContactsAndAudits()
    {
        using var session = await PortalSession.SignInAsync(_portal, DemoData.ProcurementUserEmail);
        var (assessmentId, path) = await IssuedQuestionnaireAsync(session);
        DateOnly before;
        await using (var db = _portal.CreateDbContext())
        {
            before = await db.Assessments.Where(a => a.Id == assessmentId).Select(a => a.DueDate).SingleAsync();
        }

        var later = before.AddDays(14).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        using var response = await PostAsync(session, path + "?handler=Extend", [new("NewDueDate", later), new("Reason", "Their security manager is on leave until mid-month.")]);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        await using (var db = _portal.CreateDbContext())
        {
            Assert.Equal(before.AddDays(14), await db.Assessments.Where(a => a.Id == assessmentId).Select(a => a.DueDate).SingleAsync());
            var entry = await db.Set<AuditEntry>().AsNoTracking().SingleAsync(e => e.Kind == "questionnaire.due-date-extended" && e.SupplierId == _harbourId);
            Assert.Contains("security manager is on leave", entry.Details, StringComparison.Ordinal);
            Assert.Equal(_harbourId, entry.SupplierId);
        }

        var mail = Assert.Single(NewMail(), m => m.To == _harbourContact);
        Assert.StartsWith("More time for your security questionnaire", mail.Subject, StringComparison.Ordinal);
        Assert.Contains("security manager is on leave", mail.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-1, "Their security manager is on leave.", "NewDueDate")]
    [InlineData(0, "Their security manager is on leave.", "NewDueDate")]
    [InlineData(10, "leave", "Reason")]
    public async Task ExtendDueDate_Invalid_ShowsMessageAndKeepsDate(int daysAfterCurrent, string reason, string field)
    {
        using var session = await PortalSession.SignInAsync(_portal, DemoData.ProcurementUserEmail);
        var (assessmentId, path) = await IssuedQuestionnaireAsync(session);
        DateOnly before;
        await using (var db = _portal.CreateDbContext())
        {
            before = await db.Assessments.Where(a => a.Id == assessmentId).Select(a => a.DueDate).SingleAsync();
        }

        using var response = await PostAsync(session, path + "?handler=Extend",
            [new("NewDueDate", before.AddDays(daysAfterCurrent).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)), new("Reason", reason)]);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = PortalSession.Parse(await response.Content.ReadAsStringAsync());
        Assert.False(string.IsNullOrWhiteSpace(page.QuerySelector($"[data-testid=error-{field}]")!.TextContent));
        await using (var db = _portal.CreateDbContext())
        {
            Assert.Equal(before, await db.Assessments.Where(a => a.Id == assessmentId).Select(a => a.DueDate).SingleAsync());
        }

        Assert.Empty(NewMail());
    }

    [Fact]
    public async Task Remind_OpenQuestionnaire_MailsEveryContactAndAudits()
    {
        using var session = await PortalSession.SignInAsync(_portal, DemoData.ProcurementUserEmail);
        var (_, path) = await IssuedQuestionnaireAsync(session);
        using var response = await PostAsync(session, path + "?handler=Remind", []);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var mail = Assert.Single(NewMail());
        Assert.Equal(_harbourContact, mail.To);
        Assert.StartsWith("Reminder: security questionnaire due", mail.Subject, StringComparison.Ordinal);
        await using var db = _portal.CreateDbContext();
        Assert.True(await db.Set<AuditEntry>().AnyAsync(e => e.Kind == "questionnaire.reminder-sent" && e.SupplierId == _harbourId));
    }

    [Fact]
    public async Task Remind_ClosedQuestionnaire_RefusedWithMessage()
    {
        using var session = await PortalSession.SignInAsync(_portal, DemoData.ProcurementUserEmail);
        var (assessmentId, path) = await IssuedQuestionnaireAsync(session);
        await using (var db = _portal.CreateDbContext())
        {
            await db.Assessments.Where(a => a.Id == assessmentId).ExecuteUpdateAsync(s => s.SetProperty(a => a.State, AssessmentState.Approved));
        }

        using var response = await PostAsync(session, path + "?handler=Remind", []);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = PortalSession.Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains("nothing to remind", page.QuerySelector("[data-testid=form-error]")!.TextContent, StringComparison.Ordinal);
        Assert.Empty(NewMail());
    }

    private async Task<Guid> UserIdAsync(string email)
    {
        await using var db = _portal.CreateDbContext();
        return await db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync();
    }
}
