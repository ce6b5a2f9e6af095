using System.Data;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Common;
using SupplierAssure.Core.Data;

namespace SupplierAssure.Core.SecondPartyAudits;

/// <summary>Sheet and column names of the offline workbook, shared by the export and the import.</summary>
public static class OfflineColumns
{
    public const string StepsSheet = "Checklist";
    public const string FindingsSheet = "Findings";
    public const string AboutSheet = "About";

    public const string RowId = "Row id";
    public const string RowVersion = "Row version";
    public const string RowCheck = "Row check";

    public const string Step = "Step";
    public const string Title = "Title";
    public const string Prompt = "What to record";
    public const string Done = "Done";
    public const string Records = "Records";

    public const string Reference = "Clause or domain";
    public const string Grade = "Grade";
    public const string Evidence = "Objective evidence";
    public const string Site = "Site";
    public const string Released = "Released to supplier";

    public const string AboutKey = "Item";
    public const string AboutValue = "Value";
    public const string AuditIdItem = "Audit id";
}

/// <summary>One problem in an uploaded workbook, where it is: sheet, spreadsheet row (1 is the header) and column.</summary>
public sealed record OfflineCellError(string Sheet, int Row, string Column, string Message);

/// <summary>A checklist row as read from the file: raw cell text, validated by <see cref="OfflineRoundTripHandler"/>.</summary>
public sealed record OfflineStepRow(int Row, string? Id, string? Version, string? Check, string? Number, string? Records);

/// <summary>A findings row as read from the file: raw cell text; a blank id is a new finding.</summary>
public sealed record OfflineFindingRow(int Row, string? Id, string? Version, string? Check, string? Reference, string? Grade, string? Evidence, string? Site);

/// <summary>What an uploaded workbook holds, before any validation against the audit.</summary>
public sealed record OfflineUpload(string? AuditId, IReadOnlyList<OfflineStepRow> Steps, IReadOnlyList<OfflineFindingRow> Findings);

public sealed record OfflineStepExport(Guid Id, long Version, string Check, int Number, string Title, string Prompt, string? Records, DateTimeOffset? CompletedAt);

public sealed record OfflineFindingExport(Guid Id, long Version, string Check, string Reference, string Grade, string Evidence, string? Site, DateTimeOffset? ReleasedAt);

/// <summary>The checklist and findings of one audit as they are written to the workbook.</summary>
public sealed record OfflineExport(Guid AuditId, string SupplierName, AuditType Type, DateTimeOffset ExportedAt, bool Locked,
    IReadOnlyList<OfflineStepExport> Steps, IReadOnlyList<OfflineFindingExport> Findings);

public enum OfflineChangeKind
{
    /// <summary>A finding added in the file.</summary>
    New,

    /// <summary>Edited in the file; unchanged in the Portal since the export.</summary>
    Changed,

    /// <summary>Edited in the file and changed in the Portal since the export, to something else: the auditor chooses.</summary>
    Conflict,
}

/// <summary>One field of a change: its value in the Portal now and in the file.</summary>
public sealed record OfflineField(string Name, string? Portal, string? File);

/// <summary>A row the import would write. <see cref="Key"/> names it in the choices ("step-3", "finding-{id}", "new-12").</summary>
public sealed record OfflineChange(string Key, OfflineChangeKind Kind, string Sheet, int Row, string Label, IReadOnlyList<OfflineField> Fields);

/// <summary>
/// What importing the file would do: the changes, every problem by row and cell, how many rows are unchanged and how
/// many were changed only in the Portal (kept). <see cref="Fingerprint"/> names this plan, so the confirmation applies
/// exactly what was shown.
/// </summary>
public sealed record OfflinePlan(IReadOnlyList<OfflineChange> Changes, IReadOnlyList<OfflineCellError> Errors, int Unchanged, int KeptFromPortal, string Fingerprint)
{
    public bool HasErrors => Errors.Count > 0;
}

/// <summary>The result of a confirmation: written (with counts), or not, with the plan as it stands now and why.</summary>
public sealed record OfflineApplyResult(bool Applied, OfflinePlan Plan, string? Problem, int Added, int Updated);

