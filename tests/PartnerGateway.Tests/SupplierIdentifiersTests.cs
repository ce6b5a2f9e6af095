using Google.Rpc;
using Grpc.Core;
using SupplierAssure.Core.Suppliers;
using SupplierAssure.Partner.V1;
using SupplierAssure.PartnerGateway.Services;
using WireIdentifier = SupplierAssure.Partner.V1.SupplierIdentifier;

namespace SupplierAssure.PartnerGateway.Tests;

public sealed class SupplierIdentifiersTests
{
    [Theory]
    [InlineData(IdentifierType.Lei, "529900meridian000175", SupplierIdentifierKind.Lei, "529900MERIDIAN000175")]
    [InlineData(IdentifierType.Duns, "12-345-6789", SupplierIdentifierKind.Duns, "123456789")]
    [InlineData(IdentifierType.Eori, "GB123456789000", SupplierIdentifierKind.Eori, "GB123456789000")]
    [InlineData(IdentifierType.Vat, "de 987654321", SupplierIdentifierKind.Vat, "DE987654321")]
    [InlineData(IdentifierType.SupplierId, "5A7C1D2E-2B7D-4F5E-8C1A-0D3B5A000001", SupplierIdentifierKind.InternalId, "5a7c1d2e-2b7d-4f5e-8c1a-0d3b5a000001")]
    public void Parse_ValidIdentifier_MapsKindAndNormalises(IdentifierType type, string value, SupplierIdentifierKind kind, string expected)
    {
        var parsed = SupplierIdentifiers.Parse(new WireIdentifier { Type = type, Value = value }, "identifier");

        Assert.Equal(kind, parsed.Kind);
        Assert.Equal(expected, parsed.Value);
    }

    [Theory]
    [InlineData(IdentifierType.Unspecified, "529900MERIDIAN000175", "identifier.type")]
    [InlineData((IdentifierType)99, "529900MERIDIAN000175", "identifier.type")] // a value from a newer contract
    [InlineData(IdentifierType.Lei, "529900MERIDIAN000176", "identifier.value")]
    [InlineData(IdentifierType.Duns, "12345", "identifier.value")]
    [InlineData(IdentifierType.SupplierId, "not-a-uuid", "identifier.value")]
    [InlineData(IdentifierType.Vat, "", "identifier.value")]
    public void Parse_InvalidIdentifier_NamesTheField(IdentifierType type, string value, string field)
    {
        var ex = Assert.Throws<RpcException>(() => SupplierIdentifiers.Parse(new WireIdentifier { Type = type, Value = value }, "identifier"));

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        var violation = Assert.Single(ex.GetRpcStatus()!.GetDetail<BadRequest>()!.FieldViolations);
        Assert.Equal(field, violation.Field);
        Assert.False(string.IsNullOrWhiteSpace(violation.Description));
        Assert.StartsWith(field + ": ", ex.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NoIdentifier_NamesTheMessageField()
    {
        var ex = Assert.Throws<RpcException>(() => SupplierIdentifiers.Parse(null, "identifier"));

        Assert.Equal("identifier", Assert.Single(ex.GetRpcStatus()!.GetDetail<BadRequest>()!.FieldViolations).Field);
    }
}
