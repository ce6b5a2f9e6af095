using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Common;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.SecondPartyAudits;
using SupplierAssure.Portal.Extensions;

namespace SupplierAssure.Portal.Features.Audits;

/// <summary>
/// Working offline (operator staff only): download the checklist and findings as a workbook, upload the edited file,
/// see what it would change (new findings, changes, conflicts with both values, problems by row and cell), choose per
/// conflict and confirm. The preview writes nothing; the uploaded rows travel to the confirmation in a protected,
/// time-limited form field, and the confirmation validates and compares them again before writing all or nothing.
/// </summary>
[Authorize]
public sealed partial class OfflineModel(
    SupplierAssureDbContext db,
    OfflineRoundTripHandler handler,
    IDataProtectionProvider protection,
    TimeProvider clock,
    ILogger<OfflineModel> logger) : PageModel
{
    private static readonly TimeSpan PreviewLifetime = TimeSpan.FromHours(2);

    public SupplierAudit Audit { get; private set; } = null!;
    public string SupplierName { get; private set; } = string.Empty;
    public bool IsAssigned { get; private set; }
    public bool Locked { get; private set; }

    /// <summary>The preview being shown, with <see cref="Payload"/> carrying the uploaded rows to the confirmation.</summary>
    public OfflinePlan? Plan { get; private set; }
    public IReadOnlyList<OfflineCellError> FileErrors { get; private set; } = [];
    public string? Problem { get; private set; }

    [BindProperty]
    public IFormFile? Workbook { get; set; }

    [BindProperty]
    public string? Payload { get; set; }

    [BindProperty]
    public string? Fingerprint { get; set; }

    /// <summary>Per conflict key: "file" (write the file's values) or "portal" (keep the Portal's).</summary>
    [BindProperty]
    public Dictionary<string, string> Choice { get; set; } = [];

    [TempData]
    public string? Message { get; set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken) =>
        Refusal(write: false) ?? (await LoadAsync(id, cancellationToken) ? Page() : NotFound());

    /// <summary>The workbook: the ten steps with their records and the findings, with the hidden id and version columns.</summary>
    public async Task<IActionResult> OnGetExportAsync(Guid id, CancellationToken cancellationToken)
    {
        if (Refusal(write: false) is { } refused)
        {
            return refused;
        }

        var export = await handler.ExportAsync(id, cancellationToken);
        if (export is null)
        {
            return NotFound();
        }

        var name = $"audit-{export.ExportedAt.UtcDateTime:yyyyMMdd-HHmm}-{id.ToString("N")[..8]}.xlsx";
        return File(AuditWorkbook.Write(export), AuditWorkbook.ContentType, name);
    }

    public async Task<IActionResult> OnPostPreviewAsync(Guid id, CancellationToken cancellationToken)
    {
        if (Refusal(write: true) is { } refused)
        {
            return refused;
        }

        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }

        if (Workbook is null || Workbook.Length == 0)
        {
            ModelState.AddModelError(nameof(Workbook), "Choose the edited workbook (.xlsx) to import.");
            return Page();
        }

        if (Workbook.Length > AuditWorkbook.MaxUploadBytes)
        {
            ModelState.AddModelError(nameof(Workbook), "The workbook is larger than 5 MB; an audit's checklist and findings are far smaller. Upload the exported file.");
            return Page();
        }

        if (!Workbook.FileName.EndsWith(".xlsx", StringComparison.OrdinalIgnoreCase))
        {
            ModelState.AddModelError(nameof(Workbook), "Upload the workbook as an .xlsx file (the format it was exported in).");
            return Page();
        }

        OfflineUpload? upload;
        IReadOnlyList<OfflineCellError> errors;
        await using (var stream = Workbook.OpenReadStream())
        {
            (upload, errors) = AuditWorkbook.Read(stream);
        }

        if (upload is null)
        {
            LogUnreadable(id, errors.Count);
            FileErrors = errors;
            return Page();
        }

        var outcome = await handler.PreviewAsync(id, AuditAccess.Actor(User), upload, cancellationToken);
        if (!outcome.Succeeded)
        {
            return ShowRefusal(outcome);
        }

        Show(outcome.Value!, upload, id);
        return Page();
    }

    public async Task<IActionResult> OnPostApplyAsync(Guid id, CancellationToken cancellationToken)
    {
        if (Refusal(write: true) is { } refused)
        {
            return refused;
        }

        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }

        if (Unprotect(id) is not { } upload)
        {
            ModelState.AddModelError(nameof(Workbook), "This preview has expired or was not made here; upload the workbook again. Nothing was imported.");
            return Page();
        }

        var choices = Choice.Where(c => c.Value is "file" or "portal").ToDictionary(c => c.Key, c => c.Value == "file", StringComparer.Ordinal);
        var outcome = await handler.ApplyAsync(id, AuditAccess.Actor(User), upload, Fingerprint, choices, cancellationToken);
        if (!outcome.Succeeded)
        {
            return ShowRefusal(outcome);
        }

        var result = outcome.Value!;
        if (!result.Applied)
        {
            Problem = result.Problem;
            Show(result.Plan, upload, id);
            return Page();
        }

        var keptPortal = result.Plan.Changes.Count(c => c.Kind == OfflineChangeKind.Conflict && !choices[c.Key]);
        Message = $"Imported: {result.Added} new finding(s), {result.Updated} row(s) updated, {keptPortal} conflict(s) kept as in the Portal.";
        return RedirectToPage("Run", new { id });
    }

    private void Show(OfflinePlan plan, OfflineUpload upload, Guid auditId)
    {
        Plan = plan;
        FileErrors = plan.Errors;
        Fingerprint = plan.Fingerprint;
        Payload = plan.HasErrors ? null : Protector(auditId).Protect(JsonSerializer.Serialize(upload), clock.GetUtcNow() + PreviewLifetime);
        // The choices shown are the ones posted (a redisplay after a refused confirmation keeps them).
        ModelState.Remove(nameof(Payload));
        ModelState.Remove(nameof(Fingerprint));
    }

    private OfflineUpload? Unprotect(Guid auditId)
    {
        if (string.IsNullOrEmpty(Payload))
        {
            return null;
        }

        try
        {
            var json = Protector(auditId).Unprotect(Payload, out var expiration);
            return expiration < clock.GetUtcNow() ? null : JsonSerializer.Deserialize<OfflineUpload>(json);
        }
        catch (CryptographicException)
        {
            // Tampered with, expired, or protected for another audit or user: treated as no preview at all.
            return null;
        }
    }

    /// <summary>Bound to the audit and the user, so a preview cannot be confirmed on another audit or by someone else.</summary>
    private ITimeLimitedDataProtector Protector(Guid auditId) =>
        protection.CreateProtector("SupplierAssure.Audits.OfflineImport.v1", auditId.ToString("N"), AuditAccess.UserId(User).ToString("N")).ToTimeLimitedDataProtector();

    private IActionResult ShowRefusal(Outcome outcome)
    {
        if (outcome.Status == OutcomeStatus.NotFound)
        {
            return NotFound();
        }

        ModelState.AddOutcomeErrors(outcome);

        return Page();
    }

    private IActionResult? Refusal(bool write)
    {
        if (!AuditAccess.IsStaff(User))
        {
            return NotFound();
        }

        return (write ? AuditAccess.CanAudit(User) : AuditAccess.CanView(User)) ? null : Forbid();
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken cancellationToken)
    {
        var audit = await db.Set<SupplierAudit>().AsNoTracking().SingleOrDefaultAsync(a => a.Id == id, cancellationToken);
        if (audit is null)
        {
            return false;
        }

        Audit = audit;
        SupplierName = await db.Suppliers.AsNoTracking().Where(s => s.Id == audit.SupplierId).Select(s => s.LegalName).SingleAsync(cancellationToken);
        IsAssigned = await AuditTeamHandler.IsAssignedAsync(db, id, AuditAccess.UserId(User), cancellationToken);
        Locked = await db.Set<AuditReport>().AnyAsync(r => r.AuditId == id, cancellationToken);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "An offline workbook uploaded for audit {AuditId} could not be read ({Problems} problem(s) shown to the auditor).")]
    private partial void LogUnreadable(Guid auditId, int problems);
}
