using System.Text;
using SupplierAssure.Core.Identity;
using SupplierAssure.Core.Suppliers;

namespace SupplierAssure.Core.Tests;

/// <summary>The contact-name rule (<see cref="ContactNames"/>) and the import's contact_name column that uses it.</summary>
public sealed class SupplierImportContactNameTests
{
    private const string Header = "legal_name,country,lei,duns,eori,vat,contact_name,contact_email,tier";

    [Theory]
    [InlineData("Dana Quay", "Dana Quay")]
    [InlineData("  Zoë O'Brien-Łukasz  ", "Zoë O'Brien-Łukasz")]
    [InlineData("\u0645\u0631\u064a\u0645 \u200f(Ops)", "\u0645\u0631\u064a\u0645 \u200f(Ops)")] // a right-to-left mark stays allowed
    public void Check_AcceptableName_IsTrimmed(string raw, string expected)
    {
        Assert.Null(ContactNames.Check(raw, required: true, out var name));
        Assert.Equal(expected, name);
    }

    [Theory]
    [InlineData("Tess\tTab", "control character")]
    [InlineData("Cy\r\nBcc: x@evil.example", "control character")]
    [InlineData("Nul\0Name", "control character")]
    [InlineData("Line\u2028Sep", "control character")]
    [InlineData("Ann\u202Egnirts", "control character")]
    [InlineData("Iso\u2066late", "control character")]
    [InlineData("", "Enter the contact's name.")]
    [InlineData("   ", "Enter the contact's name.")]
    public void Check_BadName_SaysWhat(string raw, string expected)
    {
        var problem = ContactNames.Check(raw, required: true, out var name);
        Assert.Contains(expected, problem, StringComparison.Ordinal);
        Assert.Null(name);
    }

    [Fact]
    public void Check_LengthLimit_IsTwoHundredCharactersAfterTrimming()
    {
        Assert.Null(ContactNames.Check(" " + new string('a', ContactNames.MaxLength) + " ", required: true, out _));
        Assert.Contains("longer than 200", ContactNames.Check(new string('a', ContactNames.MaxLength + 1), required: true, out _), StringComparison.Ordinal);
        Assert.Null(ContactNames.Check(null, required: false, out var none));
        Assert.Null(none);
    }

    [Fact]
    public async Task Read_ContactNameProblems_AreLineErrorsInTheContactNameColumn_GoodLinesKeepTheName()
    {
        var csv = $"{Header}\n" +
            "Good Name Ltd,GB,,100200300,,,  Pat Good ,pat@good.example,\n" +
            "Tab Name Ltd,GB,,100200301,,,\"Tess\tTab\",tess@tab.example,\n" +
            $"Long Name Ltd,GB,,100200302,,,{new string('n', 201)},lena@long.example,\n" +
            "Bell Name Ltd,GB,,100200303,,,\"Bel\u0007l\",bel@bell.example,\n";
        using var content = new MemoryStream(Encoding.UTF8.GetBytes(csv));

        var (rows, errors) = await SupplierImport.ReadAsync(content, CancellationToken.None);

        Assert.Equal([(3, "contact_name"), (4, "contact_name"), (5, "contact_name")], errors.Select(e => (e.Row, e.Column)));
        Assert.Contains("control character", errors[0].Message, StringComparison.Ordinal);
        Assert.Contains("longer than 200", errors[1].Message, StringComparison.Ordinal);
        var good = Assert.Single(rows);
        Assert.Equal((2, "Pat Good"), (good.Row, good.ContactName));
    }
}
