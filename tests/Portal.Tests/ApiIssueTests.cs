using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Assessments;
using SupplierAssure.Core.Auditing;
using SupplierAssure.Core.Demo;
using SupplierAssure.Core.Identity;
using SupplierAssure.Core.Suppliers;
using SupplierAssure.TestSupport;

namespace SupplierAssure.Portal.Tests;

/// <summary>
/// Procurement systems issue questionnaires and extend due dates through /api/v1 with the procurement.write scope.
/// One host serves the class: each test gets a Tier 1 supplier of its own (Pier Nine) with one contact, and looks
/// only at the mail sent during the test.
/// </summary>
public sealed class ApiIssueTests(SharedPortalFixture fixture) : IClassFixture<SharedPortalFixture>, IAsyncLifetime
{
    private const string ProcurementClient = "demo-procurement-system";
    private readonly PortalFactory _portal = fixture.Portal;
    private Guid _pierId;
    private string _contactEmail = string.Empty;
    private Guid _contactId;
    private Guid _templateId;
    private int _mailBefore;

    public async Task InitializeAsync()
    {
        _pierId = Guid.NewGuid();
        _contactEmail = $"ops@pier-nine-{_pierId:N}.example";
        await using (var db = _portal.CreateDbContext())
        {
            db.Suppliers.Add(new Supplier { Id = _pierId, LegalName = $"Pier Nine Stevedores {_pierId:N} SA", CountryCode = "BE", Tier = SupplierTier.Tier1Critical });
            await db.SaveChangesAsync();
            _templateId = await db.Assessments.Where(a => a.Id == DemoData.MeridianAssessmentId).Select(a => a.TemplateId).SingleAsync();
        }

        _contactId = await _portal.CreateUserAsync(_contactEmail, Roles.SupplierAdmin, _pierId);
        _mailBefore = _portal.SentMail().Count;
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private static string Day(int days) => DateOnly.FromDateTime(DateTime.UtcNow).AddDays(days).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private async Task<HttpClient> ClientAsync(string scope)
    {
        var token = await _portal.GetPartnerTokenAsync(scope, ProcurementClient);
        var client = _portal.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    [Fact]
    public async Task Issue_WriteScope_Returns201WithLocationAndMailsTheContact()
    {
        using var client = await ClientAsync("procurement.write");
        using var response = await client.PostAsJsonAsync(new Uri($"/api/v1/suppliers/{_pierId}/assessments", UriKind.Relative),
            new { templateId = _templateId, dueDate = Day(45), contactIds = new[] { _contactId } });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var id = json.RootElement.GetProperty("assessmentId").GetGuid();
        Assert.Equal($"/api/v1/suppliers/{_pierId}/assessments/{id}", response.Headers.Location!.OriginalString);
        Assert.Equal("Tier1Critical", json.RootElement.GetProperty("tierAtIssue").GetString());
        Assert.Equal(_contactEmail, json.RootElement.GetProperty("notified")[0].GetString());

        await using var db = _portal.CreateDbContext();
        var assessment = await db.Assessments.AsNoTracking().SingleAsync(a => a.Id == id);
        Assert.Equal(AssessmentState.Issued, assessment.State);
        Assert.Equal(SupplierTier.Tier1Critical, assessment.TierAtIssue);
        // One message during this test, to this test's contact (the host's earlier tests wrote theirs before the count).
        Assert.Equal(_mailBefore + 1, _portal.SentMail().Count);
        Assert.Single(_portal.SentMail(), m => m.To == _contactEmail);
        var entry = await db.Set<AuditEntry>().AsNoTracking().SingleAsync(e => e.Kind == "questionnaire.issued" && e.SupplierId == _pierId);
        Assert.Equal($"client:{ProcurementClient}", entry.Actor);
    }

    public static TheoryData<string, string> BadBodies() => new()
    {
        { """{"dueDate":"2020-01-01","contactIds":[]}""", "templateId" },
        { """{"templateId":"{T}","dueDate":"2020-01-01","contactIds":["{C}"]}""", "dueDate" },
        { """{"templateId":"{T}","contactIds":["{C}"]}""", "dueDate" },
        { """{"templateId":"{T}","dueDate":"{D}","contactIds":[]}""", "contactIds" },
        { """{"templateId":"{T}","dueDate":"{D}","contactIds":["{X}"]}""", "contactIds" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task Issue_BadBody_Returns400ProblemNamingTheField(string body, string field)
    {
        using var client = await ClientAsync("procurement.write");
        var json = body.Replace("{T}", _templateId.ToString(), StringComparison.Ordinal).Replace("{C}", _contactId.ToString(), StringComparison.Ordinal)
            .Replace("{D}", Day(20), StringComparison.Ordinal).Replace("{X}", Guid.NewGuid().ToString(), StringComparison.Ordinal);
        using var content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        using var response = await client.PostAsync(new Uri($"/api/v1/suppliers/{_pierId}/assessments", UriKind.Relative), content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(field, out _), $"no error for {field}: {problem.RootElement}");
        await using var db = _portal.CreateDbContext();
        Assert.False(await db.Assessments.AnyAsync(a => a.SupplierId == _pierId));
    }

    [Fact]
    public async Task Issue_OpenQuestionnaireExists_Returns409Problem()
    {
        using var client = await ClientAsync("procurement.write");
        await using var db = _portal.CreateDbContext();
        var meridianUser = await db.Users.Where(u => u.Email == DemoData.SupplierUserEmail).Select(u => u.Id).SingleAsync();
        using var response = await client.PostAsJsonAsync(new Uri($"/api/v1/suppliers/{DemoData.MeridianSupplierId}/assessments", UriKind.Relative),
            new { templateId = _templateId, dueDate = Day(45), contactIds = new[] { meridianUser } });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains("already has an open questionnaire", problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, await db.Assessments.CountAsync(a => a.SupplierId == DemoData.MeridianSupplierId));
    }

    [Fact]
    public async Task Issue_UnknownSupplier_Returns404Problem()
    {
        using var client = await ClientAsync("procurement.write");
        using var response = await client.PostAsJsonAsync(new Uri($"/api/v1/suppliers/{Guid.NewGuid()}/assessments", UriKind.Relative),
            new { templateId = _templateId, dueDate = Day(45), contactIds = new[] { _contactId } });
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task Issue_ReadScopeOnly_Returns403AndCreatesNothing()
    {
        using var client = await ClientAsync("procurement.read");
        using var response = await client.PostAsJsonAsync(new Uri($"/api/v1/suppliers/{_pierId}/assessments", UriKind.Relative),
            new { templateId = _templateId, dueDate = Day(45), contactIds = new[] { _contactId } });
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        await using var db = _portal.CreateDbContext();
        Assert.False(await db.Assessments.AnyAsync(a => a.SupplierId == _pierId));
    }

    [Fact]
    public async Task ExtendDueDate_WriteScope_MovesTheDate_AndRefusesAnEarlierOne()
    {
        using var client = await ClientAsync("procurement.write");
        DateOnly before;
        await using (var db = _portal.CreateDbContext())
        {
            before = await db.Assessments.Where(a => a.Id == DemoData.CalderaAssessmentId).Select(a => a.DueDate).SingleAsync();
        }

        var path = new Uri($"/api/v1/suppliers/{DemoData.CalderaSupplierId}/assessments/{DemoData.CalderaAssessmentId}/due-date", UriKind.Relative);
        using var earlier = await client.PostAsJsonAsync(path, new { dueDate = before.AddDays(-1), reason = "Supplier asked for it by phone." });
        Assert.Equal(HttpStatusCode.BadRequest, earlier.StatusCode);
        using (var problem = JsonDocument.Parse(await earlier.Content.ReadAsStringAsync()))
        {
            Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty("dueDate", out _));
        }

        using var noReason = await client.PostAsJsonAsync(path, new { dueDate = before.AddDays(7) });
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        using (var problem = JsonDocument.Parse(await noReason.Content.ReadAsStringAsync()))
        {
            Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty("reason", out _));
        }

        using var ok = await client.PostAsJsonAsync(path, new { dueDate = before.AddDays(7), reason = "Supplier asked for it by phone." });
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        using var json = JsonDocument.Parse(await ok.Content.ReadAsStringAsync());
        Assert.Equal(before.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), json.RootElement.GetProperty("previousDueDate").GetString());
        await using (var db = _portal.CreateDbContext())
        {
            Assert.Equal(before.AddDays(7), await db.Assessments.Where(a => a.Id == DemoData.CalderaAssessmentId).Select(a => a.DueDate).SingleAsync());
        }

        Assert.Contains(_portal.SentMail(), m => m.To == DemoData.OtherSupplierUserEmail && m.Text.Contains("Supplier asked for it by phone.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ExtendDueDate_AssessmentOfAnotherSupplier_Returns404()
    {
        using var client = await ClientAsync("procurement.write");
        using var response = await client.PostAsJsonAsync(
            new Uri($"/api/v1/suppliers/{DemoData.MeridianSupplierId}/assessments/{DemoData.CalderaAssessmentId}/due-date", UriKind.Relative),
            new { dueDate = Day(90), reason = "Supplier asked for it by phone." });
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task OpenApiDocument_DescribesTheWriteEndpoints()
    {
        using var client = _portal.CreateClient();
        using var json = JsonDocument.Parse(await client.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative)));
        var paths = json.RootElement.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/api/v1/suppliers/{id}/assessments", out _));
        Assert.True(paths.TryGetProperty("/api/v1/suppliers/{id}/assessments/{assessmentId}/due-date", out _));
    }
}
