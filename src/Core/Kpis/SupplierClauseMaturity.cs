using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Scoring;

namespace SupplierAssure.Core.Kpis;

/// <summary>
/// A supplier's maturity level in one ISO 28000 clause ("4" … "10") from its newest scored assessment: the dashboard's
/// heat map and its supplier-list filter read these rows with SQL aggregates instead of parsing every score snapshot.
/// Written whenever an assessment is scored (replacing the supplier's rows); the snapshot stays the record.
/// </summary>
public sealed class SupplierClauseMaturity : ISupplierOwned
{
    public Guid SupplierId { get; set; }
    public required string Clause { get; set; }
    public int MaturityLevel { get; set; }
    /// <summary>The scored assessment the level comes from.</summary>
    public Guid AssessmentId { get; set; }

    /// <summary>Replaces <paramref name="supplierId"/>'s clause levels with those of a newly scored assessment (saved by the caller).</summary>
    public static async Task ReplaceAsync(SupplierAssureDbContext db, Guid supplierId, Guid assessmentId, IEnumerable<AreaScore> clauses, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(clauses);
        var set = db.Set<SupplierClauseMaturity>();
        var existing = await set.Where(m => m.SupplierId == supplierId).ToDictionaryAsync(m => m.Clause, StringComparer.Ordinal, cancellationToken);
        foreach (var level in From(supplierId, assessmentId, clauses))
        {
            if (existing.Remove(level.Clause, out var row))
            {
                row.MaturityLevel = level.MaturityLevel;
                row.AssessmentId = assessmentId;
            }
            else
            {
                set.Add(level);
            }
        }

        set.RemoveRange(existing.Values);
    }

    public static IEnumerable<SupplierClauseMaturity> From(Guid supplierId, Guid assessmentId, IEnumerable<AreaScore> clauses) =>
        clauses.Where(c => ProcurementKpis.Clauses.Contains(c.Key))
            .Select(c => new SupplierClauseMaturity { SupplierId = supplierId, Clause = c.Key, MaturityLevel = c.MaturityLevel, AssessmentId = assessmentId });
}

internal sealed class SupplierClauseMaturityConfiguration : IEntityTypeConfiguration<SupplierClauseMaturity>
{
    public void Configure(Microsoft.EntityFrameworkCore.Metadata.Builders.EntityTypeBuilder<SupplierClauseMaturity> b)
    {
        b.ToTable("SupplierClauseMaturities");
        b.HasKey(x => new { x.SupplierId, x.Clause });
        b.Property(x => x.Clause).HasMaxLength(16);
        b.HasOne<Suppliers.Supplier>().WithMany().HasForeignKey(x => x.SupplierId).OnDelete(DeleteBehavior.Cascade);
        // The heat map counts suppliers per (clause, level); a cell's supplier list filters on the same pair.
        b.HasIndex(x => new { x.Clause, x.MaturityLevel });
    }
}
