using System.Linq.Expressions;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Query;
using SupplierAssure.Core.Credentials;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Partners;
using SupplierAssure.Core.Status;
using SupplierAssure.Core.Suppliers;

namespace SupplierAssure.PartnerGateway.Auth;

/// <summary>
/// One supplier as a status look-up needs it, read in a single round trip: the supplier, whether the caller holds a
/// live consent for it, its open findings by grade (one row kept by Core's OpenFindingsCounter) and its credentials.
/// </summary>
internal sealed class StatusLookupRow
{
    public required Supplier Supplier { get; init; }
    public bool Consented { get; init; }
    public int Critical { get; init; }
    public int Major { get; init; }
    public int Minor { get; init; }
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

    // Note: the consent is judged in SQL here, by SharingConsent.IsLiveAt's rule (not revoked; no expiry or expiry
    // after now), instead of loading the consents and calling IsLiveAt: loading them as a collection made the query
    // a third dearer. On SQLite instants are stored by EF's DateTimeOffsetToBinaryConverter, which orders correctly
    // only among equal offsets; `now` is UTC and SharingConsents.GrantAsync stores expiries in UTC, so it is exact.
    // PartnerVisibilityTests runs every consent case through both paths.
    // The open findings come from the supplier's SupplierOpenFindings row (left-joined: no row, none open) instead of
    // six correlated counts: SQLite prepares the statement on every call, and preparing the counts was about half
    // of a look-up's CPU time (docs/performance.md).
    private static readonly Expression<Func<SupplierAssureDbContext, string, string, DateTimeOffset, Supplier, SupplierOpenFindings?, StatusLookupRow>> Projection =
        (db, clientId, scope, now, s, open) => new StatusLookupRow
        {
            Supplier = s,
            Consented = db.SharingConsents.IgnoreQueryFilters().Any(c => c.SupplierId == s.Id && c.PartnerClientId == clientId && c.Scope == scope
                && c.RevokedAt == null && (c.ExpiresAt == null || c.ExpiresAt > now)),
            Critical = open == null ? 0 : open.Critical,
            Major = open == null ? 0 : open.Major,
            Minor = open == null ? 0 : open.Minor,
            Improvements = open == null ? 0 : open.Improvements,
            Credentials = db.Credentials.IgnoreQueryFilters().Where(c => c.SupplierId == s.Id).ToList(),
        };

    // Note: the tenant query filters are left out (IgnoreQueryFilters) because they never narrow anything here: the
    // gateway's context has system scope and consent is what limits a partner (the projection's Consented, judged by
    // PartnerVisibility). Left in, they add "@SeesAll OR SupplierId = @Tenant" to every table of a statement SQLite
    // prepares on every call, about a fifth of its preparation time.
    private static readonly Expression<Func<SupplierAssureDbContext, IQueryable<Supplier>>> Suppliers = db => db.Suppliers.AsNoTracking().IgnoreQueryFilters();

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

    // Builds (db, key, clientId, scope, now, ct) => db.Suppliers.AsNoTracking().Where(matches)
    //     .LeftJoin(db.Set<SupplierOpenFindings>(), s => s.Id, o => o.SupplierId, Projection).SingleOrDefault()
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
        var open = Expression.Parameter(typeof(SupplierOpenFindings), "open");
        var where = Expression.Lambda<Func<Supplier, bool>>(
            new ReplacingExpressionVisitor([matches.Parameters[0], matches.Parameters[1]], [supplier, key]).Visit(matches.Body), supplier);
        var select = Expression.Lambda<Func<Supplier, SupplierOpenFindings, StatusLookupRow>>(
            new ReplacingExpressionVisitor([.. Projection.Parameters], [db, clientId, scope, now, supplier, open]).Visit(Projection.Body), supplier, open);
        var source = ReplacingExpressionVisitor.Replace(Suppliers.Parameters[0], db, Suppliers.Body);
        var counts = Expression.Call(db, nameof(DbContext.Set), [typeof(SupplierOpenFindings)]);
        Expression<Func<Supplier, Guid>> supplierKey = s => s.Id;
        Expression<Func<SupplierOpenFindings, Guid>> countsKey = o => o.SupplierId;

        var query = Expression.Call(typeof(Queryable), nameof(Queryable.SingleOrDefault), [typeof(StatusLookupRow)],
            Expression.Call(typeof(Queryable), nameof(Queryable.LeftJoin), [typeof(Supplier), typeof(SupplierOpenFindings), typeof(Guid), typeof(StatusLookupRow)],
                Expression.Call(typeof(Queryable), nameof(Queryable.Where), [typeof(Supplier)], source, Expression.Quote(where)),
                counts, Expression.Quote(supplierKey), Expression.Quote(countsKey), Expression.Quote(select)));
        var compiled = EF.CompileAsyncQuery(
            Expression.Lambda<Func<SupplierAssureDbContext, TKey, string, string, DateTimeOffset, CancellationToken, StatusLookupRow?>>(
                query, db, key, clientId, scope, now, cancellation));
        return (context, value, client, consentScope, at, cancellationToken) => compiled(context, value, client, consentScope, at, cancellationToken);
    }
}
