using SupplierAssure.Core.Suppliers;

namespace SupplierAssure.Core.Tests;

public sealed class SupplierIdentifierTests
{
    [Theory]
    [InlineData(SupplierIdentifierKind.Lei, "529900MERIDIAN000175", "529900MERIDIAN000175")]
    [InlineData(SupplierIdentifierKind.Lei, " 529900meridian000175 ", "529900MERIDIAN000175")]
    [InlineData(SupplierIdentifierKind.Duns, "12-345-6789", "123456789")]
    [InlineData(SupplierIdentifierKind.Eori, "gb123456789000", "GB123456789000")]
    [InlineData(SupplierIdentifierKind.Vat, "DE 987654321", "DE987654321")]
    [InlineData(SupplierIdentifierKind.InternalId, "5A7C1D2E-2B7D-4F5E-8C1A-0D3B5A000001", "5a7c1d2e-2b7d-4f5e-8c1a-0d3b5a000001")]
    public void TryCreate_ValidValue_Normalises(SupplierIdentifierKind kind, string raw, string expected)
    {
        Assert.True(SupplierIdentifier.TryCreate(kind, raw, out var id, out var error), error);
        Assert.Equal(expected, id.Value);
    }

    [Theory]
    [InlineData(SupplierIdentifierKind.Lei, "529900MERIDIAN000176")] // wrong check digits
    [InlineData(SupplierIdentifierKind.Lei, "529900MERIDIAN0001")] // too short
    [InlineData(SupplierIdentifierKind.Duns, "12345678")]
    [InlineData(SupplierIdentifierKind.Eori, "123456789")]
    [InlineData(SupplierIdentifierKind.Vat, "G1234")]
    [InlineData(SupplierIdentifierKind.InternalId, "not-a-guid")]
    [InlineData(SupplierIdentifierKind.Lei, "")]
    [InlineData(SupplierIdentifierKind.Lei, null)]
    public void TryCreate_InvalidValue_ExplainsWhy(SupplierIdentifierKind kind, string? raw)
    {
        Assert.False(SupplierIdentifier.TryCreate(kind, raw, out _, out var error));
        Assert.False(string.IsNullOrWhiteSpace(error));
    }
}
