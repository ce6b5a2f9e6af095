using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Partners;
using SupplierAssure.Core.Suppliers;
using SupplierAssure.PartnerGateway.Services;

namespace SupplierAssure.PartnerGateway.Auth;

/// <summary>
/// The one place that decides which suppliers a partner client may see: those with a live sharing consent for
/// the client and the operation's consent scope, or all of them for the operator's own integration clients.
/// Every partner operation reads suppliers through this class, never through the context directly.
/// </summary>
// Note: the gateway's request-scoped context has system scope (it sees every supplier), because partners are not
// tenants of the Portal's query filter. Consent is enforced here instead; bypassing this class bypasses consent.
public sealed class PartnerVisibility(SupplierAssureDbContext db, IOptionsMonitor<PartnerGatewayOptions> options, TimeProvider clock, PreparedStatusLookup? prepared = null)
{
    public bool IsOperatorIntegrationClient(PartnerCaller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return options.CurrentValue.OperatorIntegrationClients.Contains(caller.ClientId, StringComparer.Ordinal);
    }

    /// <summary>
    /// The supplier named by <paramref name="identifier"/> when <paramref name="caller"/> may see it under
    /// <paramref name="consentScope"/>; null when there is no such supplier or it is not visible. Callers must
    /// not tell the two apart, or partners could probe who supplies the operator.
    /// </summary>
    public async Task<Supplier?> FindSupplierAsync(PartnerCaller caller, SupplierIdentifier identifier, string consentScope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentException.ThrowIfNullOrEmpty(consentScope);
        var matching = db.Suppliers.AsNoTracking().Where(Matches(identifier));
        if (IsOperatorIntegrationClient(caller))
        {
            return await matching.SingleOrDefaultAsync(cancellationToken);
        }

        // One round trip for the supplier and its candidate consents, so an unknown identifier and a supplier
        // without consent cost about the same. Expiry is then judged by the domain's own rule (IsLiveAt).
        var clientId = caller.ClientId;
        var found = await matching
            .Select(s => new
            {
                Supplier = s,
                Consents = db.SharingConsents
                    .Where(c => c.SupplierId == s.Id && c.PartnerClientId == clientId && c.Scope == consentScope && c.RevokedAt == null)
                    .ToList(),
            })
            .SingleOrDefaultAsync(cancellationToken);
        if (found is null)
        {
            return null;
        }

        var now = clock.GetUtcNow();
        return found.Consents.Exists(c => c.IsLiveAt(now)) ? found.Supplier : null;
    }

    /// <summary>
    /// Like <see cref="FindSupplierAsync"/>, with the supplier's status details: the path of GetSecurityStatus.
    /// On SQLite two statements prepared once per pooled connection (<see cref="PreparedStatusLookup"/>: the
    /// supplier with its consent check and open findings, then its credentials); elsewhere one compiled EF Core
    /// query. Null when there is no such supplier or it is not visible.
    /// </summary>
    // Note: consents are read on every call, not cached, so a revocation in the Portal hides the supplier from the
    // very next look-up (SharingAndStatusDetailsTests checks this with no wait; PartnerVisibilityTests on a
    // connection kept open with its statements). With the statements prepared, the consent check is a few index
    // reads inside the look-up, so a consent cache would save almost nothing and would cost that guarantee. Nor is the status itself cached:
    // knowing that a cached status is still current would take a database read per call anyway (finding changes
    // write no feed row, and the Portal is another process), so the look-up stays one statement that reads the
    // open-finding counts from the row Core's OpenFindingsCounter keeps, instead of counting findings per call.
    internal async Task<(Supplier Supplier, StatusDetails Details)?> FindStatusAsync(
        PartnerCaller caller, SupplierIdentifier identifier, string consentScope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentException.ThrowIfNullOrEmpty(consentScope);
        var clientId = caller.ClientId;
        var value = identifier.Value;
        var now = clock.GetUtcNow();
        var seesAll = IsOperatorIntegrationClient(caller);
        if (prepared is { IsSupported: true })
        {
            // SQLite: the same look-up with statements prepared once per connection (PreparedStatusLookup).
            var found = prepared.Find(identifier.Kind, value, clientId, consentScope, now, seesAll, cancellationToken);
            return found is null || !(found.Consented || seesAll)
                ? null
                : (found.Supplier, SecurityStatusDetails.From(found.Critical, found.Major, found.Minor, found.Improvements, found.Credentials));
        }

        var queries = StatusLookupQueries.For(db);
        var row = identifier.Kind switch
        {
            SupplierIdentifierKind.InternalId => await queries.ById(db, Guid.Parse(value), clientId, consentScope, now, cancellationToken),
            SupplierIdentifierKind.Lei => await queries.ByLei(db, value, clientId, consentScope, now, cancellationToken),
            SupplierIdentifierKind.Duns => await queries.ByDuns(db, value, clientId, consentScope, now, cancellationToken),
            SupplierIdentifierKind.Eori => await queries.ByEori(db, value, clientId, consentScope, now, cancellationToken),
            SupplierIdentifierKind.Vat => await queries.ByVat(db, value, clientId, consentScope, now, cancellationToken),
            _ => throw new ArgumentOutOfRangeException(nameof(identifier), identifier.Kind, "Unknown identifier kind."),
        };
        if (row is null || !(row.Consented || seesAll))
        {
            return null;
        }

        return (row.Supplier, SecurityStatusDetails.From(row.Critical, row.Major, row.Minor, row.Improvements, row.Credentials));
    }

