using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using SupplierAssure.Core.Credentials;
using SupplierAssure.Core.Incidents;
using SupplierAssure.Core.Partners;
using SupplierAssure.Core.Suppliers;
using SupplierAssure.Migrations.Sqlite;
using SupplierAssure.PartnerGateway.Auth;
using SupplierAssure.TestSupport;

namespace SupplierAssure.PartnerGateway.Tests;

/// <summary>The consent rule on a real (SQLite) database: which consents make a supplier visible, and which do not.</summary>
public sealed class PartnerVisibilityTests : IAsyncLifetime
{
    private const string Partner = "acme-logistics";
    private const string OtherPartner = "other-partner";
    private const string OperatorClient = "operator-erp";
    private static readonly DateTimeOffset Now = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly string _dataDirectory = Directory.CreateDirectory(TestPaths.NewDataDirectory()).FullName;
    private readonly FakeTimeProvider _clock = new(Now);
    private SqliteSupplierAssureDbContext _db = null!;
    private PreparedStatusLookup _prepared = null!;

    public async Task InitializeAsync()
    {
        var options = new DbContextOptionsBuilder<SqliteSupplierAssureDbContext>();
        SqliteSupplierAssureDbContext.Configure(options, $"Data Source={Path.Combine(_dataDirectory, "visibility.db")}");
        _db = new SqliteSupplierAssureDbContext(options.Options);
        await _db.Database.MigrateAsync();
        _prepared = new PreparedStatusLookup(_db);
        Assert.True(_prepared.IsSupported);
    }

    public async Task DisposeAsync()
    {
        _prepared.Dispose();
        await _db.DisposeAsync();
        TestPaths.TryDelete(_dataDirectory);
    }

    [Fact]
    public async Task Find_LiveConsent_Visible()
    {
        var supplier = await AddSupplierAsync(new Consent(Partner));

        Assert.Equal(supplier.Id, (await FindAsync(Partner, supplier))?.Id);
    }

    [Fact]
    public async Task Find_ConsentExpiringLater_Visible()
    {
        var supplier = await AddSupplierAsync(new Consent(Partner, ExpiresAt: Now.AddMinutes(1)));

        Assert.NotNull(await FindAsync(Partner, supplier));
    }

    [Fact]
    public async Task Find_ExpiredConsent_NotVisible()
    {
        var supplier = await AddSupplierAsync(new Consent(Partner, ExpiresAt: Now.AddSeconds(-1)));

        Assert.Null(await FindAsync(Partner, supplier));
    }

    [Fact]
    public async Task Find_RevokedConsent_NotVisible()
    {
        var supplier = await AddSupplierAsync(new Consent(Partner, RevokedAt: Now.AddDays(-1)));

        Assert.Null(await FindAsync(Partner, supplier));
    }

    [Fact]
    public async Task Find_ConsentForAnotherScope_NotVisible()
    {
        var supplier = await AddSupplierAsync(new Consent(Partner, Scope: "credentials"));

        Assert.Null(await FindAsync(Partner, supplier));
    }

    [Fact]
    public async Task Find_ConsentForAnotherPartner_NotVisible()
    {
        var supplier = await AddSupplierAsync(new Consent(OtherPartner));

        Assert.Null(await FindAsync(Partner, supplier));
    }

    [Fact]
    public async Task Find_RevokedAndLiveConsents_VisibleThroughTheLiveOne()
    {
        var supplier = await AddSupplierAsync(new Consent(Partner, RevokedAt: Now.AddDays(-3)), new Consent(Partner));

        Assert.NotNull(await FindAsync(Partner, supplier));
    }

    [Fact]
    public async Task Find_OperatorIntegrationClient_VisibleWithoutConsent()
    {
        var supplier = await AddSupplierAsync();

        Assert.NotNull(await FindAsync(OperatorClient, supplier));
        Assert.Null(await FindAsync(Partner, supplier));
    }