/// <summary>
/// The offline round trip of an audit's checklist and findings. The export carries, per row, its id, its row version
/// and a check of the editable values as exported (hidden columns). The import compares three things: the file's
/// values against that check (did the auditor edit the row?), the row version against the database (did someone change
/// it in the Portal since?), and the file's values against the database. Edited only in the file: a change. Changed
/// only in the Portal: kept. Both, to different values: a conflict the auditor decides. Nothing is written by the
/// preview; the confirmation re-reads everything inside one writer-locked transaction and writes all or nothing.
/// </summary>
public sealed class OfflineRoundTripHandler(SupplierAssureDbContext db, TimeProvider clock)
{
    public const int MaxRowsPerSheet = 500;

    public async Task<OfflineExport?> ExportAsync(Guid auditId, CancellationToken cancellationToken)
    {
        var audit = await db.Set<SupplierAudit>().AsNoTracking().SingleOrDefaultAsync(a => a.Id == auditId, cancellationToken);
        if (audit is null)
        {
            return null;
        }

        var supplier = await db.Suppliers.AsNoTracking().Where(s => s.Id == audit.SupplierId).Select(s => s.LegalName).SingleAsync(cancellationToken);
        var steps = await db.Set<AuditStep>().AsNoTracking().Where(s => s.AuditId == auditId).OrderBy(s => s.Number).ToListAsync(cancellationToken);
        var findings = await db.Set<AuditFinding>().AsNoTracking().Where(f => f.AuditId == auditId).OrderBy(f => f.RecordedAt).ThenBy(f => f.Id).ToListAsync(cancellationToken);
        var locked = await db.Set<AuditReport>().AnyAsync(r => r.AuditId == auditId, cancellationToken);
        return new OfflineExport(audit.Id, supplier, audit.Type, clock.GetUtcNow(), locked,
            [.. steps.Select(s =>
            {
                var definition = AuditSteps.Get(s.Number);
                return new OfflineStepExport(s.Id, s.Version, StepCheck(s.Records), s.Number, definition.Title, definition.Prompt, s.Records, s.CompletedAt);
            })],
            [.. findings.Select(f => new OfflineFindingExport(f.Id, f.Version, FindingCheck(f.Reference, f.Grade, f.Evidence, f.Site),
                f.Reference, GradeName(f.Grade), f.Evidence, f.Site, f.ReleasedAt))]);
    }

    public async Task<Outcome<OfflinePlan>> PreviewAsync(Guid auditId, AuditActor actor, OfflineUpload upload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(upload);
        if (await AccessAsync(auditId, actor, upload, cancellationToken) is { } refused)
        {
            return Outcome<OfflinePlan>.From(refused);
        }

        var (plan, _) = await PlanAsync(auditId, upload, tracked: false, cancellationToken);
        return Outcome<OfflinePlan>.Ok(plan);
    }

