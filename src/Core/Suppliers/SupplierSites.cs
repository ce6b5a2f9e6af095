using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Auditing;
using SupplierAssure.Core.Common;
using SupplierAssure.Core.Data;

namespace SupplierAssure.Core.Suppliers;

/// <summary>
/// A site as a form or an API body gives it: every field as text, so that a wrong value comes back as a message at
/// its field rather than as a binding failure. <paramref name="Function"/> is a <see cref="SiteFunction"/> name.
/// </summary>
public sealed record SiteInput(
    string? Name,
    string? Function,
    string? AddressLine1,
    string? AddressLine2,
    string? City,
    string? PostalCode,
    string? Country,
    string? Notes);

/// <summary>Who changes a site, for the audit log: a user (id and e-mail) or an API client ("client:...").</summary>
public sealed record SiteActor(Guid? UserId, string Name);

/// <summary>A recorded site as pages and the API show it.</summary>
public sealed record SupplierSiteRow(
    Guid Id,
    Guid SupplierId,
    string Name,
    SiteFunction Function,
    string AddressLine1,
    string? AddressLine2,
    string City,
    string? PostalCode,
    string CountryCode,
    string? Notes,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? RetiredAt,
    long Version)
{
    public bool IsRetired => RetiredAt is not null;

    /// <summary>One line for lists and audit scope suggestions: "Hamburg DC (Hamburg, DE)".</summary>
    public string Label => $"{Name} ({City}, {CountryCode})";
}

/// <summary>The checked, trimmed values of a <see cref="SiteInput"/>.</summary>
public sealed record SiteValues(string Name, SiteFunction Function, string AddressLine1, string? AddressLine2, string City, string? PostalCode, string CountryCode, string? Notes)
{
    public string NormalizedName => SiteRules.Normalize(Name);
}

/// <summary>
/// The rules for a site's fields, in one place for the supplier page, the organisation page and the API. Errors are
/// keyed by the <see cref="SiteInput"/> property they concern.
/// </summary>
public static class SiteRules
{
    /// <summary>How many sites in use one supplier may have; keeps the supplier page and audit suggestions bounded.</summary>
    public const int MaxSitesInUse = 200;

    public static string Normalize(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.Trim().ToUpperInvariant();
    }

    /// <summary>Words for a function, as the pages show it.</summary>
    public static string Label(SiteFunction function) => function switch
    {
        SiteFunction.Manufacturing => "Manufacturing or packing",
        SiteFunction.WarehouseDistribution => "Warehouse or distribution centre",
        SiteFunction.CrossDock => "Cross-dock or consolidation hub",
        SiteFunction.PortTerminal => "Port, rail or air cargo terminal",
        SiteFunction.TransportDepot => "Transport depot",
        SiteFunction.Office => "Office (no goods on site)",
        SiteFunction.Other => "Other",
        _ => function.ToString(),
    };

    /// <summary>Checks every field; returns the cleaned values, or null with at least one message in <paramref name="errors"/>.</summary>
    public static SiteValues? Validate(SiteInput input, IDictionary<string, string[]> errors)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(errors);
        var name = Line(errors, nameof(SiteInput.Name), input.Name, SupplierSite.MaxNameLength, "Give the site a name, such as \"Rotterdam cross-dock\".");
        SiteFunction? function = null;
        if (string.IsNullOrWhiteSpace(input.Function))
        {
            errors[nameof(SiteInput.Function)] = ["Choose what the site does."];
        }
        else if (Enum.TryParse<SiteFunction>(input.Function.Trim(), ignoreCase: true, out var parsed) && Enum.IsDefined(parsed)
            && !input.Function.Trim().All(c => char.IsAsciiDigit(c) || c == '-'))
        {
            function = parsed;
        }
        else
        {
            errors[nameof(SiteInput.Function)] = [$"Choose one of: {string.Join(", ", Enum.GetNames<SiteFunction>())}."];
        }

