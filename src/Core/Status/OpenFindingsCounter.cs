using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Storage;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Findings;
using SupplierAssure.Core.Incidents;

namespace SupplierAssure.Core.Status;

/// <summary>
/// Keeps <see cref="SupplierOpenFindings"/> right: the one place that writes it. A save that adds, changes or removes
/// an incident finding or an assessment finding has the rows of the suppliers concerned recounted from the findings
/// tables after EF has written them and before the transaction commits, so every finding write path (Portal pages,
/// workflows, the gateway's incident reports, the demo seeder) keeps the counts without knowing about them.
/// </summary>
// Note: counts are recounted, not incremented: a recount inside the writing transaction cannot drift, whatever the
// order of concurrent saves (SQLite has one writer at a time). Writes that bypass SaveChanges (ExecuteUpdate,
// ExecuteDelete or SQL on the findings tables, bulk loaders such as a seeder's prepared INSERTs) bypass this too and
// must call RecountAsync for the suppliers they wrote, before they commit. tests/PartnerGateway.Tests/
// OpenFindingCountsTests.cs checks the row against a recount through every kind of SaveChanges write.
public sealed class OpenFindingsCounter : SaveChangesInterceptor
{
    public static OpenFindingsCounter Instance { get; } = new();

    // The suppliers a save in progress touches, per context, between SavingChanges and SavedChanges / SaveChangesFailed.
    private static readonly ConditionalWeakTable<DbContext, PendingRecount> Pending = [];

    private OpenFindingsCounter()
    {
    }

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        if (eventData.Context is SupplierAssureDbContext db && AffectedSuppliers(db) is { Count: > 0 } suppliers)
        {
            // Without a transaction of the caller's, open one, so that the findings and their counts commit together.
            var owned = db.Database.CurrentTransaction is null && System.Transactions.Transaction.Current is null
                ? await db.Database.BeginTransactionAsync(cancellationToken)
                : null;
            Pending.AddOrUpdate(db, new PendingRecount(suppliers, owned));
            await AddMissingRowsAsync(db, suppliers, cancellationToken);
        }

