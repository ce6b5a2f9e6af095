using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using SupplierAssure.Core.Credentials;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Partners;
using SupplierAssure.Core.Status;
using SupplierAssure.Core.Suppliers;

namespace SupplierAssure.PartnerGateway.Auth;

/// <summary>
/// GetSecurityStatus on SQLite with prepared statements that are kept: a small pool of open connections, each with
/// the look-up statement prepared once per identifier kind and the credentials statement prepared once, re-run
/// with new parameter values on every call. Microsoft.Data.Sqlite prepares a command's SQL anew for every command
/// object (it keeps no statement cache across commands, and EF Core creates a new command per execution), and
/// preparing was ~40% of a look-up's CPU time; executing an already prepared statement skips all of it.
/// </summary>
/// <remarks>
/// The statements select only the columns the wire message needs, with the table and column names and the value
/// conversions (enums as text, instants as sortable integers, scores as REAL) taken from EF Core's model, so they
/// follow the migrations. The rule is the compiled EF Core query's (<see cref="StatusLookupQueries"/>, still used
/// for SQL Server, which keeps its own plan cache): PartnerVisibilityTests runs every consent case through both.
/// Each execution is its own autocommit read, so a consent revoked or a status written a moment ago is seen by the
/// next call, as with a new connection: nothing here is cached but the compiled statements.
/// </remarks>
public sealed class PreparedStatusLookup : IDisposable
{
    // Sessions beyond this many are closed when returned: a look-up holds one only while its statements run (no
    // awaits in between), so the number in use is about the number of threads running look-ups at once.
    private const int MaxIdleSessions = 16;

    private readonly ConcurrentBag<Session> _idle = [];
    private readonly Dictionary<SupplierIdentifierKind, string> _lookupSql = [];
    private string? _connectionString;
    private string _credentialsSql = string.Empty;
    private Columns _columns = null!;
    private bool _disposed;

    public PreparedStatusLookup(IDbContextFactory<SupplierAssureDbContext> contexts)
    {
        ArgumentNullException.ThrowIfNull(contexts);
        using var db = contexts.CreateDbContext();
        Initialise(db);
    }

    /// <summary>For tests: the look-up for <paramref name="db"/>'s database and model.</summary>
    internal PreparedStatusLookup(SupplierAssureDbContext db)
    {
        ArgumentNullException.ThrowIfNull(db);
        Initialise(db);
    }

    private void Initialise(SupplierAssureDbContext db)
    {
        if (db.Database.ProviderName != "Microsoft.EntityFrameworkCore.Sqlite")
        {
            return;
        }

        // Our own connections, not the provider's pool: a pooled SqliteConnection finalizes its prepared statements
        // when it is closed, so keeping them means keeping the connection open.
        _connectionString = new SqliteConnectionStringBuilder(db.Database.GetConnectionString()) { Pooling = false }.ToString();
        _columns = new Columns(db.Model);
        var c = _columns;
        var select = string.Join(", ",
            $"s.{c.SupplierId.Name}", $"s.{c.LegalName.Name}", $"s.{c.CountryCode.Name}", $"s.{c.AssuranceStatus.Name}", $"s.{c.Tier.Name}",
            $"s.{c.RiskRating.Name}", $"s.{c.OverallScore.Name}", $"s.{c.MaturityLevel.Name}", $"s.{c.LastAssessedAt.Name}",
            $"s.{c.SupplierValidUntil.Name}", $"s.{c.LastStatusSequence.Name}",
            // SharingConsent.IsLiveAt's rule, as in StatusLookupQueries: not revoked, no expiry or one after now.
            $"EXISTS (SELECT 1 FROM {c.ConsentTable} AS c WHERE c.{c.ConsentSupplierId.Name} = s.{c.SupplierId.Name} AND c.{c.ConsentClientId.Name} = $client " +
            $"AND c.{c.ConsentScope.Name} = $scope AND c.{c.ConsentRevokedAt.Name} IS NULL AND (c.{c.ConsentExpiresAt.Name} IS NULL OR c.{c.ConsentExpiresAt.Name} > $now))",
            $"o.{c.Critical.Name}", $"o.{c.Major.Name}", $"o.{c.Minor.Name}", $"o.{c.Improvements.Name}");
        var from = $"FROM {c.SupplierTable} AS s LEFT JOIN {c.OpenFindingsTable} AS o ON o.{c.OpenFindingsSupplierId.Name} = s.{c.SupplierId.Name}";
        foreach (var (kind, column) in new[]
        {
            (SupplierIdentifierKind.InternalId, c.SupplierId), (SupplierIdentifierKind.Lei, c.Lei), (SupplierIdentifierKind.Duns, c.Duns),
            (SupplierIdentifierKind.Eori, c.Eori), (SupplierIdentifierKind.Vat, c.Vat),
        })
        {
            _lookupSql[kind] = $"SELECT {select} {from} WHERE s.{column.Name} = $key LIMIT 2";
        }

        _credentialsSql = $"SELECT {c.CredentialId.Name}, {c.CredentialType.Name}, {c.CredentialNumber.Name}, {c.CredentialLevel.Name}, " +
            $"{c.CredentialState.Name}, {c.CredentialValidUntil.Name}, {c.CredentialVerifiedAt.Name}, {c.CredentialSubmittedAt.Name} " +
            $"FROM {c.CredentialTable} WHERE {c.CredentialSupplierId.Name} = $supplier";
    }

