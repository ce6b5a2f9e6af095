using System.Globalization;
using System.Net.Mail;
using CsvHelper;
using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Tiering;

namespace SupplierAssure.Core.Suppliers;

/// <summary>One problem of an import file: the line of the file (the header is line 1), the column and what is wrong.</summary>
public sealed record SupplierImportError(int Row, string Column, string Message);

/// <summary>One valid data line of an import file, normalised.</summary>
public sealed record SupplierImportRow(
    int Row,
    string LegalName,
    string CountryCode,
    string? Lei,
    string? Duns,
    string? Eori,
    string? Vat,
    string ContactName,
    string ContactEmail,
    SupplierTier? Tier);

/// <summary>A supplier the import created and the contact to invite to it.</summary>
public sealed record ImportedSupplier(int Row, Guid SupplierId, string LegalName, SupplierTier Tier, string ContactName, string ContactEmail);

/// <param name="Content">The uploaded file; read once, up to <see cref="SupplierImport.MaxFileBytes"/>.</param>
public sealed record SupplierImportRequest(Stream Content, Guid? ImportedBy);

/// <summary>Either every row's supplier was created (and <see cref="Imported"/> lists them), or none was and <see cref="Errors"/> says why.</summary>
public sealed record SupplierImportResult(IReadOnlyList<SupplierImportError> Errors, IReadOnlyList<ImportedSupplier> Imported)
{
    public bool Succeeded => Errors.Count == 0;
}

/// <summary>
/// Bulk onboarding: a CSV file of suppliers and one contact each is read and checked line by line; only when every
/// line is valid are the suppliers and their initial tier decisions saved, in one SaveChanges (one transaction).
/// Duplicates, against the portfolio or within the file, are line errors. Inviting the contacts is the caller's
/// next step, through the same invitation use case as a single invitation.
/// </summary>
public sealed class SupplierImport(SupplierAssureDbContext db, TimeProvider clock)
{
    public const long MaxFileBytes = 1024 * 1024;
    public const int MaxRows = 1000;
    public const int MaxErrors = 500;
    public const int MaxLegalNameLength = 300;
    public const int MaxContactNameLength = Identity.ContactNames.MaxLength;
    public const int MaxEmailLength = 256;

    /// <summary>The columns, in the order of the template; header names are matched ignoring case and spaces.</summary>
    public static readonly IReadOnlyList<(string Name, bool Required, string Meaning)> Columns =
    [
        ("legal_name", true, "The registered name of the organisation, up to 300 characters."),
        ("country", true, "Where it is registered: a two-letter ISO 3166 code such as DE or US."),
        ("lei", false, "Legal Entity Identifier: 20 letters or digits, the last two being check digits."),
        ("duns", false, "Dun & Bradstreet number: 9 digits (dashes are ignored)."),
        ("eori", false, "EU customs registration: country code and up to 15 letters or digits."),
        ("vat", false, "VAT registration: country code and 2 to 13 letters or digits."),
        ("contact_name", true, "The person at the supplier who will receive the invitation, up to 200 characters; the invitation greets them by it."),
        ("contact_email", true, "That person's e-mail address; the invitation link is sent there."),
        ("tier", false, "Optional starting tier: 1, 2 or 3. Left empty, the supplier starts in Tier 3 until classified."),
    ];

    public async Task<SupplierImportResult> ImportAsync(SupplierImportRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (rows, errors) = await ReadAsync(request.Content, cancellationToken);
        if (rows.Count > 0)
        {
            // The lines that passed every other check are also checked against the portfolio, so one upload lists all problems.
            errors.AddRange(await FindExistingAsync(rows, cancellationToken));
        }

        if (errors.Count > 0)
        {
            return new([.. errors.OrderBy(e => e.Row).Take(MaxErrors)], []);
        }

        return await SaveAsync(rows, request.ImportedBy,
            row => string.Create(CultureInfo.InvariantCulture, $"Initial tier given in a bulk import file (line {row.Row})."), cancellationToken);
    }