    /// <param name="fingerprint">The <see cref="OfflinePlan.Fingerprint"/> of the preview the auditor confirmed.</param>
    /// <param name="takeFile">Per conflict key: true to write the file's values, false to keep the Portal's.</param>
    public async Task<Outcome<OfflineApplyResult>> ApplyAsync(
        Guid auditId, AuditActor actor, OfflineUpload upload, string? fingerprint, IReadOnlyDictionary<string, bool> takeFile, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(upload);
        ArgumentNullException.ThrowIfNull(takeFile);
        // The writer lock first (BEGIN IMMEDIATE on SQLite, serializable on SQL Server): the plan is read again and
        // written under it, so no save from the Portal can fall between the check and the write.
        await using var transaction = await db.Database.BeginTransactionAsync(IsolationLevel.Serializable, cancellationToken);
        if (await AccessAsync(auditId, actor, upload, cancellationToken) is { } refused)
        {
            return Outcome<OfflineApplyResult>.From(refused);
        }

        var (plan, rows) = await PlanAsync(auditId, upload, tracked: true, cancellationToken);
        if (plan.HasErrors)
        {
            return Outcome<OfflineApplyResult>.Ok(new OfflineApplyResult(false, plan, "The file has problems; correct them and upload it again. Nothing was imported.", 0, 0));
        }

        if (!string.Equals(plan.Fingerprint, fingerprint, StringComparison.Ordinal))
        {
            return Outcome<OfflineApplyResult>.Ok(new OfflineApplyResult(false, plan,
                "The audit changed in the Portal after your preview. Check the preview below again and confirm; nothing was imported yet.", 0, 0));
        }

        var undecided = plan.Changes.Where(c => c.Kind == OfflineChangeKind.Conflict && !takeFile.ContainsKey(c.Key)).ToList();
        if (undecided.Count > 0)
        {
            return Outcome<OfflineApplyResult>.Ok(new OfflineApplyResult(false, plan,
                $"Choose which value to keep for each conflict ({undecided.Count} without a choice). Nothing was imported yet.", 0, 0));
        }

        var now = clock.GetUtcNow();
        int added = 0, updated = 0;
        foreach (var change in plan.Changes)
        {
            if (change.Kind == OfflineChangeKind.Conflict && !takeFile[change.Key])
            {
                continue;
            }

            switch (rows[change.Key])
            {
                case PlannedStep step:
                    step.Entity.Records = step.Records;
                    updated++;
                    break;
                case PlannedFinding { Entity: { } existing } finding:
                    (existing.Reference, existing.Grade, existing.Evidence, existing.Site) = (finding.Reference, finding.Grade, finding.Evidence, finding.Site);
                    updated++;
                    break;
                case PlannedFinding finding:
                    var audit = await db.Set<SupplierAudit>().AsNoTracking().SingleAsync(a => a.Id == auditId, cancellationToken);
                    db.Add(new AuditFinding
                    {
                        Id = Guid.NewGuid(),
                        AuditId = auditId,
                        SupplierId = audit.SupplierId,
                        Reference = finding.Reference,
                        Grade = finding.Grade,
                        Evidence = finding.Evidence,
                        Site = finding.Site,
                        RecordedAt = now.AddTicks(added),
                        RecordedBy = actor.UserId,
                    });
                    added++;
                    break;
            }
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Outcome<OfflineApplyResult>.From(Outcome.Conflict("The audit changed while the import was being written; nothing was imported. Upload the file again."));
        }

        return Outcome<OfflineApplyResult>.Ok(new OfflineApplyResult(true, plan, null, added, updated));
    }

    /// <summary>The words the workbook uses for a grade; the import also takes the enum names and "minor", "major", "OFI".</summary>
    public static string GradeName(AuditGrade grade) => grade switch
    {
        AuditGrade.Conformity => "Conformity",
        AuditGrade.MinorNonconformity => "Minor nonconformity",
        AuditGrade.MajorNonconformity => "Major nonconformity",
        _ => "Opportunity for improvement",
    };

    public static AuditGrade? ParseGrade(string? value)
    {
        var text = value?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        foreach (var grade in Enum.GetValues<AuditGrade>())
        {
            if (string.Equals(text, GradeName(grade), StringComparison.OrdinalIgnoreCase) || string.Equals(text, grade.ToString(), StringComparison.OrdinalIgnoreCase))
            {
                return grade;
            }
        }

        return text.ToUpperInvariant() switch
        {
            "MINOR" or "MINOR NC" => AuditGrade.MinorNonconformity,
            "MAJOR" or "MAJOR NC" => AuditGrade.MajorNonconformity,
            "OFI" => AuditGrade.OpportunityForImprovement,
            _ => null,
        };
    }

    public static string StepCheck(string? records) => Check(Norm(records));

    public static string FindingCheck(string reference, AuditGrade grade, string evidence, string? site) =>
        Check($"{Norm(reference)}\u001f{grade}\u001f{Norm(evidence)}\u001f{Norm(site)}");

