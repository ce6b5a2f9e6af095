using SupplierAssure.Core.Suppliers;
using SupplierAssure.Partner.V1;
using DomainIdentifier = SupplierAssure.Core.Suppliers.SupplierIdentifier;
using WireIdentifier = SupplierAssure.Partner.V1.SupplierIdentifier;

namespace SupplierAssure.PartnerGateway.Services;

/// <summary>Turns a request's identifier into the domain's validated one, or an INVALID_ARGUMENT naming the field.</summary>
internal static class SupplierIdentifiers
{
    /// <param name="fieldPath">Where the identifier sits in the request, e.g. "identifier".</param>
    public static DomainIdentifier Parse(WireIdentifier? identifier, string fieldPath)
    {
        if (identifier is null)
        {
            throw RpcErrors.InvalidArgument(new FieldViolation(fieldPath, "An identifier is required."));
        }

        if (ToKind(identifier.Type) is not { } kind)
        {
            throw RpcErrors.InvalidArgument(new FieldViolation(
                fieldPath + ".type", "Say which kind of identifier this is: SUPPLIER_ID, LEI, DUNS, EORI or VAT."));
        }

        if (!DomainIdentifier.TryCreate(kind, identifier.Value, out var parsed, out var error))
        {
            throw RpcErrors.InvalidArgument(new FieldViolation(fieldPath + ".value", error));
        }

        return parsed;
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
