using SupplierAssure.Core.Suppliers;

namespace SupplierAssure.Core.Demo;

/// <summary>The demo suppliers' sites (invented addresses) and the scale seed's generated ones.</summary>
public static class DemoSites
{
    public static readonly Guid NorthgateVenloId = Guid.Parse("517e0000-0000-4000-8000-000000000301");
    public static readonly Guid CalderaPlantId = Guid.Parse("517e0000-0000-4000-8000-000000000201");

    public static IEnumerable<SupplierSite> All(DateTimeOffset now)
    {
        SupplierSite Site(string id, Guid supplier, string name, SiteFunction function, string line1, string city, string? postal, string country, string? notes = null) => new()
        {
            Id = Guid.Parse(id),
            SupplierId = supplier,
            Name = name,
            NormalizedName = SiteRules.Normalize(name),
            Function = function,
            AddressLine1 = line1,
            City = city,
            PostalCode = postal,
            CountryCode = country,
            Notes = notes,
            CreatedAt = now,
            UpdatedAt = now,
        };

        yield return Site("517e0000-0000-4000-8000-000000000101", DemoData.MeridianSupplierId, "Felixstowe consolidation shed", SiteFunction.CrossDock,
            "Unit 7, Anchor Quay Road", "Felixstowe", "IP11 4ZZ", "GB", "Groupage for our UK stores is built here; two loading bays under CCTV.");
        yield return Site("517e0000-0000-4000-8000-000000000102", DemoData.MeridianSupplierId, "Manchester office", SiteFunction.Office,
            "3rd floor, 21 Canal Street Works", "Manchester", "M1 9ZZ", "GB", "Dispatch planning and customs filings.");
        yield return Site(CalderaPlantId.ToString(), DemoData.CalderaSupplierId, "Stuttgart plant", SiteFunction.Manufacturing,
            "Industriestraße 48", "Stuttgart", "70565", "DE");
        yield return Site(NorthgateVenloId.ToString(), DemoData.NorthgateSupplierId, "Venlo cross-dock", SiteFunction.CrossDock,
            "Logistiekweg 12", "Venlo", "5928 ZZ", "NL", "24/7 operation, 40 dock doors; high-value cages for electronics.");
        yield return Site("517e0000-0000-4000-8000-000000000302", DemoData.NorthgateSupplierId, "Rotterdam Waalhaven yard", SiteFunction.TransportDepot,
            "Waalhaven Oostzijde 90", "Rotterdam", "3087 ZZ", "NL", "Trailer park and drivers' base for port runs.");
        yield return Site("517e0000-0000-4000-8000-000000000303", DemoData.NorthgateSupplierId, "Maasvlakte container terminal gate", SiteFunction.PortTerminal,
            "Europaweg 875", "Rotterdam", "3199 ZZ", "NL", "Shared terminal; Northgate staff handle our containers at the gate only.");
        yield return Site("517e0000-0000-4000-8000-000000000401", DemoData.OakridgeSupplierId, "Dublin Port bonded warehouse", SiteFunction.WarehouseDistribution,
            "Berth 49, Alexandra Road Extension", "Dublin", "D01 ZZ99", "IE", "Customs-bonded storage for duty-suspended goods.");
    }

    private static readonly Dictionary<string, string[]> Cities = new(StringComparer.Ordinal)
    {
        ["GB"] = ["Birmingham", "Felixstowe", "Leeds", "Southampton"],
        ["DE"] = ["Hamburg", "Duisburg", "Leipzig", "Nuremberg"],
        ["NL"] = ["Rotterdam", "Tilburg", "Venlo"],
        ["FR"] = ["Le Havre", "Lyon", "Lille"],
        ["IE"] = ["Dublin", "Cork"],
        ["PL"] = ["Poznań", "Łódź", "Gdańsk"],
        ["ES"] = ["Valencia", "Zaragoza", "Madrid"],
        ["IT"] = ["Genoa", "Milan", "Verona"],
        ["BE"] = ["Antwerp", "Liège"],
        ["US"] = ["Memphis", "Savannah", "Columbus"],
        ["CN"] = ["Shenzhen", "Ningbo", "Suzhou"],
        ["IN"] = ["Chennai", "Pune", "Mundra"],
        ["VN"] = ["Hai Phong", "Ho Chi Minh City"],
        ["TR"] = ["Izmit", "Mersin", "Bursa"],
        ["MX"] = ["Monterrey", "Querétaro"],
        ["SE"] = ["Gothenburg", "Jönköping"],
    };

    private static readonly SiteFunction[] Functions =
        [SiteFunction.WarehouseDistribution, SiteFunction.Manufacturing, SiteFunction.CrossDock, SiteFunction.TransportDepot, SiteFunction.Office, SiteFunction.PortTerminal];

    /// <summary>One to three sites of a generated supplier in its own country, from a generator of its own (the rest of the scale seed is unchanged).</summary>
    public static IEnumerable<SupplierSite> Generated(Supplier supplier, int index, Func<int, Guid> id, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(supplier);
        ArgumentNullException.ThrowIfNull(id);
        var rng = new Random(unchecked(97_531 + index));
        var cities = Cities.TryGetValue(supplier.CountryCode, out var known) ? known : ["Central"];
        var count = 1 + rng.Next(3);
        for (var n = 0; n < count; n++)
        {
            var city = cities[(rng.Next(cities.Length) + n) % cities.Length];
            var function = Functions[rng.Next(Functions.Length)];
            var word = function switch
            {
                SiteFunction.WarehouseDistribution => "warehouse",
                SiteFunction.Manufacturing => "plant",
                SiteFunction.CrossDock => "cross-dock",
                SiteFunction.TransportDepot => "depot",
                SiteFunction.Office => "office",
                _ => "terminal",
            };
            var name = $"{city} {word} {n + 1}";
            yield return new SupplierSite
            {
                Id = id(n),
                SupplierId = supplier.Id,
                Name = name,
                NormalizedName = SiteRules.Normalize(name),
                Function = function,
                AddressLine1 = $"{10 + rng.Next(180)} Industrial Park Road",
                City = city,
                CountryCode = supplier.CountryCode,
                CreatedAt = now,
                UpdatedAt = now,
            };
        }
    }
}