    [Fact]
    public async Task Find_UnknownIdentifier_Null()
    {
        await AddSupplierAsync(new Consent(Partner));
        Assert.True(SupplierIdentifier.TryCreate(SupplierIdentifierKind.Lei, "529900NOSUCHSUPP0181", out var unknown, out _));

        Assert.Null(await Visibility().FindSupplierAsync(new PartnerCaller(OperatorClient), unknown, SharingConsent.StatusScope, CancellationToken.None));
        Assert.Null(await Visibility().FindStatusAsync(new PartnerCaller(OperatorClient), unknown, SharingConsent.StatusScope, CancellationToken.None));
        Assert.Null(await Visibility(prepared: true).FindStatusAsync(new PartnerCaller(OperatorClient), unknown, SharingConsent.StatusScope, CancellationToken.None));
    }

    [Theory]
    [InlineData(SupplierIdentifierKind.Duns, "987654321")]
    [InlineData(SupplierIdentifierKind.Eori, "NL987654321")]
    [InlineData(SupplierIdentifierKind.Vat, "NL987654321B01")]
    public async Task Find_ByEachIdentifierKind_FindsTheSupplier(SupplierIdentifierKind kind, string value)
    {
        var supplier = await AddSupplierAsync(new Consent(Partner));
        Assert.True(SupplierIdentifier.TryCreate(kind, value, out var identifier, out var error), error);

        var found = await Visibility().FindSupplierAsync(new PartnerCaller(Partner), identifier, SharingConsent.StatusScope, CancellationToken.None);
        var status = await Visibility().FindStatusAsync(new PartnerCaller(Partner), identifier, SharingConsent.StatusScope, CancellationToken.None);
        var prepared = await Visibility(prepared: true).FindStatusAsync(new PartnerCaller(Partner), identifier, SharingConsent.StatusScope, CancellationToken.None);

        Assert.Equal(supplier.Id, found?.Id);
        Assert.Equal(supplier.Id, status?.Supplier.Id);
        Assert.Equal(supplier.Id, prepared?.Supplier.Id);
    }

    [Fact]
    public async Task FindStatus_ByInternalId_FindsTheSupplierWithItsDetails()
    {
        var supplier = await AddSupplierAsync(new Consent(Partner));
        _db.Credentials.Add(new Credential
        {
            Id = Guid.NewGuid(),
            SupplierId = supplier.Id,
            Type = CredentialType.Iso28000,
            Number = "ISO28000-0042",
            SubmittedBy = "test",
            SubmittedAt = Now.AddDays(-2),
        });
        _db.Findings.Add(new Finding { Id = Guid.NewGuid(), SupplierId = supplier.Id, Grade = FindingGrade.Critical, Summary = "Seal broken on arrival.", ReportedBy = "test" });
        _db.Findings.Add(new Finding { Id = Guid.NewGuid(), SupplierId = supplier.Id, Grade = FindingGrade.Major, State = FindingState.Closed, Summary = "Gate left open.", ReportedBy = "test" });
        await _db.SaveChangesAsync();
        var id = new SupplierIdentifier(SupplierIdentifierKind.InternalId, supplier.Id.ToString());

        foreach (var prepared in new[] { false, true })
        {
            var status = await Visibility(prepared).FindStatusAsync(new PartnerCaller(Partner), id, SharingConsent.StatusScope, CancellationToken.None);

            Assert.NotNull(status);
            Assert.Equal(supplier.Id, status.Value.Supplier.Id);
            Assert.Equal(1, status.Value.Details.OpenFindings.Critical);
            Assert.Equal(0, status.Value.Details.OpenFindings.Major); // the major one is closed
            Assert.Equal("ISO28000-0042", Assert.Single(status.Value.Details.Credentials).Number);
        }
    }

