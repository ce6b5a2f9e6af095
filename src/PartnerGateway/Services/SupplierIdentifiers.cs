using SupplierAssure.Core.Suppliers;
using SupplierAssure.Partner.V1;
using DomainIdentifier = SupplierAssure.Core.Suppliers.SupplierIdentifier;
using WireIdentifier = SupplierAssure.Partner.V1.SupplierIdentifier;

namespace SupplierAssure.PartnerGateway.Services;

/// <summary>Turns a request's identifier into the domain's validated one, or an INVALID_ARGUMENT naming the field.</summary>
internal static class SupplierIdentifiers
{
    /// <param name="fieldPath">Where the identifier sits in the request, e.g. "identifier".</param>
    public static DomainIdentifier Parse(WireIdentifier? identifier, string fieldPath) =>
        TryParse(identifier, fieldPath, out var parsed, out var violation) ? parsed : throw RpcErrors.InvalidArgument(violation);

    /// <summary>Like <see cref="Parse"/>, but says what is wrong instead of throwing, for per-item batch results.</summary>
    public static bool TryParse(WireIdentifier? identifier, string fieldPath, out DomainIdentifier parsed, out FieldViolation violation)
    {
        parsed = default;
        violation = default;
        if (identifier is null)
        {
            violation = new FieldViolation(fieldPath, "An identifier is required.");
            return false;
        }

        if (ToKind(identifier.Type) is not { } kind)
        {
            violation = new FieldViolation(fieldPath + ".type", "Say which kind of identifier this is: SUPPLIER_ID, LEI, DUNS, EORI or VAT.");
            return false;
        }

        if (!DomainIdentifier.TryCreate(kind, identifier.Value, out parsed, out var error))
        {
            violation = new FieldViolation(fieldPath + ".value", error);
            return false;
        }

        return true;
    }

    // Unspecified and values from a newer contract than ours are both "no usable type".
    private static SupplierIdentifierKind? ToKind(IdentifierType type) => type switch
    {
        IdentifierType.SupplierId => SupplierIdentifierKind.InternalId,
        IdentifierType.Lei => SupplierIdentifierKind.Lei,
        IdentifierType.Duns => SupplierIdentifierKind.Duns,
        IdentifierType.Eori => SupplierIdentifierKind.Eori,
        IdentifierType.Vat => SupplierIdentifierKind.Vat,
        _ => null,
    };
}