    private async Task<Outcome?> AccessAsync(Guid auditId, AuditActor actor, OfflineUpload upload, CancellationToken cancellationToken)
    {
        var audit = await db.Set<SupplierAudit>().AsNoTracking().SingleOrDefaultAsync(a => a.Id == auditId, cancellationToken);
        if (audit is null || actor.IsSupplierUser)
        {
            return Outcome.NotFound();
        }

        if (!await AuditTeamHandler.IsAssignedAsync(db, audit.Id, actor.UserId, cancellationToken))
        {
            return Outcome.Conflict("Only auditors assigned to this audit (independence declared) import its checklist and findings.");
        }

        if (await db.Set<AuditReport>().AnyAsync(r => r.AuditId == audit.Id, cancellationToken))
        {
            return Outcome.Conflict("The report of this audit is issued, so its checklist and findings are locked; nothing was imported. A correction is a new revision of the report.");
        }

        if (!Guid.TryParse(upload.AuditId, out var fileAudit) || fileAudit != audit.Id)
        {
            return Outcome.Invalid("File", "This workbook was not exported from this audit (its About sheet names another audit or none). Export this audit's workbook and enter the changes there.");
        }

        return null;
    }

    private abstract record Planned;

    private sealed record PlannedStep(AuditStep Entity, string? Records) : Planned;

    private sealed record PlannedFinding(AuditFinding? Entity, string Reference, AuditGrade Grade, string Evidence, string? Site) : Planned;