    /// <summary>
    /// One supplier entered on the onboarding form or sent to the API, with the same checks as a line of a file; the
    /// fields are keyed by the file's column names (<see cref="Columns"/>) and errors name those columns, row 0.
    /// </summary>
    public async Task<SupplierImportResult> ImportOneAsync(IReadOnlyDictionary<string, string?> fields, Guid? importedBy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var errors = new List<SupplierImportError>();
        var row = ValidateRow(0, name => fields.TryGetValue(name, out var value) ? value : null, new Dictionary<string, int>(StringComparer.Ordinal), errors);
        if (row is not null)
        {
            errors.AddRange(await FindExistingAsync([row], cancellationToken));
        }

        if (errors.Count > 0)
        {
            return new(errors, []);
        }

        return await SaveAsync([row!], importedBy, _ => "Initial tier given when the supplier was onboarded.", cancellationToken);
    }

    private async Task<SupplierImportResult> SaveAsync(List<SupplierImportRow> rows, Guid? importedBy, Func<SupplierImportRow, string> tierJustification, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var policyVersion = (await new TierPolicyStore(db, clock).CurrentAsync(cancellationToken)).Version;
        var imported = new List<ImportedSupplier>(rows.Count);
        foreach (var row in rows)
        {
            var supplier = new Supplier
            {
                Id = Guid.NewGuid(),
                LegalName = row.LegalName,
                CountryCode = row.CountryCode,
                Lei = row.Lei,
                Duns = row.Duns,
                Eori = row.Eori,
                Vat = row.Vat,
                Tier = row.Tier ?? SupplierTier.Tier3Standard,
                Lifecycle = SupplierLifecycle.Invited,
            };
            db.Suppliers.Add(supplier);
            if (row.Tier is { } tier)
            {
                // The history starts with the tier procurement gave in the file, so the supplier page can say where it came from.
                db.TierDecisions.Add(new TierDecision
                {
                    Id = Guid.NewGuid(),
                    SupplierId = supplier.Id,
                    Tier = tier,
                    PreviousTier = null,
                    Source = TierDecisionSource.Override,
                    Justification = tierJustification(row),
                    PolicyVersion = policyVersion,
                    DecidedAt = now,
                    DecidedBy = importedBy,
                });
            }

            imported.Add(new ImportedSupplier(row.Row, supplier.Id, supplier.LegalName, supplier.Tier, row.ContactName, row.ContactEmail));
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // A unique identifier index refused a row: someone added the same identifier after our check. Nothing was
            // written (one SaveChanges is one transaction); sending it again names the row and column.
            db.ChangeTracker.Clear();
            return new([new SupplierImportError(0, "file", "Another change added one of these identifiers while the suppliers were being saved. Nothing was imported; send it again to see which identifier is affected.")], []);
        }

        return new([], imported);
    }

    /// <summary>Reads and checks every line of the file without touching the database.</summary>
    public static async Task<(List<SupplierImportRow> Rows, List<SupplierImportError> Errors)> ReadAsync(Stream content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        var rows = new List<SupplierImportRow>();
        var errors = new List<SupplierImportError>();

        // Read into memory with a hard cap first: the limit holds whatever the caller's stream claims about its length.
        var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await content.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxFileBytes)
            {
                errors.Add(new(0, "file", $"The file is larger than {MaxFileBytes / 1024} KiB. Split it into smaller files of at most {MaxRows} suppliers each."));
                return (rows, errors);
            }

