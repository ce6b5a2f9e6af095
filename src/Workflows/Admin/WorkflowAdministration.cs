using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Remediation;
using SupplierAssure.Core.WorkflowStore;
using SupplierAssure.Workflows.Hosting;
using SupplierAssure.Workflows.Persistence;
using WorkflowCore.Interface;
using WorkflowCore.Models;

namespace SupplierAssure.Workflows.Admin;

/// <summary>One line of the administrator's instance list.</summary>
public sealed record WorkflowInstanceRow(
    string Id,
    string Definition,
    int Version,
    string? Reference,
    WorkflowStatus Status,
    DateTime CreatedAt,
    DateTime? CompletedAt,
    DateTime? NextExecution,
    Guid? SupplierId,
    string? Supplier,
    int ErrorCount);

/// <summary>One step of an instance's history (an execution pointer).</summary>
public sealed record WorkflowStepRow(
    string PointerId, int StepId, string? Name, PointerStatus Status, bool Active, DateTime? StartedAt, DateTime? EndedAt,
    DateTime? SleepUntil, int RetryCount, string? EventName, string? EventKey);

/// <summary>One page of the instance list (newest first), with where it stands in the whole filtered list.</summary>
public sealed record WorkflowInstancePage(IReadOnlyList<WorkflowInstanceRow> Rows, int Page, int PageCount, int Total);

public sealed record WorkflowErrorRow(DateTime At, string PointerId, string Message);

public sealed record WorkflowInstanceDetail(WorkflowInstanceRow Instance, IReadOnlyList<WorkflowStepRow> Steps, IReadOnlyList<WorkflowErrorRow> Errors);