    [Fact]
    public async Task FindStatus_Prepared_SameWireStatusAsTheCompiledQuery()
    {
        var supplier = await AddSupplierAsync(new Consent(Partner));
        var stored = await _db.Suppliers.SingleAsync(s => s.Id == supplier.Id);
        stored.AssuranceStatus = AssuranceStatus.ConditionallyApproved;
        stored.Tier = SupplierTier.Tier1Critical;
        stored.RiskRating = RiskRating.High;
        stored.OverallScore = 71.5m;
        stored.MaturityLevel = 3;
        stored.LastAssessedAt = Now.AddDays(-10);
        stored.ValidUntil = Now.AddYears(1);
        stored.LastStatusSequence = 42;
        _db.Credentials.Add(new Credential
        {
            Id = Guid.NewGuid(), SupplierId = supplier.Id, Type = CredentialType.EuAeo, Number = "NLAEOS0000012345", Level = "S",
            VerificationState = VerificationState.Verified, VerifiedAt = Now.AddDays(-1), ValidUntil = Now.AddYears(2),
            SubmittedBy = "test", SubmittedAt = Now.AddDays(-3),
        });
        _db.Credentials.Add(new Credential
        {
            Id = Guid.NewGuid(), SupplierId = supplier.Id, Type = CredentialType.Iso28000, Number = "ISO28000-0042",
            SubmittedBy = "test", SubmittedAt = Now.AddDays(-2),
        });
        _db.Findings.Add(new Finding { Id = Guid.NewGuid(), SupplierId = supplier.Id, Grade = FindingGrade.Minor, Summary = "Visitor log incomplete.", ReportedBy = "test" });
        await _db.SaveChangesAsync();
        _db.ChangeTracker.Clear();
        var id = new SupplierIdentifier(SupplierIdentifierKind.Lei, supplier.Lei!);

        var compiled = await Visibility().FindStatusAsync(new PartnerCaller(Partner), id, SharingConsent.StatusScope, CancellationToken.None);
        var prepared = await Visibility(prepared: true).FindStatusAsync(new PartnerCaller(Partner), id, SharingConsent.StatusScope, CancellationToken.None);

        Assert.NotNull(compiled);
        Assert.NotNull(prepared);
        var expected = Services.SecurityStatusMapping.ToSecurityStatus(compiled.Value.Supplier, compiled.Value.Details);
        var actual = Services.SecurityStatusMapping.ToSecurityStatus(prepared.Value.Supplier, prepared.Value.Details);
        Assert.Equal(expected, actual); // protobuf messages compare field by field
        Assert.Equal(2, actual.Credentials.Count);
        Assert.Equal(1, actual.OpenFindings.Minor);
        Assert.Equal(71.5, actual.OverallScore);
    }

    [Fact]
    public async Task FindStatus_Prepared_RevocationSeenByTheNextLookUpOnTheSameOpenConnection()
    {
        var supplier = await AddSupplierAsync(new Consent(Partner));
        var id = new SupplierIdentifier(SupplierIdentifierKind.Lei, supplier.Lei!);
        var visibility = Visibility(prepared: true);
        Assert.NotNull(await visibility.FindStatusAsync(new PartnerCaller(Partner), id, SharingConsent.StatusScope, CancellationToken.None));

        // The pooled session (connection and prepared statements) of the first look-up serves the next one.
        var consent = await _db.SharingConsents.SingleAsync(c => c.SupplierId == supplier.Id);
        consent.RevokedAt = Now;
        await _db.SaveChangesAsync();

        Assert.Null(await visibility.FindStatusAsync(new PartnerCaller(Partner), id, SharingConsent.StatusScope, CancellationToken.None));
    }

    [Fact]
    public async Task FindStatus_ConsentExpiringOneSecondAgoOrLater_JudgedAtTheClocksNow()
    {
        var supplier = await AddSupplierAsync(new Consent(Partner, ExpiresAt: Now.AddSeconds(1)));
        Assert.NotNull(await FindAsync(Partner, supplier));

        _clock.Advance(TimeSpan.FromSeconds(1)); // expiry is exclusive: at the instant itself the consent is over

        Assert.Null(await FindAsync(Partner, supplier));
    }