        var line1 = Line(errors, nameof(SiteInput.AddressLine1), input.AddressLine1, SupplierSite.MaxAddressLength, "Enter the street address.");
        var line2 = Line(errors, nameof(SiteInput.AddressLine2), input.AddressLine2, SupplierSite.MaxAddressLength, missing: null);
        var city = Line(errors, nameof(SiteInput.City), input.City, SupplierSite.MaxCityLength, "Enter the town or city.");
        var postal = Line(errors, nameof(SiteInput.PostalCode), input.PostalCode, SupplierSite.MaxPostalCodeLength, missing: null);
        var country = (input.Country ?? string.Empty).Trim().ToUpperInvariant();
        if (country.Length == 0)
        {
            errors[nameof(SiteInput.Country)] = ["Enter the country as a two-letter code such as NL."];
        }
        else if (!Countries.IsKnown(country))
        {
            var shown = country.Length > 12 ? country[..12] + "…" : country;
            errors[nameof(SiteInput.Country)] = [$"\"{shown}\" is not a two-letter ISO 3166 country code (for example NL, DE, US)."];
        }

        string? notes = null;
        if (!string.IsNullOrWhiteSpace(input.Notes))
        {
            notes = input.Notes.Trim().ReplaceLineEndings("\n");
            if (notes.Length > SupplierSite.MaxNotesLength)
            {
                errors[nameof(SiteInput.Notes)] = [$"Keep the notes to {SupplierSite.MaxNotesLength} characters (these have {notes.Length})."];
            }
            else if (notes.Any(c => char.IsControl(c) && c is not '\n' and not '\t'))
            {
                errors[nameof(SiteInput.Notes)] = ["The notes contain control characters; type them again as plain text."];
            }
        }

        return errors.Count == 0
            ? new SiteValues(name!, function!.Value, line1!, line2, city!, postal, country, notes)
            : null;
    }

    private static string? Line(IDictionary<string, string[]> errors, string field, string? value, int max, string? missing)
    {
        var text = value?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            if (missing is not null)
            {
                errors[field] = [missing];
            }

            return null;
        }

        if (text.Length > max)
        {
            errors[field] = [$"Keep this to {max} characters (it has {text.Length})."];
            return null;
        }

        if (text.Any(char.IsControl))
        {
            errors[field] = ["Use one line of plain text, without tabs or line breaks."];
            return null;
        }

        return text;
    }
}

/// <summary>Kinds of audit-log entry for sites; they appear on the supplier's timeline.</summary>
public static class SiteAuditKinds
{
    public const string Added = "site.added";
    public const string Changed = "site.changed";
    public const string Retired = "site.retired";
}

/// <summary>
/// Adds, changes and retires a supplier's sites. Runs on the tenant-scoped context, so a supplier user reaches only
/// their own organisation's sites and anyone else's id is not found; who may change sites at all is the caller's
/// (page or endpoint) authorization. Each change is one save, then one audit-log entry on the supplier.
/// </summary>
public sealed class SupplierSites(SupplierAssureDbContext db, AuditLog audit, TimeProvider clock)
{
    public const string DuplicateName = "This supplier already has a site in use with this name; choose another name or retire the other site first.";

    /// <summary>The supplier's sites, in-use ones first by name, then retired ones; empty when the supplier is not visible.</summary>
    public Task<IReadOnlyList<SupplierSiteRow>> ListAsync(Guid supplierId, CancellationToken cancellationToken) =>
        SupplierProfileSections.SitesAsync(db, supplierId, cancellationToken);

    public async Task<SupplierSiteRow?> FindAsync(Guid supplierId, Guid siteId, CancellationToken cancellationToken) =>
        await Rows(db.Set<SupplierSite>().Where(s => s.Id == siteId && s.SupplierId == supplierId)).SingleOrDefaultAsync(cancellationToken);

    /// <summary>The projection every reader of sites uses (the supplier profile too).</summary>
    public static IQueryable<SupplierSiteRow> Rows(IQueryable<SupplierSite> sites) =>
        sites.AsNoTracking().Select(s => new SupplierSiteRow(s.Id, s.SupplierId, s.Name, s.Function, s.AddressLine1, s.AddressLine2, s.City, s.PostalCode,
            s.CountryCode, s.Notes, s.CreatedAt, s.UpdatedAt, s.RetiredAt, s.Version));