    private async Task<(OfflinePlan Plan, Dictionary<string, Planned> Rows)> PlanAsync(Guid auditId, OfflineUpload upload, bool tracked, CancellationToken cancellationToken)
    {
        var stepQuery = db.Set<AuditStep>().Where(s => s.AuditId == auditId);
        var findingQuery = db.Set<AuditFinding>().Where(f => f.AuditId == auditId);
        var steps = await (tracked ? stepQuery : stepQuery.AsNoTracking()).ToDictionaryAsync(s => s.Id, cancellationToken);
        var findings = await (tracked ? findingQuery : findingQuery.AsNoTracking()).ToDictionaryAsync(f => f.Id, cancellationToken);
        var errors = new List<OfflineCellError>();
        var changes = new List<OfflineChange>();
        var rows = new Dictionary<string, Planned>(StringComparer.Ordinal);
        int unchanged = 0, kept = 0;
        var seen = new HashSet<Guid>();

        if (upload.Steps.Count > MaxRowsPerSheet || upload.Findings.Count > MaxRowsPerSheet)
        {
            errors.Add(new OfflineCellError(upload.Steps.Count > MaxRowsPerSheet ? OfflineColumns.StepsSheet : OfflineColumns.FindingsSheet, MaxRowsPerSheet + 2, string.Empty,
                $"A sheet holds at most {MaxRowsPerSheet} rows."));
            return (new OfflinePlan([], errors, 0, 0, Fingerprint([], steps.Values, findings.Values)), rows);
        }

        foreach (var row in upload.Steps)
        {
            if (IsBlank(row.Id, row.Version, row.Check, row.Number, row.Records))
            {
                continue;
            }

            var error = (string column, string message) => errors.Add(new OfflineCellError(OfflineColumns.StepsSheet, row.Row, column, message));
            if (!Guid.TryParse(row.Id, out var id) || !steps.TryGetValue(id, out var step))
            {
                error(OfflineColumns.RowId, "This row is not a step of this audit's checklist. Keep the hidden id columns as exported; the checklist has no rows to add.");
                continue;
            }

            if (!seen.Add(id))
            {
                error(OfflineColumns.RowId, $"Step {step.Number} appears twice in the sheet; keep one row per step.");
                continue;
            }

            if (!long.TryParse(row.Version, NumberStyles.Integer, CultureInfo.InvariantCulture, out var version))
            {
                error(OfflineColumns.RowVersion, "The row version is missing or not a whole number; keep the hidden columns as exported.");
                continue;
            }

            if (!string.IsNullOrWhiteSpace(row.Number) && row.Number.Trim() != step.Number.ToString(CultureInfo.InvariantCulture))
            {
                error(OfflineColumns.Step, $"This row is step {step.Number}; step numbers cannot be changed.");
                continue;
            }

            var records = AuditText.Clean(row.Records);
            if (records is { Length: > AuditFinding.MaxEvidenceLength })
            {
                error(OfflineColumns.Records, $"Keep the records under {AuditFinding.MaxEvidenceLength} characters (this cell has {records.Length}).");
                continue;
            }

            var edited = !string.Equals(row.Check, StepCheck(records), StringComparison.Ordinal);
            var portalChanged = step.Version != version;
            if (string.Equals(records, step.Records, StringComparison.Ordinal) || !edited)
            {
                // Not edited in the file but different now: changed in the Portal since the export, and kept.
                (kept, unchanged) = Count(kept, unchanged, string.Equals(records, step.Records, StringComparison.Ordinal) || !portalChanged);
                continue;
            }

            if (step.CompletedAt is not null)
            {
                error(OfflineColumns.Records, $"Step {step.Number} is complete; its records are kept as they are.");
                continue;
            }

            var key = $"step-{step.Number}";
            rows[key] = new PlannedStep(step, records);
            changes.Add(new OfflineChange(key, portalChanged ? OfflineChangeKind.Conflict : OfflineChangeKind.Changed, OfflineColumns.StepsSheet, row.Row,
                $"Step {step.Number}: {AuditSteps.Get(step.Number).Title}", [new OfflineField(OfflineColumns.Records, step.Records, records)]));
        }

        var newCount = 0;
        foreach (var row in upload.Findings)
        {
            if (IsBlank(row.Id, row.Version, row.Check, row.Reference, row.Grade, row.Evidence, row.Site))
            {
                continue;
            }

            var error = (string column, string message) => errors.Add(new OfflineCellError(OfflineColumns.FindingsSheet, row.Row, column, message));
            AuditFinding? finding = null;
            long version = 0;
            if (!string.IsNullOrWhiteSpace(row.Id))
            {
                if (!Guid.TryParse(row.Id, out var id) || !findings.TryGetValue(id, out finding))
                {
                    error(OfflineColumns.RowId, "This row id is not a finding of this audit. Leave the id empty for a new finding, and keep the ids of exported rows as they are.");
                    continue;
                }

                if (!seen.Add(id))
                {
                    error(OfflineColumns.RowId, "This finding appears twice in the sheet; keep one row per finding.");
                    continue;
                }

                if (!long.TryParse(row.Version, NumberStyles.Integer, CultureInfo.InvariantCulture, out version))
                {
                    error(OfflineColumns.RowVersion, "The row version is missing or not a whole number; keep the hidden columns as exported.");
                    continue;
                }
            }

            var before = errors.Count;
            var reference = row.Reference?.Trim();
            if (!AuditCriteria.IsValidReference(reference) || reference!.Length > 32)
            {
                error(OfflineColumns.Reference, $"\"{Shorten(reference)}\" is not an ISO 28000 clause from 4 to 10 (such as 8.1) or a control domain ({string.Join(", ", AuditCriteria.Domains)}).");
            }

            var grade = ParseGrade(row.Grade);
            if (grade is null)
            {
                error(OfflineColumns.Grade, $"\"{Shorten(row.Grade)}\" is not a grade: use one of Major nonconformity, Minor nonconformity, Opportunity for improvement, Conformity.");
            }

            var evidence = AuditText.Clean(row.Evidence);
            if (evidence is null)
            {
                error(OfflineColumns.Evidence, "Record the objective evidence: what was seen, read or sampled.");
            }
            else if (evidence.Length > AuditFinding.MaxEvidenceLength)
            {
                error(OfflineColumns.Evidence, $"Keep the evidence under {AuditFinding.MaxEvidenceLength} characters (this cell has {evidence.Length}).");
            }

            var site = AuditText.Clean(row.Site);
            if (site is { Length: > 200 })
            {
                error(OfflineColumns.Site, "Keep the site under 200 characters.");
            }

            if (errors.Count > before)
            {
                continue;
            }

            reference = AuditCriteria.Domains.FirstOrDefault(d => string.Equals(d, reference, StringComparison.OrdinalIgnoreCase)) ?? reference!;
            if (finding is null)
            {
                if (findings.Values.Any(f => f.ReleasedAt is not null))
                {
                    error(OfflineColumns.RowId, "The closing meeting released the findings; new findings can no longer be added.");
                    continue;
                }

                newCount++;
                var key = $"new-{row.Row}";
                rows[key] = new PlannedFinding(null, reference, grade!.Value, evidence!, site);
                changes.Add(new OfflineChange(key, OfflineChangeKind.New, OfflineColumns.FindingsSheet, row.Row, $"New finding against {reference}",
                    [new(OfflineColumns.Reference, null, reference), new(OfflineColumns.Grade, null, GradeName(grade.Value)), new(OfflineColumns.Evidence, null, evidence), new(OfflineColumns.Site, null, site)]));
                continue;
            }

            var same = finding.Reference == reference && finding.Grade == grade && finding.Evidence == evidence && finding.Site == site;
            var edited = !string.Equals(row.Check, FindingCheck(reference, grade!.Value, evidence!, site), StringComparison.Ordinal);
            var portalChanged = finding.Version != version;
            if (same || !edited)
            {
                (kept, unchanged) = Count(kept, unchanged, same || !portalChanged);
                continue;
            }

            if (finding.ReleasedAt is not null)
            {
                error(OfflineColumns.Evidence, "The closing meeting released this finding to the supplier; it can no longer change.");
                continue;
            }

            var changeKey = $"finding-{finding.Id:N}";
            rows[changeKey] = new PlannedFinding(finding, reference, grade.Value, evidence!, site);
            changes.Add(new OfflineChange(changeKey, portalChanged ? OfflineChangeKind.Conflict : OfflineChangeKind.Changed, OfflineColumns.FindingsSheet, row.Row,
                $"Finding against {finding.Reference}",
                [
                    new(OfflineColumns.Reference, finding.Reference, reference),
                    new(OfflineColumns.Grade, GradeName(finding.Grade), GradeName(grade.Value)),
                    new(OfflineColumns.Evidence, finding.Evidence, evidence),
                    new(OfflineColumns.Site, finding.Site, site),
                ]));
        }

        if (findings.Count + newCount > RunAuditHandler.MaxFindings)
        {
            errors.Add(new OfflineCellError(OfflineColumns.FindingsSheet, 1, string.Empty,
                $"An audit holds at most {RunAuditHandler.MaxFindings} findings; this file would make {findings.Count + newCount}."));
        }

        return (new OfflinePlan(changes, errors, unchanged, kept, Fingerprint(changes, steps.Values, findings.Values)), rows);
    }