            buffer.Write(chunk, 0, read);
        }

        if (buffer.Length == 0)
        {
            errors.Add(new(0, "file", "The file is empty. Download the template, fill in one line per supplier and upload it."));
            return (rows, errors);
        }

        var options = new CsvReaderOptions
        {
            Separator = ',',
            HasHeader = true,
            TrimWhitespace = true,
            TrackLineNumbers = true,
            MalformedData = CsvMalformedDataHandling.Throw,
            MaxRecordSize = 16 * 1024,
            // Values of a rejected file may be personal data (contacts' e-mail addresses); keep them out of exceptions and logs.
            IncludeValuesInExceptions = false,
        };

        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var dataRows = 0;
        try
        {
            using var reader = CsvReader.Create(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), options);
            reader.ReadHeader();
            var index = HeaderIndex(reader.Headers, errors);
            if (errors.Count > 0)
            {
                return (rows, errors);
            }

            while (reader.Read())
            {
                cancellationToken.ThrowIfCancellationRequested();
                dataRows++;
                if (dataRows > MaxRows)
                {
                    errors.Insert(0, new(0, "file", $"The file has more than {MaxRows} suppliers. Split it into files of at most {MaxRows} lines each."));
                    return ([], errors);
                }

                var line = (int)reader.LineNumber;
                string? Field(string name) => index.TryGetValue(name, out var i) && i < reader.FieldCount ? reader.GetString(i) : null;
                var row = ValidateRow(line, Field, seen, errors);
                if (row is not null)
                {
                    rows.Add(row);
                }
            }
        }
        catch (CsvFormatException ex)
        {
            errors.Add(new((int)Math.Max(0, ex.LineNumber), "file",
                "This line is not valid CSV (a quote is misplaced or never closed). Put values with commas or quotes in double quotes and double any quote inside them."));
            return (rows, errors);
        }

        if (dataRows == 0 && errors.Count == 0)
        {
            errors.Add(new(1, "file", "The file has a header line but no suppliers."));
        }

        return (rows, errors);
    }

    private static Dictionary<string, int> HeaderIndex(IReadOnlyList<string> headers, List<SupplierImportError> errors)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < headers.Count; i++)
        {
            var name = headers[i].Trim().TrimStart('\uFEFF').ToLowerInvariant().Replace(' ', '_');
            if (!Columns.Any(c => c.Name == name))
            {
                errors.Add(new(1, headers[i], $"Unknown column \"{headers[i]}\". The columns are: {string.Join(", ", Columns.Select(c => c.Name))}."));
            }
            else if (!index.TryAdd(name, i))
            {
                errors.Add(new(1, headers[i], $"The column \"{name}\" appears twice."));
            }
        }

        foreach (var column in Columns.Where(c => c.Required && !index.ContainsKey(c.Name)))
        {
            errors.Add(new(1, column.Name, $"The header line has no \"{column.Name}\" column; it is required."));
        }

        return index;
    }

    private static SupplierImportRow? ValidateRow(int line, Func<string, string?> field, Dictionary<string, int> seen, List<SupplierImportError> errors)
    {
        var before = errors.Count;
        void Error(string column, string message) => errors.Add(new(line, column, message));

        var legalName = field("legal_name")?.Trim() ?? string.Empty;
        if (legalName.Length == 0)
        {
            Error("legal_name", "Enter the supplier's legal name.");
        }
        else if (legalName.Length > MaxLegalNameLength)
        {
            Error("legal_name", $"The legal name is longer than {MaxLegalNameLength} characters.");
        }

        var country = (field("country") ?? string.Empty).Trim().ToUpperInvariant();
        if (country.Length == 0)
        {
            Error("country", "Enter the country as a two-letter code such as FR.");
        }
        else if (!Countries.IsKnown(country))
        {
            Error("country", $"\"{Shorten(country)}\" is not a two-letter ISO 3166 country code (for example GB, DE, US).");
        }

        var identifiers = new Dictionary<SupplierIdentifierKind, string>();
        foreach (var (column, kind) in new[] { ("lei", SupplierIdentifierKind.Lei), ("duns", SupplierIdentifierKind.Duns), ("eori", SupplierIdentifierKind.Eori), ("vat", SupplierIdentifierKind.Vat) })
        {
            var raw = field(column);
            if (string.IsNullOrWhiteSpace(raw))
            {
                continue;
            }

            if (!SupplierIdentifier.TryCreate(kind, raw, out var identifier, out var problem))
            {
                Error(column, problem);
                continue;
            }

            identifiers[kind] = identifier.Value;
            var key = identifier.ToString();
            if (!seen.TryAdd(key, line))
            {
                Error(column, $"The same {column.ToUpperInvariant()} is already on line {seen[key]} of this file.");
            }
        }

        if (identifiers.Count == 0 && !errors.Skip(before).Any(e => e.Column is "lei" or "duns" or "eori" or "vat"))
        {
            Error("lei", "Give at least one identifier (LEI, DUNS, EORI or VAT) so the supplier can be told apart from others.");
        }

        if (Identity.ContactNames.Check(field("contact_name"), required: true, out var contactName) is { } nameProblem)
        {
            Error("contact_name", nameProblem);
        }

        var email = field("contact_email")?.Trim() ?? string.Empty;
        if (email.Length == 0)
        {
            Error("contact_email", "Enter the contact's e-mail address.");
        }
        else if (email.Length > MaxEmailLength || !MailAddress.TryCreate(email, out var parsed) || !string.Equals(parsed.Address, email, StringComparison.Ordinal) || !email.Contains('.', StringComparison.Ordinal))
        {
            Error("contact_email", "This is not a valid e-mail address (expected name@example.com).");
        }

        SupplierTier? tier = null;
        var tierText = field("tier")?.Trim();
        if (!string.IsNullOrEmpty(tierText))
        {
            tier = tierText.ToUpperInvariant().Replace(" ", string.Empty, StringComparison.Ordinal) switch
            {
                "1" or "TIER1" => SupplierTier.Tier1Critical,
                "2" or "TIER2" => SupplierTier.Tier2Significant,
                "3" or "TIER3" => SupplierTier.Tier3Standard,
                _ => null,
            };
            if (tier is null)
            {
                // Excluding a supplier needs a written justification, which a file line has no room for.
                Error("tier", "The tier is 1, 2 or 3 (or empty). To exclude a supplier, import it and classify it on its page.");
            }
        }

        return errors.Count > before
            ? null
            : new SupplierImportRow(line, legalName, country, identifiers.GetValueOrDefault(SupplierIdentifierKind.Lei), identifiers.GetValueOrDefault(SupplierIdentifierKind.Duns),
                identifiers.GetValueOrDefault(SupplierIdentifierKind.Eori), identifiers.GetValueOrDefault(SupplierIdentifierKind.Vat), contactName!, email, tier);
    }

    /// <summary>Lines whose identifiers a supplier in the portfolio already has: one query for the whole file.</summary>
    private async Task<List<SupplierImportError>> FindExistingAsync(List<SupplierImportRow> rows, CancellationToken cancellationToken)
    {
        var leis = rows.Where(r => r.Lei is not null).Select(r => r.Lei!).ToList();
        var dunses = rows.Where(r => r.Duns is not null).Select(r => r.Duns!).ToList();
        var eoris = rows.Where(r => r.Eori is not null).Select(r => r.Eori!).ToList();
        var vats = rows.Where(r => r.Vat is not null).Select(r => r.Vat!).ToList();

        // The unique indexes span every organisation, so the check does too (procurement sees the whole portfolio anyway).
        var existing = await db.Suppliers.IgnoreQueryFilters().AsNoTracking()
            .Where(s => (s.Lei != null && leis.Contains(s.Lei)) || (s.Duns != null && dunses.Contains(s.Duns))
                || (s.Eori != null && eoris.Contains(s.Eori)) || (s.Vat != null && vats.Contains(s.Vat)))
            .Select(s => new { s.LegalName, s.Lei, s.Duns, s.Eori, s.Vat })
            .ToListAsync(cancellationToken);

        var errors = new List<SupplierImportError>();
        foreach (var row in rows)
        {
            foreach (var s in existing)
            {
                if (row.Lei is not null && row.Lei == s.Lei)
                {
                    errors.Add(new(row.Row, "lei", $"A supplier with this LEI is already in the portfolio ({s.LegalName})."));
                }

                if (row.Duns is not null && row.Duns == s.Duns)
                {
                    errors.Add(new(row.Row, "duns", $"A supplier with this DUNS number is already in the portfolio ({s.LegalName})."));
                }

                if (row.Eori is not null && row.Eori == s.Eori)
                {
                    errors.Add(new(row.Row, "eori", $"A supplier with this EORI number is already in the portfolio ({s.LegalName})."));
                }

                if (row.Vat is not null && row.Vat == s.Vat)
                {
                    errors.Add(new(row.Row, "vat", $"A supplier with this VAT number is already in the portfolio ({s.LegalName})."));
                }
            }
        }

        return errors;
    }

    private static string Shorten(string value) => value.Length > 20 ? value[..20] + "…" : value;
}