    public async Task<Outcome<SupplierSiteRow>> AddAsync(Guid supplierId, SiteInput input, SiteActor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(actor);
        if (!await db.Suppliers.AnyAsync(s => s.Id == supplierId, cancellationToken))
        {
            return Outcome<SupplierSiteRow>.From(Outcome.NotFound());
        }

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var values = SiteRules.Validate(input, errors);
        if (values is not null)
        {
            if (await db.Set<SupplierSite>().AnyAsync(s => s.SupplierId == supplierId && s.NormalizedName == values.NormalizedName, cancellationToken))
            {
                errors[nameof(SiteInput.Name)] = [DuplicateName];
            }
            else if (await db.Set<SupplierSite>().CountAsync(s => s.SupplierId == supplierId && s.RetiredAt == null, cancellationToken) >= SiteRules.MaxSitesInUse)
            {
                return Outcome<SupplierSiteRow>.From(Outcome.Conflict($"This supplier already has {SiteRules.MaxSitesInUse} sites in use; retire one before adding another."));
            }
        }

        if (values is null || errors.Count > 0)
        {
            return Outcome<SupplierSiteRow>.From(Outcome.Invalid(errors));
        }

        var now = clock.GetUtcNow();
        var site = new SupplierSite
        {
            Id = Guid.NewGuid(),
            SupplierId = supplierId,
            Name = values.Name,
            NormalizedName = values.NormalizedName,
            CreatedAt = now,
            UpdatedAt = now,
            AddressLine1 = values.AddressLine1,
            City = values.City,
            CountryCode = values.CountryCode,
        };
        Apply(site, values);
        db.Add(site);
        if (await SaveAsync(site, cancellationToken) is { } refused)
        {
            return Outcome<SupplierSiteRow>.From(refused);
        }

        await audit.AppendAsync(new AuditRecord(SiteAuditKinds.Added, actor.UserId, actor.Name, supplierId, $"site:{site.Id:D}",
            $"Site \"{site.Name}\" added: {SiteRules.Label(site.Function)}, {site.City}, {site.CountryCode}."), cancellationToken);
        return Outcome<SupplierSiteRow>.Ok(RowOf(site));
    }

    /// <summary>
    /// Changes a site in use. <paramref name="expectedVersion"/> is the version the editor saw (null skips the check,
    /// as an API client that sends no version accepts last-writer-wins); a newer save in between is a conflict.
    /// </summary>
    public async Task<Outcome<SupplierSiteRow>> UpdateAsync(Guid supplierId, Guid siteId, long? expectedVersion, SiteInput input, SiteActor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(actor);
        var site = await db.Set<SupplierSite>().SingleOrDefaultAsync(s => s.Id == siteId && s.SupplierId == supplierId, cancellationToken);
        if (site is null)
        {
            return Outcome<SupplierSiteRow>.From(Outcome.NotFound());
        }

        if (site.IsRetired)
        {
            return Outcome<SupplierSiteRow>.From(Outcome.Conflict("This site is retired; add it again as a new site if it is back in use."));
        }

        if (expectedVersion is { } expected && expected != site.Version)
        {
            return Outcome<SupplierSiteRow>.From(Outcome.Conflict("Someone else changed this site after you opened it; what is shown now is their version. Make your change again."));
        }

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var values = SiteRules.Validate(input, errors);
        if (values is not null && await db.Set<SupplierSite>().AnyAsync(s => s.SupplierId == supplierId && s.Id != siteId && s.NormalizedName == values.NormalizedName, cancellationToken))
        {
            errors[nameof(SiteInput.Name)] = [DuplicateName];
        }

        if (values is null || errors.Count > 0)
        {
            return Outcome<SupplierSiteRow>.From(Outcome.Invalid(errors));
        }

        var changed = Changes(site, values);
        if (changed.Count == 0)
        {
            return Outcome<SupplierSiteRow>.Ok(RowOf(site));
        }

        site.Name = values.Name;
        site.NormalizedName = values.NormalizedName;
        site.AddressLine1 = values.AddressLine1;
        site.City = values.City;
        site.CountryCode = values.CountryCode;
        Apply(site, values);
        site.UpdatedAt = clock.GetUtcNow();
        if (await SaveAsync(site, cancellationToken) is { } refused)
        {
            return Outcome<SupplierSiteRow>.From(refused);
        }

        await audit.AppendAsync(new AuditRecord(SiteAuditKinds.Changed, actor.UserId, actor.Name, supplierId, $"site:{site.Id:D}",
            $"Site \"{site.Name}\" changed: {string.Join(", ", changed)}."), cancellationToken);
        return Outcome<SupplierSiteRow>.Ok(RowOf(site));
    }