    /// <summary>
    /// The suppliers named by <paramref name="identifiers"/> that <paramref name="caller"/> may see, keyed by the
    /// identifier that named them; identifiers of unknown or hidden suppliers are simply absent. One query per
    /// identifier kind present plus one for consents, however many identifiers there are.
    /// </summary>
    public async Task<IReadOnlyDictionary<SupplierIdentifier, Supplier>> FindSuppliersAsync(
        PartnerCaller caller, IReadOnlyCollection<SupplierIdentifier> identifiers, string consentScope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(identifiers);
        ArgumentException.ThrowIfNullOrEmpty(consentScope);
        var found = new Dictionary<SupplierIdentifier, Supplier>();
        foreach (var kind in identifiers.Select(i => i.Kind).Distinct())
        {
            var values = identifiers.Where(i => i.Kind == kind).Select(i => i.Value).Distinct(StringComparer.Ordinal).ToList();
            var suppliers = await db.Suppliers.AsNoTracking().Where(MatchesAny(kind, values)).ToListAsync(cancellationToken);
            foreach (var supplier in suppliers)
            {
                // The identifier columns are unique, so each value names at most one supplier.
                if (KeyOf(supplier, kind) is { } key)
                {
                    found[new SupplierIdentifier(kind, key)] = supplier;
                }
            }
        }

        if (found.Count == 0 || IsOperatorIntegrationClient(caller))
        {
            return found;
        }

        var visible = await ConsentedAmongAsync(caller, found.Values.Select(s => s.Id).Distinct().ToList(), consentScope, cancellationToken);
        return found.Where(pair => visible.Contains(pair.Value.Id)).ToDictionary();
    }

    /// <summary>
    /// Every supplier the caller may see now, or null when it may see all of them (an operator integration
    /// client). Used by long-lived streams, which filter many changes against one set instead of asking per change.
    /// </summary>
    public async Task<IReadOnlySet<Guid>?> VisibleSupplierIdsAsync(PartnerCaller caller, string consentScope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentException.ThrowIfNullOrEmpty(consentScope);
        if (IsOperatorIntegrationClient(caller))
        {
            return null;
        }

        var clientId = caller.ClientId;
        var consents = await db.SharingConsents.AsNoTracking()
            .Where(c => c.PartnerClientId == clientId && c.Scope == consentScope && c.RevokedAt == null)
            .ToListAsync(cancellationToken);
        return LiveSupplierIds(consents);
    }

    private async Task<HashSet<Guid>> ConsentedAmongAsync(
        PartnerCaller caller, IReadOnlyCollection<Guid> supplierIds, string consentScope, CancellationToken cancellationToken)
    {
        var clientId = caller.ClientId;
        var consents = await db.SharingConsents.AsNoTracking()
            .Where(c => supplierIds.Contains(c.SupplierId) && c.PartnerClientId == clientId && c.Scope == consentScope && c.RevokedAt == null)
            .ToListAsync(cancellationToken);
        return LiveSupplierIds(consents);
    }

    // Expiry is judged by the domain's own rule, as for single look-ups.
    private HashSet<Guid> LiveSupplierIds(List<SharingConsent> consents)
    {
        var now = clock.GetUtcNow();
        return consents.Where(c => c.IsLiveAt(now)).Select(c => c.SupplierId).ToHashSet();
    }

    private static Expression<Func<Supplier, bool>> MatchesAny(SupplierIdentifierKind kind, List<string> values)
    {
        switch (kind)
        {
            case SupplierIdentifierKind.InternalId:
                var ids = values.Select(Guid.Parse).ToList();
                return s => ids.Contains(s.Id);
            case SupplierIdentifierKind.Lei:
                return s => values.Contains(s.Lei!);
            case SupplierIdentifierKind.Duns:
                return s => values.Contains(s.Duns!);
            case SupplierIdentifierKind.Eori:
                return s => values.Contains(s.Eori!);
            case SupplierIdentifierKind.Vat:
                return s => values.Contains(s.Vat!);
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown identifier kind.");
        }
    }

    // The normalised identifier of a kind, as stored on the supplier; the inverse of MatchesAny.
    private static string? KeyOf(Supplier supplier, SupplierIdentifierKind kind) => kind switch
    {
        SupplierIdentifierKind.InternalId => supplier.Id.ToString(),
        SupplierIdentifierKind.Lei => supplier.Lei,
        SupplierIdentifierKind.Duns => supplier.Duns,
        SupplierIdentifierKind.Eori => supplier.Eori,
        SupplierIdentifierKind.Vat => supplier.Vat,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown identifier kind."),
    };

    private static Expression<Func<Supplier, bool>> Matches(SupplierIdentifier identifier)
    {
        // Values are already normalised by SupplierIdentifier.TryCreate, the same rule that normalised them on entry.
        var value = identifier.Value;
        switch (identifier.Kind)
        {
            case SupplierIdentifierKind.InternalId:
                var id = Guid.Parse(value);
                return s => s.Id == id;
            case SupplierIdentifierKind.Lei:
                return s => s.Lei == value;
            case SupplierIdentifierKind.Duns:
                return s => s.Duns == value;
            case SupplierIdentifierKind.Eori:
                return s => s.Eori == value;
            case SupplierIdentifierKind.Vat:
                return s => s.Vat == value;
            default:
                throw new ArgumentOutOfRangeException(nameof(identifier), identifier.Kind, "Unknown identifier kind.");
        }
    }
}