/// <summary>
/// What the administrator's workflow page reads and does: list instances (by type, state, supplier), show one's step
/// history and errors, retry one (resume a suspended instance, or run a waiting one now) or terminate it. The
/// instance's supplier is found through its reference (an assessment, a remediation case, a credential, or the supplier itself).
/// </summary>
public sealed class WorkflowAdministration(
    IDbContextFactory<SupplierAssureDbContext> contexts,
    EfCorePersistenceProvider store,
    WorkflowDefinitions definitions,
    IWorkflowController controller,
    InstanceWaker waker)
{
    public const int PageSize = 50;

    /// <summary>The first page of the filtered list.</summary>
    public async Task<IReadOnlyList<WorkflowInstanceRow>> ListAsync(string? definition, WorkflowStatus? status, Guid? supplierId, CancellationToken cancellationToken) =>
        (await ListPageAsync(definition, status, supplierId, 1, cancellationToken)).Rows;

    /// <summary>
    /// Page <paramref name="page"/> (from 1; one past the last gives the last) of the filtered list, newest first, ties
    /// broken by id so that pages neither repeat nor skip an instance.
    /// </summary>
    public async Task<WorkflowInstancePage> ListPageAsync(string? definition, WorkflowStatus? status, Guid? supplierId, int page, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(page, 1);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        IQueryable<PersistedWorkflow> query = db.Set<PersistedWorkflow>().AsNoTracking();
        if (!string.IsNullOrWhiteSpace(definition))
        {
            query = query.Where(w => w.WorkflowDefinitionId == definition);
        }

        if (status is { } wanted)
        {
            var value = (int)wanted;
            query = query.Where(w => w.Status == value);
        }

        if (supplierId is { } supplier)
        {
            var references = db.Assessments.Where(a => a.SupplierId == supplier).Select(a => a.Id.ToString())
                .Concat(db.Set<RemediationCase>().Where(r => r.SupplierId == supplier).Select(r => r.Id.ToString()))
                .Concat(db.Credentials.Where(c => c.SupplierId == supplier).Select(c => c.Id.ToString()));
            // Onboarding and exclusion re-validation are referenced by the supplier's own id.
            var keys = (await references.ToListAsync(cancellationToken)).Append(supplier.ToString("D")).Select(k => k.ToLowerInvariant()).ToList();
            query = query.Where(w => w.Reference != null && keys.Contains(w.Reference));
        }

        var total = await query.CountAsync(cancellationToken);
        var pageCount = Math.Max(1, (total + PageSize - 1) / PageSize);
        page = Math.Min(page, pageCount);
        var rows = await query.OrderByDescending(w => w.CreateTime).ThenBy(w => w.Id).Skip((page - 1) * PageSize).Take(PageSize)
            .Select(w => new { w.Id, w.WorkflowDefinitionId, w.DefinitionVersion, w.Reference, w.Status, w.CreateTime, w.CompleteTime, w.NextExecution })
            .ToListAsync(cancellationToken);
        var ids = rows.ConvertAll(r => r.Id);
        var errors = await db.Set<PersistedExecutionError>().AsNoTracking()
            .Where(e => ids.Contains(e.WorkflowId))
            .GroupBy(e => e.WorkflowId)
            .Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
        var suppliers = await SuppliersOfAsync(db, rows.Select(r => r.Reference), cancellationToken);
        return new WorkflowInstancePage(rows.ConvertAll(r =>
        {
            var owner = r.Reference is not null && suppliers.TryGetValue(r.Reference, out var s) ? s : default;
            return new WorkflowInstanceRow(
                r.Id.ToString("D"), r.WorkflowDefinitionId, r.DefinitionVersion, r.Reference, (WorkflowStatus)r.Status,
                DateTime.SpecifyKind(r.CreateTime, DateTimeKind.Utc), r.CompleteTime is { } c ? DateTime.SpecifyKind(c, DateTimeKind.Utc) : null,
                r.NextExecution is { } ticks ? new DateTime(ticks, DateTimeKind.Utc) : null,
                owner.Id == Guid.Empty ? null : owner.Id, owner.Name, errors.GetValueOrDefault(r.Id));
        }), page, pageCount, total);
    }

    public async Task<WorkflowInstanceDetail?> GetAsync(string id, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(id, out var key))
        {
            return null;
        }

        definitions.EnsureRegistered();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var exists = await db.Set<PersistedWorkflow>().AsNoTracking().AnyAsync(w => w.Id == key, cancellationToken);
        if (!exists)
        {
            return null;
        }

        var instance = await store.GetWorkflowInstance(key.ToString("D"), cancellationToken);
        var errors = await db.Set<PersistedExecutionError>().AsNoTracking()
            .Where(e => e.WorkflowId == key)
            .OrderByDescending(e => e.ErrorTime)
            .Take(PageSize)
            .Select(e => new WorkflowErrorRow(e.ErrorTime, e.ExecutionPointerId, e.Message))
            .ToListAsync(cancellationToken);
        var suppliers = await SuppliersOfAsync(db, [instance.Reference], cancellationToken);
        var owner = instance.Reference is not null && suppliers.TryGetValue(instance.Reference, out var s) ? s : default;
        var row = new WorkflowInstanceRow(
            instance.Id, instance.WorkflowDefinitionId, instance.Version, instance.Reference, instance.Status,
            instance.CreateTime, instance.CompleteTime, instance.NextExecution is { } ticks ? new DateTime(ticks, DateTimeKind.Utc) : null,
            owner.Id == Guid.Empty ? null : owner.Id, owner.Name, errors.Count);
        var steps = instance.ExecutionPointers
            .OrderBy(p => p.StartTime ?? DateTime.MaxValue).ThenBy(p => p.StepId)
            .Select(p => new WorkflowStepRow(p.Id, p.StepId, p.StepName, p.Status, p.Active, p.StartTime, p.EndTime, p.SleepUntil, p.RetryCount, p.EventName, p.EventKey))
            .ToList();
        return new WorkflowInstanceDetail(row, steps, errors.ConvertAll(e => e with { At = DateTime.SpecifyKind(e.At, DateTimeKind.Utc) }));
    }

    /// <summary>Resumes a suspended instance, or makes a runnable one (waiting on a timer or a retry) due now.</summary>
    public async Task<bool> RetryAsync(string id, CancellationToken cancellationToken)
    {
        definitions.EnsureRegistered();
        var instance = await store.GetWorkflowInstance(id, cancellationToken);
        return instance.Status switch
        {
            WorkflowStatus.Suspended => await controller.ResumeWorkflow(id),
            WorkflowStatus.Runnable => await waker.WakeAsync(id, cancellationToken),
            _ => false,
        };
    }

    /// <summary>Ends a running or suspended instance for good; the engine runs none of its steps again.</summary>
    public async Task<bool> TerminateAsync(string id)
    {
        definitions.EnsureRegistered();
        // WorkflowCore refuses (false) while the engine holds the instance's lock for a step; a step takes moments,
        // so try again briefly before reporting that it could not be done.
        for (var attempt = 0; attempt < 50; attempt++)
        {
            if (await controller.TerminateWorkflow(id))
            {
                return true;
            }

            var status = (await store.GetWorkflowInstance(id)).Status;
            if (status is not (WorkflowStatus.Runnable or WorkflowStatus.Suspended))
            {
                return false;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }

        return false;
    }

    private static async Task<Dictionary<string, (Guid Id, string Name)>> SuppliersOfAsync(
        SupplierAssureDbContext db, IEnumerable<string?> references, CancellationToken cancellationToken)
    {
        var ids = references.Select(r => Guid.TryParse(r, out var g) ? g : Guid.Empty).Where(g => g != Guid.Empty).Distinct().ToList();
        var result = new Dictionary<string, (Guid, string)>(StringComparer.OrdinalIgnoreCase);
        if (ids.Count == 0)
        {
            return result;
        }

        foreach (var a in await db.Assessments.AsNoTracking().Where(a => ids.Contains(a.Id))
                     .Select(a => new { a.Id, a.SupplierId, a.Supplier!.LegalName }).ToListAsync(cancellationToken))
        {
            result[a.Id.ToString("D")] = (a.SupplierId, a.LegalName);
        }

        foreach (var r in await (from c in db.Set<RemediationCase>().AsNoTracking()
                                 join s in db.Suppliers.AsNoTracking() on c.SupplierId equals s.Id
                                 where ids.Contains(c.Id)
                                 select new { c.Id, c.SupplierId, s.LegalName }).ToListAsync(cancellationToken))
        {
            result[r.Id.ToString("D")] = (r.SupplierId, r.LegalName);
        }

        foreach (var c in await (from credential in db.Credentials.AsNoTracking()
                                 join s in db.Suppliers.AsNoTracking() on credential.SupplierId equals s.Id
                                 where ids.Contains(credential.Id)
                                 select new { credential.Id, credential.SupplierId, s.LegalName }).ToListAsync(cancellationToken))
        {
            result[c.Id.ToString("D")] = (c.SupplierId, c.LegalName);
        }

        foreach (var s in await db.Suppliers.AsNoTracking().Where(s => ids.Contains(s.Id)).Select(s => new { s.Id, s.LegalName }).ToListAsync(cancellationToken))
        {
            result[s.Id.ToString("D")] = (s.Id, s.LegalName);
        }

        return result;
    }
}
