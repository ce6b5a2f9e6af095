using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Suppliers;
using SupplierAssure.Core.Tenancy;

namespace SupplierAssure.Core.Tests;

/// <summary>The rules of a supplier site's fields (<see cref="SiteRules"/>) and what the database adds to them.</summary>
public sealed class SiteRulesTests
{
    private static SiteInput Valid(string? name = "Venlo cross-dock", string? function = "CrossDock", string? country = "NL", string? city = "Venlo",
        string? line1 = "Logistiekweg 12", string? notes = null, string? postal = "5928 AA") =>
        new(name, function, line1, null, city, postal, country, notes);

    [Fact]
    public void Validate_ValidInput_TrimsAndUppercasesCountry()
    {
        var errors = new Dictionary<string, string[]>();
        var values = SiteRules.Validate(Valid(name: "  Venlo cross-dock ", country: " nl ", function: "crossdock", notes: "  two\r\nlines  "), errors);
        Assert.Empty(errors);
        Assert.NotNull(values);
        Assert.Equal(("Venlo cross-dock", "NL", SiteFunction.CrossDock, "two\nlines", "VENLO CROSS-DOCK"), (values.Name, values.CountryCode, values.Function, values.Notes, values.NormalizedName));
    }

    [Theory]
    [InlineData(null, "Name", "Give the site a name")]
    [InlineData("   ", "Name", "Give the site a name")]
    [InlineData("Tab\there", "Name", "one line of plain text")]
    public void Validate_BadName_NamesTheField(string? name, string field, string message) =>
        AssertOnly(Valid(name: name), field, message);

    [Theory]
    [InlineData("XX", "\"XX\" is not a two-letter ISO 3166 country code")]
    [InlineData("UK", "\"UK\" is not a two-letter ISO 3166 country code")]
    [InlineData("NLD", "\"NLD\" is not")]
    [InlineData("", "Enter the country")]
    public void Validate_BadCountry_NamesTheField(string country, string message) =>
        AssertOnly(Valid(country: country), "Country", message);

    [Theory]
    [InlineData("")]
    [InlineData("Spaceport")]
    [InlineData("4")]
    [InlineData("-1")]
    public void Validate_UnknownFunction_IsRefused_NumbersToo(string function) =>
        AssertOnly(Valid(function: function), "Function", function.Length == 0 ? "Choose what the site does" : "Choose one of");

    [Fact]
    public void Validate_LengthLimits_PerField()
    {
        AssertOnly(Valid(name: new string('n', SupplierSite.MaxNameLength + 1)), "Name", $"Keep this to {SupplierSite.MaxNameLength} characters");
        AssertOnly(Valid(city: new string('c', SupplierSite.MaxCityLength + 1)), "City", $"Keep this to {SupplierSite.MaxCityLength}");
        AssertOnly(Valid(line1: new string('a', SupplierSite.MaxAddressLength + 1)), "AddressLine1", $"Keep this to {SupplierSite.MaxAddressLength}");
        AssertOnly(Valid(postal: new string('9', SupplierSite.MaxPostalCodeLength + 1)), "PostalCode", $"Keep this to {SupplierSite.MaxPostalCodeLength}");
        AssertOnly(Valid(notes: new string('x', SupplierSite.MaxNotesLength + 1)), "Notes", $"Keep the notes to {SupplierSite.MaxNotesLength}");
        var errors = new Dictionary<string, string[]>();
        Assert.NotNull(SiteRules.Validate(Valid(name: new string('n', SupplierSite.MaxNameLength), notes: new string('x', SupplierSite.MaxNotesLength)), errors));
    }

    [Fact]
    public void Validate_EverythingMissing_ListsEveryRequiredField()
    {
        var errors = new Dictionary<string, string[]>();
        Assert.Null(SiteRules.Validate(new SiteInput(null, null, null, null, null, null, null, null), errors));
        Assert.Equal(["AddressLine1", "City", "Country", "Function", "Name"], errors.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Database_OneNamePerSupplierInUse_RetiredFreesIt_TenantFilterHidesOthers()
    {
        await using var database = await TestDatabase.CreateAsync();
        var (a, b) = (Guid.NewGuid(), Guid.NewGuid());
        await using (var db = database.CreateContext())
        {
            db.Suppliers.AddRange(new Supplier { Id = a, LegalName = "A Ltd", CountryCode = "GB" }, new Supplier { Id = b, LegalName = "B Ltd", CountryCode = "DE" });
            db.AddRange(Site(a, "Depot"), Site(b, "Depot"));
            await db.SaveChangesAsync();
        }

        await using (var db = database.CreateContext())
        {
            db.Add(Site(a, "DEPOT"));
            await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
        }

        await using (var db = database.CreateContext())
        {
            var first = await db.Set<SupplierSite>().SingleAsync(s => s.SupplierId == a);
            first.RetiredAt = DateTimeOffset.UtcNow;
            first.NormalizedName = null;
            db.Add(Site(a, "Depot"));
            await db.SaveChangesAsync();
        }

        await using (var db = database.CreateContext())
        {
            db.Tenant = TenantScope.ForSupplier(b);
            var visible = await db.Set<SupplierSite>().Select(s => s.SupplierId).ToListAsync();
            Assert.Equal([b], visible);
            db.Tenant = TenantScope.System;
            Assert.Equal(3, await db.Set<SupplierSite>().CountAsync());
        }
    }

    private static SupplierSite Site(Guid supplier, string name) => new()
    {
        Id = Guid.NewGuid(), SupplierId = supplier, Name = name, NormalizedName = SiteRules.Normalize(name), Function = SiteFunction.TransportDepot,
        AddressLine1 = "1 Yard Road", City = "Town", CountryCode = "GB", CreatedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow,
    };

    private static void AssertOnly(SiteInput input, string field, string message)
    {
        var errors = new Dictionary<string, string[]>();
        Assert.Null(SiteRules.Validate(input, errors));
        var (key, messages) = Assert.Single(errors);
        Assert.Equal(field, key);
        Assert.Contains(message, Assert.Single(messages), StringComparison.Ordinal);
    }
}