    /// <summary>Takes a site out of use: kept for the audits and findings that name it, no longer offered, its name free again.</summary>
    public async Task<Outcome<SupplierSiteRow>> RetireAsync(Guid supplierId, Guid siteId, SiteActor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var site = await db.Set<SupplierSite>().SingleOrDefaultAsync(s => s.Id == siteId && s.SupplierId == supplierId, cancellationToken);
        if (site is null)
        {
            return Outcome<SupplierSiteRow>.From(Outcome.NotFound());
        }

        if (site.IsRetired)
        {
            return Outcome<SupplierSiteRow>.From(Outcome.Conflict("This site is already retired."));
        }

        var now = clock.GetUtcNow();
        site.RetiredAt = now;
        site.UpdatedAt = now;
        site.NormalizedName = null;
        if (await SaveAsync(site, cancellationToken) is { } refused)
        {
            return Outcome<SupplierSiteRow>.From(refused);
        }

        await audit.AppendAsync(new AuditRecord(SiteAuditKinds.Retired, actor.UserId, actor.Name, supplierId, $"site:{site.Id:D}",
            $"Site \"{site.Name}\" ({site.City}, {site.CountryCode}) retired."), cancellationToken);
        return Outcome<SupplierSiteRow>.Ok(RowOf(site));
    }

    private async Task<Outcome?> SaveAsync(SupplierSite site, CancellationToken cancellationToken)
    {
        var (id, supplierId, name) = (site.Id, site.SupplierId, site.NormalizedName);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return null;
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            return Outcome.Conflict("Someone else changed this site at the same moment; open it again and make your change once more.");
        }
        catch (DbUpdateException) when (name is not null)
        {
            // The unique index on (supplier, name in use): another site of that name may have been saved a moment
            // earlier. Only that is answered with a message; any other failure goes on up.
            db.ChangeTracker.Clear();
            if (await db.Set<SupplierSite>().AnyAsync(s => s.SupplierId == supplierId && s.Id != id && s.NormalizedName == name, cancellationToken))
            {
                return Outcome.Invalid(nameof(SiteInput.Name), DuplicateName);
            }

            throw;
        }
    }

    private static void Apply(SupplierSite site, SiteValues values)
    {
        site.Function = values.Function;
        site.AddressLine2 = values.AddressLine2;
        site.PostalCode = values.PostalCode;
        site.Notes = values.Notes;
    }

    private static List<string> Changes(SupplierSite site, SiteValues values)
    {
        var changed = new List<string>();
        void Check(string label, string? before, string? after)
        {
            if (!string.Equals(before, after, StringComparison.Ordinal))
            {
                changed.Add(label);
            }
        }

        Check("name", site.Name, values.Name);
        if (site.Function != values.Function)
        {
            changed.Add($"function {SiteRules.Label(site.Function)} → {SiteRules.Label(values.Function)}");
        }

        Check("address", site.AddressLine1 + "\n" + site.AddressLine2, values.AddressLine1 + "\n" + values.AddressLine2);
        Check("city", site.City, values.City);
        Check("postal code", site.PostalCode, values.PostalCode);
        if (!string.Equals(site.CountryCode, values.CountryCode, StringComparison.Ordinal))
        {
            changed.Add($"country {site.CountryCode} → {values.CountryCode}");
        }

        Check("notes", site.Notes, values.Notes);
        return changed;
    }

    private static SupplierSiteRow RowOf(SupplierSite s) =>
        new(s.Id, s.SupplierId, s.Name, s.Function, s.AddressLine1, s.AddressLine2, s.City, s.PostalCode, s.CountryCode, s.Notes, s.CreatedAt, s.UpdatedAt, s.RetiredAt, s.Version);
}