    /// <summary>False when the database is not SQLite; callers then use the compiled EF Core query.</summary>
    public bool IsSupported => _connectionString is not null;

    /// <summary>
    /// The supplier named by <paramref name="kind"/> and <paramref name="value"/> with whether
    /// <paramref name="clientId"/> holds a live consent for it under <paramref name="consentScope"/> at
    /// <paramref name="now"/>, its open findings by grade and, when the caller may see it (consented, or
    /// <paramref name="seesAll"/> for an operator integration client), its credentials; null when no supplier has
    /// that identifier.
    /// </summary>
    /// <remarks>
    /// The <see cref="Supplier"/> and <see cref="Credential"/> objects carry only the columns the security status
    /// shows (identity, name, country, status, tier, risk, score, maturity, dates, sequence); they are never
    /// attached to a context.
    /// </remarks>
    internal StatusLookupRow? Find(SupplierIdentifierKind kind, string value, string clientId, string consentScope, DateTimeOffset now,
        bool seesAll, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed || !IsSupported, this);
        cancellationToken.ThrowIfCancellationRequested();
        var session = _idle.TryTake(out var idle) ? idle : new Session(this);
        var healthy = false;
        try
        {
            var row = session.Find(kind, value, clientId, consentScope, now, seesAll);
            healthy = true;
            return row;
        }
        finally
        {
            // A session whose statement failed half way is closed rather than reused.
            if (healthy && !_disposed && _idle.Count < MaxIdleSessions)
            {
                _idle.Add(session);
            }
            else
            {
                session.Dispose();
            }
        }
    }

    public void Dispose()
    {
        _disposed = true;
        while (_idle.TryTake(out var session))
        {
            session.Dispose();
        }
    }

    /// <summary>One open connection with its prepared statements. Used by one look-up at a time.</summary>
    private sealed class Session : IDisposable
    {
        private readonly PreparedStatusLookup _owner;
        private readonly SqliteConnection _connection;
        private readonly Dictionary<SupplierIdentifierKind, SqliteCommand> _lookups = [];
        private SqliteCommand? _credentials;

        public Session(PreparedStatusLookup owner)
        {
            _owner = owner;
            _connection = new SqliteConnection(owner._connectionString);
            _connection.Open();
            // These connections only read; a statement that tried to write would fail rather than write.
            using var readOnly = _connection.CreateCommand();
            readOnly.CommandText = "PRAGMA query_only = 1;";
            readOnly.ExecuteNonQuery();
        }

        public StatusLookupRow? Find(SupplierIdentifierKind kind, string value, string clientId, string consentScope, DateTimeOffset now, bool seesAll)
        {
            var c = _owner._columns;
            var lookup = Lookup(kind);
            lookup.Parameters[0].Value = kind == SupplierIdentifierKind.InternalId ? c.SupplierId.ToProvider(Guid.Parse(value)) : value;
            lookup.Parameters[1].Value = clientId;
            lookup.Parameters[2].Value = consentScope;
            lookup.Parameters[3].Value = c.ConsentExpiresAt.ToProvider(now);

            Supplier supplier;
            bool consented;
            int critical, major, minor, improvements;
            using (var reader = lookup.ExecuteReader())
            {
                if (!reader.Read())
                {
                    return null;
                }

                supplier = new Supplier
                {
                    Id = c.SupplierId.Read<Guid>(reader, 0),
                    LegalName = c.LegalName.Read<string>(reader, 1),
                    CountryCode = c.CountryCode.Read<string>(reader, 2),
                    AssuranceStatus = c.AssuranceStatus.Read<AssuranceStatus>(reader, 3),
                    Tier = c.Tier.Read<SupplierTier>(reader, 4),
                    RiskRating = c.RiskRating.Read<RiskRating>(reader, 5),
                    OverallScore = c.OverallScore.Read<decimal?>(reader, 6),
                    MaturityLevel = c.MaturityLevel.Read<int?>(reader, 7),
                    LastAssessedAt = c.LastAssessedAt.Read<DateTimeOffset?>(reader, 8),
                    ValidUntil = c.SupplierValidUntil.Read<DateTimeOffset?>(reader, 9),
                    LastStatusSequence = c.LastStatusSequence.Read<long>(reader, 10),
                };
                consented = reader.GetBoolean(11);
                critical = c.Critical.Read<int?>(reader, 12) ?? 0; // no open-findings row: none open
                major = c.Major.Read<int?>(reader, 13) ?? 0;
                minor = c.Minor.Read<int?>(reader, 14) ?? 0;
                improvements = c.Improvements.Read<int?>(reader, 15) ?? 0;
                if (reader.Read())
                {
                    // The identifier columns are unique; two rows would mean the schema lost its index.
                    throw new InvalidOperationException($"More than one supplier has the {kind} identifier.");
                }
            }

            var credentials = new List<Credential>();
            // Hidden suppliers cost no second statement: a caller must not see their credentials anyway.
            if (consented || seesAll)
            {
                var statement = _credentials ??= Prepare(_owner._credentialsSql, ("$supplier", c.CredentialSupplierId));
                statement.Parameters[0].Value = c.CredentialSupplierId.ToProvider(supplier.Id);
                using var reader = statement.ExecuteReader();
                while (reader.Read())
                {
                    credentials.Add(new Credential
                    {
                        Id = c.CredentialId.Read<Guid>(reader, 0),
                        SupplierId = supplier.Id,
                        Type = c.CredentialType.Read<CredentialType>(reader, 1),
                        Number = c.CredentialNumber.Read<string>(reader, 2),
                        Level = c.CredentialLevel.Read<string?>(reader, 3),
                        VerificationState = c.CredentialState.Read<VerificationState>(reader, 4),
                        ValidUntil = c.CredentialValidUntil.Read<DateTimeOffset?>(reader, 5),
                        VerifiedAt = c.CredentialVerifiedAt.Read<DateTimeOffset?>(reader, 6),
                        SubmittedAt = c.CredentialSubmittedAt.Read<DateTimeOffset>(reader, 7),
                        SubmittedBy = string.Empty, // not read: the status does not show who submitted
                    });
                }
            }

            return new StatusLookupRow
            {
                Supplier = supplier,
                Consented = consented,
                Critical = critical,
                Major = major,
                Minor = minor,
                Improvements = improvements,
                Credentials = credentials,
            };
        }

        private SqliteCommand Lookup(SupplierIdentifierKind kind)
        {
            if (!_lookups.TryGetValue(kind, out var command))
            {
                var c = _owner._columns;
                var key = kind switch
                {
                    SupplierIdentifierKind.InternalId => c.SupplierId,
                    SupplierIdentifierKind.Lei => c.Lei,
                    SupplierIdentifierKind.Duns => c.Duns,
                    SupplierIdentifierKind.Eori => c.Eori,
                    SupplierIdentifierKind.Vat => c.Vat,
                    _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown identifier kind."),
                };
                command = Prepare(_owner._lookupSql[kind], ("$key", key), ("$client", c.ConsentClientId), ("$scope", c.ConsentScope), ("$now", c.ConsentExpiresAt));
                _lookups[kind] = command;
            }

            return command;
        }

        private SqliteCommand Prepare(string sql, params (string Name, Column Column)[] parameters)
        {
            var command = _connection.CreateCommand();
            command.CommandText = sql;
            foreach (var (name, column) in parameters)
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = name;
                parameter.SqliteType = column.StoreType;
                command.Parameters.Add(parameter);
            }

            command.Prepare();
            return command;
        }

        public void Dispose()
        {
            foreach (var command in _lookups.Values)
            {
                command.Dispose();
            }

            _credentials?.Dispose();
            _connection.Dispose();
        }
    }

    /// <summary>A column as EF Core maps it: its quoted name, its storage type and its value converter.</summary>
    private sealed class Column
    {
        private readonly ValueConverter? _converter;

        public Column(IEntityType entity, string property)
        {
            var mapped = entity.FindProperty(property) ?? throw new InvalidOperationException($"{entity.DisplayName()} has no property {property}.");
            var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
            Name = Quote(mapped.GetColumnName(table) ?? throw new InvalidOperationException($"{entity.DisplayName()}.{property} has no column."));
            _converter = mapped.GetTypeMapping().Converter;
            var store = (_converter?.ProviderClrType ?? mapped.ClrType);
            store = Nullable.GetUnderlyingType(store) ?? store;
            StoreType = store == typeof(string) || store == typeof(Guid) ? SqliteType.Text
                : store == typeof(double) || store == typeof(float) || store == typeof(decimal) ? SqliteType.Real
                : store == typeof(byte[]) ? SqliteType.Blob
                : SqliteType.Integer;
        }

        public string Name { get; }

        public SqliteType StoreType { get; }

        // EF Core's SQLite provider stores GUIDs as upper-case text; Microsoft.Data.Sqlite writes a Guid bound as
        // SqliteType.Text that way, so a Guid needs no conversion here.
        public object ToProvider(object value) => _converter?.ConvertToProvider(value) ?? value;

        public T Read<T>(SqliteDataReader reader, int ordinal)
        {
            if (reader.IsDBNull(ordinal))
            {
                return default!;
            }

            if (_converter is not null)
            {
                var stored = _converter.ProviderClrType;
                stored = Nullable.GetUnderlyingType(stored) ?? stored;
                var raw = stored == typeof(long) ? reader.GetInt64(ordinal)
                    : stored == typeof(string) ? reader.GetString(ordinal)
                    : stored == typeof(double) ? reader.GetDouble(ordinal)
                    : stored == typeof(int) ? reader.GetInt32(ordinal)
                    : Convert.ChangeType(reader.GetValue(ordinal), stored, CultureInfo.InvariantCulture);
                return (T)_converter.ConvertFromProvider(raw)!;
            }

            var type = typeof(T);
            type = Nullable.GetUnderlyingType(type) ?? type;
            return type == typeof(Guid) ? (T)(object)reader.GetGuid(ordinal)
                : type == typeof(int) ? (T)(object)reader.GetInt32(ordinal)
                : type == typeof(long) ? (T)(object)reader.GetInt64(ordinal)
                : reader.GetFieldValue<T>(ordinal);
        }

        private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    /// <summary>Every column the two statements read or filter on, resolved from the model once.</summary>
    private sealed class Columns
    {
        public Columns(IModel model)
        {
            var supplier = Entity(model, typeof(Supplier), out var supplierTable);
            var consent = Entity(model, typeof(SharingConsent), out var consentTable);
            var open = Entity(model, typeof(SupplierOpenFindings), out var openTable);
            var credential = Entity(model, typeof(Credential), out var credentialTable);
            SupplierTable = supplierTable;
            ConsentTable = consentTable;
            OpenFindingsTable = openTable;
            CredentialTable = credentialTable;

            SupplierId = new(supplier, nameof(Supplier.Id));
            LegalName = new(supplier, nameof(Supplier.LegalName));
            CountryCode = new(supplier, nameof(Supplier.CountryCode));
            AssuranceStatus = new(supplier, nameof(Supplier.AssuranceStatus));
            Tier = new(supplier, nameof(Supplier.Tier));
            RiskRating = new(supplier, nameof(Supplier.RiskRating));
            OverallScore = new(supplier, nameof(Supplier.OverallScore));
            MaturityLevel = new(supplier, nameof(Supplier.MaturityLevel));
            LastAssessedAt = new(supplier, nameof(Supplier.LastAssessedAt));
            SupplierValidUntil = new(supplier, nameof(Supplier.ValidUntil));
            LastStatusSequence = new(supplier, nameof(Supplier.LastStatusSequence));
            Lei = new(supplier, nameof(Supplier.Lei));
            Duns = new(supplier, nameof(Supplier.Duns));
            Eori = new(supplier, nameof(Supplier.Eori));
            Vat = new(supplier, nameof(Supplier.Vat));

            ConsentSupplierId = new(consent, nameof(SharingConsent.SupplierId));
            ConsentClientId = new(consent, nameof(SharingConsent.PartnerClientId));
            ConsentScope = new(consent, nameof(SharingConsent.Scope));
            ConsentRevokedAt = new(consent, nameof(SharingConsent.RevokedAt));
            ConsentExpiresAt = new(consent, nameof(SharingConsent.ExpiresAt));

            OpenFindingsSupplierId = new(open, nameof(SupplierOpenFindings.SupplierId));
            Critical = new(open, nameof(SupplierOpenFindings.Critical));
            Major = new(open, nameof(SupplierOpenFindings.Major));
            Minor = new(open, nameof(SupplierOpenFindings.Minor));
            Improvements = new(open, nameof(SupplierOpenFindings.Improvements));

            CredentialId = new(credential, nameof(Credential.Id));
            CredentialSupplierId = new(credential, nameof(Credential.SupplierId));
            CredentialType = new(credential, nameof(Credential.Type));
            CredentialNumber = new(credential, nameof(Credential.Number));
            CredentialLevel = new(credential, nameof(Credential.Level));
            CredentialState = new(credential, nameof(Credential.VerificationState));
            CredentialValidUntil = new(credential, nameof(Credential.ValidUntil));
            CredentialVerifiedAt = new(credential, nameof(Credential.VerifiedAt));
            CredentialSubmittedAt = new(credential, nameof(Credential.SubmittedAt));
        }

        public string SupplierTable { get; }
        public string ConsentTable { get; }
        public string OpenFindingsTable { get; }
        public string CredentialTable { get; }
        public Column SupplierId { get; }
        public Column LegalName { get; }
        public Column CountryCode { get; }
        public Column AssuranceStatus { get; }
        public Column Tier { get; }
        public Column RiskRating { get; }
        public Column OverallScore { get; }
        public Column MaturityLevel { get; }
        public Column LastAssessedAt { get; }
        public Column SupplierValidUntil { get; }
        public Column LastStatusSequence { get; }
        public Column Lei { get; }
        public Column Duns { get; }
        public Column Eori { get; }
        public Column Vat { get; }
        public Column ConsentSupplierId { get; }
        public Column ConsentClientId { get; }
        public Column ConsentScope { get; }
        public Column ConsentRevokedAt { get; }
        public Column ConsentExpiresAt { get; }
        public Column OpenFindingsSupplierId { get; }
        public Column Critical { get; }
        public Column Major { get; }
        public Column Minor { get; }
        public Column Improvements { get; }
        public Column CredentialId { get; }
        public Column CredentialSupplierId { get; }
        public Column CredentialType { get; }
        public Column CredentialNumber { get; }
        public Column CredentialLevel { get; }
        public Column CredentialState { get; }
        public Column CredentialValidUntil { get; }
        public Column CredentialVerifiedAt { get; }
        public Column CredentialSubmittedAt { get; }

        private static IEntityType Entity(IModel model, Type type, out string table)
        {
            var entity = model.FindEntityType(type) ?? throw new InvalidOperationException($"The model has no {type.Name}.");
            table = "\"" + (entity.GetTableName() ?? throw new InvalidOperationException($"{type.Name} has no table.")).Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
            return entity;
        }
    }
}