    [Fact]
    public async Task Find_CancelledCall_Throws()
    {
        var supplier = await AddSupplierAsync(new Consent(Partner));
        var id = new SupplierIdentifier(SupplierIdentifierKind.InternalId, supplier.Id.ToString());

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            Visibility().FindSupplierAsync(new PartnerCaller(Partner), id, SharingConsent.StatusScope, new CancellationToken(canceled: true)));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            Visibility().FindStatusAsync(new PartnerCaller(Partner), id, SharingConsent.StatusScope, new CancellationToken(canceled: true)));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            Visibility(prepared: true).FindStatusAsync(new PartnerCaller(Partner), id, SharingConsent.StatusScope, new CancellationToken(canceled: true)));
    }

    // prepared: FindStatusAsync through PreparedStatusLookup (the gateway on SQLite) instead of the compiled query.
    private PartnerVisibility Visibility(bool prepared = false)
    {
        var options = new PartnerGatewayOptions();
        options.OperatorIntegrationClients.Add(OperatorClient);
        return new PartnerVisibility(_db, new StaticOptionsMonitor(options), _clock, prepared ? _prepared : null);
    }

    // Every way a partner reaches a supplier must agree on every consent case: FindSupplierAsync (credentials,
    // incidents) judges loaded consents with IsLiveAt; FindStatusAsync (status look-ups) judges them in SQL, in the
    // compiled EF Core query and in PreparedStatusLookup's statement.
    private async Task<Supplier?> FindAsync(string clientId, Supplier supplier)
    {
        var caller = new PartnerCaller(clientId);
        var identifier = new SupplierIdentifier(SupplierIdentifierKind.Lei, supplier.Lei!);
        var found = await Visibility().FindSupplierAsync(caller, identifier, SharingConsent.StatusScope, CancellationToken.None);
        var status = await Visibility().FindStatusAsync(caller, identifier, SharingConsent.StatusScope, CancellationToken.None);
        var prepared = await Visibility(prepared: true).FindStatusAsync(caller, identifier, SharingConsent.StatusScope, CancellationToken.None);
        Assert.Equal(found?.Id, status?.Supplier.Id);
        Assert.Equal(found?.Id, prepared?.Supplier.Id);
        return found;
    }

    private async Task<Supplier> AddSupplierAsync(params Consent[] consents)
    {
        var supplier = new Supplier
        {
            Id = Guid.NewGuid(),
            LegalName = "Noordzee Warehousing BV",
            CountryCode = "NL",
            Lei = "529900NOORDZEE000044",
            Duns = "987654321",
            Eori = "NL987654321",
            Vat = "NL987654321B01",
        };
        _db.Suppliers.Add(supplier);
        foreach (var consent in consents)
        {
            _db.SharingConsents.Add(new SharingConsent
            {
                Id = Guid.NewGuid(),
                SupplierId = supplier.Id,
                PartnerClientId = consent.ClientId,
                Scope = consent.Scope,
                GrantedAt = Now.AddDays(-30),
                ExpiresAt = consent.ExpiresAt,
                RevokedAt = consent.RevokedAt,
            });
        }

        await _db.SaveChangesAsync();
        _db.ChangeTracker.Clear();
        return supplier;
    }

    private sealed record Consent(string ClientId, string Scope = SharingConsent.StatusScope, DateTimeOffset? ExpiresAt = null, DateTimeOffset? RevokedAt = null);

    private sealed class StaticOptionsMonitor(PartnerGatewayOptions value) : IOptionsMonitor<PartnerGatewayOptions>
    {
        public PartnerGatewayOptions CurrentValue => value;

        public PartnerGatewayOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<PartnerGatewayOptions, string?> listener) => null;
    }
}
