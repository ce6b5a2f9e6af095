using System.Linq.Expressions;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Query;
using SupplierAssure.Core.Credentials;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Findings;
using SupplierAssure.Core.Incidents;
using SupplierAssure.Core.Partners;
using SupplierAssure.Core.Suppliers;

namespace SupplierAssure.PartnerGateway.Auth;

/// <summary>
/// One supplier as a status look-up needs it, read in a single round trip: the supplier, whether the caller holds a
/// live consent for it, its open findings by grade and its credentials.
/// </summary>
internal sealed class StatusLookupRow
{
    public required Supplier Supplier { get; init; }
    public bool Consented { get; init; }
    public int CriticalIncidents { get; init; }
    public int MajorIncidents { get; init; }
    public int MinorIncidents { get; init; }
    public int MajorNonconformities { get; init; }
    public int MinorNonconformities { get; init; }
    public int Improvements { get; init; }
    public required List<Credential> Credentials { get; init; }
}

/// <summary>
/// The status look-up as EF Core compiled queries, one per identifier kind, all sharing one projection.
/// GetSecurityStatus is the gateway's hottest call: a compiled query skips building, hashing and looking up the
/// LINQ tree on every call, and one query instead of two (visibility, then details) halves the statements
/// SQLite prepares per look-up (docs/performance.md has the before and after).
/// </summary>
// A compiled query belongs to the model it first ran against (EF refuses it for any other), and a process may hold
// several models (each test host has its own), so there is one set of these per model rather than static fields.
internal sealed class StatusLookupQueries
{
    private static readonly ConditionalWeakTable<IModel, StatusLookupQueries> PerModel = [];

    public delegate Task<StatusLookupRow?> Lookup<in TKey>(
        SupplierAssureDbContext db, TKey key, string clientId, string consentScope, DateTimeOffset now, CancellationToken cancellationToken);

    // The open-finding rules are those of SecurityStatusDetails.LoadAsync, which serves batches and the watch feed.
    // Note: the consent is judged in SQL here, by SharingConsent.IsLiveAt's rule (not revoked; no expiry or expiry
    // after now), instead of loading the consents and calling IsLiveAt: loading them as a collection made the query
    // a third dearer. On SQLite instants are stored by EF's DateTimeOffsetToBinaryConverter, which orders correctly
    // only among equal offsets; `now` is UTC and SharingConsents.GrantAsync stores expiries in UTC, so it is exact.
    // PartnerVisibilityTests runs every consent case through both paths.
    private static readonly Expression<Func<SupplierAssureDbContext, string, string, DateTimeOffset, Supplier, StatusLookupRow>> Projection =
        (db, clientId, scope, now, s) => new StatusLookupRow
        {
            Supplier = s,
            Consented = db.SharingConsents.Any(c => c.SupplierId == s.Id && c.PartnerClientId == clientId && c.Scope == scope
                && c.RevokedAt == null && (c.ExpiresAt == null || c.ExpiresAt > now)),
            CriticalIncidents = db.Findings.Count(f => f.SupplierId == s.Id && f.State != FindingState.Closed && f.Grade == FindingGrade.Critical),
            MajorIncidents = db.Findings.Count(f => f.SupplierId == s.Id && f.State != FindingState.Closed && f.Grade == FindingGrade.Major),
            MinorIncidents = db.Findings.Count(f => f.SupplierId == s.Id && f.State != FindingState.Closed && f.Grade == FindingGrade.Minor),
            MajorNonconformities = db.Set<AssessmentFinding>().Count(f => f.SupplierId == s.Id && f.State == AssessmentFindingState.Open && f.Grade == NonconformityGrade.MajorNonconformity),
            MinorNonconformities = db.Set<AssessmentFinding>().Count(f => f.SupplierId == s.Id && f.State == AssessmentFindingState.Open && f.Grade == NonconformityGrade.MinorNonconformity),
            Improvements = db.Set<AssessmentFinding>().Count(f => f.SupplierId == s.Id && f.State == AssessmentFindingState.Open && f.Grade == NonconformityGrade.OpportunityForImprovement),
            Credentials = db.Credentials.Where(c => c.SupplierId == s.Id).ToList(),
        };

    private static readonly Expression<Func<SupplierAssureDbContext, IQueryable<Supplier>>> Suppliers = db => db.Suppliers.AsNoTracking();

    public Lookup<Guid> ById { get; } = Compile<Guid>((s, id) => s.Id == id);
    public Lookup<string> ByLei { get; } = Compile<string>((s, value) => s.Lei == value);
    public Lookup<string> ByDuns { get; } = Compile<string>((s, value) => s.Duns == value);
    public Lookup<string> ByEori { get; } = Compile<string>((s, value) => s.Eori == value);
    public Lookup<string> ByVat { get; } = Compile<string>((s, value) => s.Vat == value);

    /// <summary>The compiled look-ups for <paramref name="db"/>'s model.</summary>
    public static StatusLookupQueries For(SupplierAssureDbContext db)
    {
        ArgumentNullException.ThrowIfNull(db);
        return PerModel.GetValue(db.Model, _ => new StatusLookupQueries());
    }

    // Builds (db, key, clientId, scope, now, ct) => db.Suppliers.AsNoTracking().Where(matches).Select(Projection).SingleOrDefault()
    // from the parts above, so the five kinds differ only in their predicate.
    private static Lookup<TKey> Compile<TKey>(Expression<Func<Supplier, TKey, bool>> matches)
    {
        var db = Expression.Parameter(typeof(SupplierAssureDbContext), "db");
        var key = Expression.Parameter(typeof(TKey), "key");
        var clientId = Expression.Parameter(typeof(string), "clientId");
        var scope = Expression.Parameter(typeof(string), "scope");
        var now = Expression.Parameter(typeof(DateTimeOffset), "now");
        var cancellation = Expression.Parameter(typeof(CancellationToken), "cancellationToken");

        var supplier = Expression.Parameter(typeof(Supplier), "s");
        var where = Expression.Lambda<Func<Supplier, bool>>(
            new ReplacingExpressionVisitor([matches.Parameters[0], matches.Parameters[1]], [supplier, key]).Visit(matches.Body), supplier);
        var select = Expression.Lambda<Func<Supplier, StatusLookupRow>>(
            new ReplacingExpressionVisitor([.. Projection.Parameters], [db, clientId, scope, now, supplier]).Visit(Projection.Body), supplier);
        var source = ReplacingExpressionVisitor.Replace(Suppliers.Parameters[0], db, Suppliers.Body);

        var query = Expression.Call(typeof(Queryable), nameof(Queryable.SingleOrDefault), [typeof(StatusLookupRow)],
            Expression.Call(typeof(Queryable), nameof(Queryable.Select), [typeof(Supplier), typeof(StatusLookupRow)],
                Expression.Call(typeof(Queryable), nameof(Queryable.Where), [typeof(Supplier)], source, Expression.Quote(where)),
                Expression.Quote(select)));
        var compiled = EF.CompileAsyncQuery(
            Expression.Lambda<Func<SupplierAssureDbContext, TKey, string, string, DateTimeOffset, CancellationToken, StatusLookupRow?>>(
                query, db, key, clientId, scope, now, cancellation));
        return (context, value, client, consentScope, at, cancellationToken) => compiled(context, value, client, consentScope, at, cancellationToken);
    }
}