        return result;
    }

    public override async ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        if (eventData.Context is SupplierAssureDbContext db && Pending.TryGetValue(db, out var pending))
        {
            Pending.Remove(db);
            try
            {
                await RecountRowsAsync(db, pending.Suppliers, cancellationToken);
                if (pending.Owned is { } owned)
                {
                    await owned.CommitAsync(cancellationToken);
                }
            }
            finally
            {
                // Disposing an uncommitted transaction rolls it back: a failed recount takes the findings with it.
                if (pending.Owned is { } owned)
                {
                    await owned.DisposeAsync();
                }
            }
        }

        return result;
    }

    public override async Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        await AbandonAsync(eventData.Context);
    }

    public override async Task SaveChangesCanceledAsync(DbContextEventData eventData, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        await AbandonAsync(eventData.Context);
    }

    // The synchronous SaveChanges takes the same path; the work itself is asynchronous database I/O either way.
    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result) =>
        SavingChangesAsync(eventData, result).AsTask().GetAwaiter().GetResult();

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result) =>
        SavedChangesAsync(eventData, result).AsTask().GetAwaiter().GetResult();

    public override void SaveChangesFailed(DbContextErrorEventData eventData) =>
        SaveChangesFailedAsync(eventData).GetAwaiter().GetResult();

    public override void SaveChangesCanceled(DbContextEventData eventData) =>
        SaveChangesCanceledAsync(eventData).GetAwaiter().GetResult();

    /// <summary>
    /// Rolls back the transaction a save of <paramref name="context"/> opened when the save failed on a concurrency
    /// token. EF does not raise SaveChangesFailed for that failure (only ThrowingConcurrencyException, while the batch
    /// is still being read), so <see cref="SupplierAssureDbContext"/> calls this after the exception has left EF.
    /// </summary>
    internal static Task ConcurrencyFailedAsync(DbContext context) => AbandonAsync(context);

    /// <summary>
    /// Recounts the rows of <paramref name="supplierIds"/> from the findings tables, creating missing rows, and
    /// saves. For code that writes findings without SaveChanges (none today); ordinary saves need not call it.
    /// </summary>
    public static async Task RecountAsync(SupplierAssureDbContext db, IReadOnlyCollection<Guid> supplierIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(supplierIds);
        var ids = supplierIds.Distinct().ToList();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await AddMissingRowsAsync(db, ids, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await RecountRowsAsync(db, ids, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private static async Task AbandonAsync(DbContext? context)
    {
        if (context is not null && Pending.TryGetValue(context, out var pending))
        {
            Pending.Remove(context);
            if (pending.Owned is { } owned)
            {
                await owned.DisposeAsync();
            }
        }
    }

    // Suppliers whose open findings a save may change: any added or removed finding, and any changed one (its
    // supplier before and after, should the supplier itself change).
    private static HashSet<Guid> AffectedSuppliers(SupplierAssureDbContext db)
    {
        var suppliers = new HashSet<Guid>();
        foreach (var entry in db.ChangeTracker.Entries())
        {
            if (entry.Entity is not (Finding or AssessmentFinding) || entry.State is EntityState.Unchanged or EntityState.Detached)
            {
                continue;
            }

            var supplierId = entry.Property(nameof(ISupplierOwned.SupplierId));
            suppliers.Add((Guid)supplierId.CurrentValue!);
            if (entry.State is EntityState.Modified or EntityState.Deleted)
            {
                suppliers.Add((Guid)supplierId.OriginalValue!);
            }
        }

        return suppliers;
    }

    // A supplier's row is created by the first save that gives it a finding (and by the migration for those that had
    // findings already); a supplier without a row has none open.
    private static async Task AddMissingRowsAsync(SupplierAssureDbContext db, IReadOnlyCollection<Guid> suppliers, CancellationToken cancellationToken)
    {
        var tracked = db.ChangeTracker.Entries<SupplierOpenFindings>().Select(e => e.Entity.SupplierId).ToHashSet();
        var wanted = suppliers.Where(id => !tracked.Contains(id)).ToList();
        if (wanted.Count == 0)
        {
            return;
        }

        var existing = await db.Set<SupplierOpenFindings>().AsNoTracking()
            .Where(c => wanted.Contains(c.SupplierId)).Select(c => c.SupplierId).ToListAsync(cancellationToken);
        foreach (var id in wanted.Except(existing))
        {
            db.Set<SupplierOpenFindings>().Add(new SupplierOpenFindings { SupplierId = id });
        }
    }

    // The rules of "open" and the grade mapping, in one statement for all the suppliers of a save. Query filters are
    // ignored: a supplier user's context must still count every finding of its supplier.
    private static Task<int> RecountRowsAsync(SupplierAssureDbContext db, IReadOnlyCollection<Guid> suppliers, CancellationToken cancellationToken)
    {
        var ids = suppliers.ToList();
        var incidents = db.Findings.IgnoreQueryFilters();
        var assessment = db.Set<AssessmentFinding>().IgnoreQueryFilters();
        return db.Set<SupplierOpenFindings>().Where(c => ids.Contains(c.SupplierId)).ExecuteUpdateAsync(set => set
            .SetProperty(c => c.Critical, c => incidents.Count(f => f.SupplierId == c.SupplierId && f.State != FindingState.Closed && f.Grade == FindingGrade.Critical))
            .SetProperty(c => c.Major, c =>
                incidents.Count(f => f.SupplierId == c.SupplierId && f.State != FindingState.Closed && f.Grade == FindingGrade.Major)
                + assessment.Count(f => f.SupplierId == c.SupplierId && f.State == AssessmentFindingState.Open && f.Grade == NonconformityGrade.MajorNonconformity))
            .SetProperty(c => c.Minor, c =>
                incidents.Count(f => f.SupplierId == c.SupplierId && f.State != FindingState.Closed && f.Grade == FindingGrade.Minor)
                + assessment.Count(f => f.SupplierId == c.SupplierId && f.State == AssessmentFindingState.Open && f.Grade == NonconformityGrade.MinorNonconformity))
            .SetProperty(c => c.Improvements, c =>
                assessment.Count(f => f.SupplierId == c.SupplierId && f.State == AssessmentFindingState.Open && f.Grade == NonconformityGrade.OpportunityForImprovement)),
            cancellationToken);
    }

    private sealed record PendingRecount(HashSet<Guid> Suppliers, IDbContextTransaction? Owned);
}