    /// <summary>The plan's changes and the row versions they were computed against.</summary>
    private static string Fingerprint(IReadOnlyList<OfflineChange> changes, IEnumerable<AuditStep> steps, IEnumerable<AuditFinding> findings)
    {
        var text = new StringBuilder();
        foreach (var change in changes)
        {
            text.Append(change.Key).Append(':').Append(change.Kind).Append(';');
            foreach (var field in change.Fields)
            {
                text.Append(field.File).Append('\u001f');
            }
        }

        foreach (var step in steps.OrderBy(s => s.Number))
        {
            text.Append(CultureInfo.InvariantCulture, $"s{step.Number}={step.Version};");
        }

        foreach (var finding in findings.OrderBy(f => f.Id))
        {
            text.Append(CultureInfo.InvariantCulture, $"f{finding.Id:N}={finding.Version};");
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    private static (int Kept, int Unchanged) Count(int kept, int unchanged, bool isUnchanged) =>
        isUnchanged ? (kept, unchanged + 1) : (kept + 1, unchanged);

    private static bool IsBlank(params string?[] values) => values.All(string.IsNullOrWhiteSpace);

    private static string Norm(string? value) => value?.Trim() ?? string.Empty;

    private static string Check(string value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)))[..16];

    private static string Shorten(string? value) => value is null ? string.Empty : value.Length <= 40 ? value : value[..40] + "…";
}
