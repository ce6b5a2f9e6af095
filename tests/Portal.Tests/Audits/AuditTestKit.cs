using System.Globalization;
using System.Net;
using SupplierAssure.Core.SecondPartyAudits;
using SupplierAssure.TestSupport;

namespace SupplierAssure.Portal.Tests.Audits;

/// <summary>What the audit tests do through the pages, in one place.</summary>
internal static class AuditTestKit
{
    /// <summary>A day this many days from today, at the given UTC hour, as the datetime-local inputs send it.</summary>
    public static string At(int days, int hour, int minute = 0) =>
        DateTime.UtcNow.Date.AddDays(days).AddHours(hour).AddMinutes(minute).ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture);

    public static DateTimeOffset Instant(int days, int hour) => new(DateTime.UtcNow.Date.AddDays(days).AddHours(hour), TimeSpan.Zero);

    public static string Day(int days) => DateTime.UtcNow.Date.AddDays(days).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>Creates an audit through the page as <paramref name="auditor"/>, declaring independence; returns its id.</summary>
    public static async Task<Guid> CreateAuditAsync(PortalSession auditor, Guid supplierId, AuditType type = AuditType.OnSite)
    {
        var path = $"/Audits/Create?supplierId={supplierId}";
        using var response = await auditor.PostFormAsync(path, new Dictionary<string, string>
        {
            ["SupplierId"] = supplierId.ToString(),
            ["Type"] = type.ToString(),
            ["Objectives"] = "Check that the seal and access controls claimed in the questionnaire work in practice.",
            ["ScopeSites"] = "Main warehouse",
            ["ScopeModes"] = "Road",
            ["CriteriaClauses"] = "4, 8, 10",
            ["Declaration"] = "independent",
        }, tokenFrom: path);
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            var body = await response.Content.ReadAsStringAsync();
            throw new InvalidOperationException($"Creating the audit failed: {(int)response.StatusCode} {PortalSession.Parse(body).QuerySelector("[data-testid=errors]")?.TextContent}");
        }

        return Guid.Parse(response.Headers.Location!.OriginalString.Split('/')[^1].Split('?')[0]);
    }

    public static Task<HttpResponseMessage> ProposeAsync(PortalSession session, Guid auditId, params (string Start, string End)[] slots)
    {
        var fields = new Dictionary<string, string>();
        for (var i = 0; i < slots.Length; i++)
        {
            fields[$"Proposals[{i}].Start"] = slots[i].Start;
            fields[$"Proposals[{i}].End"] = slots[i].End;
        }

        return session.PostFormAsync($"/Audits/{auditId}?handler=Propose", fields);
    }

    public static Task<HttpResponseMessage> AcceptAsync(PortalSession session, Guid auditId, Guid slotId) =>
        session.PostFormAsync($"/Audits/{auditId}?handler=Accept", new Dictionary<string, string> { ["slotId"] = slotId.ToString() });

    public static Task<HttpResponseMessage> StepAsync(PortalSession session, Guid auditId, int number, string? records, bool complete = true) =>
        session.PostFormAsync($"/Audits/{auditId}/Run?handler=Step&number={number}", new Dictionary<string, string>
        {
            ["Records"] = records ?? string.Empty,
            ["complete"] = complete ? "true" : "false",
        });

    public static async Task<string> ErrorsAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var document = PortalSession.Parse(await response.Content.ReadAsStringAsync());
        return document.QuerySelector("[data-testid=errors]")?.TextContent ?? string.Empty;
    }
}
