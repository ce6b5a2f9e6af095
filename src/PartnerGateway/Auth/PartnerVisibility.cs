using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Partners;
using SupplierAssure.Core.Suppliers;

namespace SupplierAssure.PartnerGateway.Auth;

/// <summary>
/// The one place that decides which suppliers a partner client may see: those with a live sharing consent for
/// the client and the operation's consent scope, or all of them for the operator's own integration clients.
/// Every partner operation reads suppliers through this class, never through the context directly.
/// </summary>
// Note: the gateway's request-scoped context has system scope (it sees every supplier), because partners are not
// tenants of the Portal's query filter. Consent is enforced here instead; bypassing this class bypasses consent.
public sealed class PartnerVisibility(SupplierAssureDbContext db, IOptionsMonitor<PartnerGatewayOptions> options, TimeProvider clock)
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
