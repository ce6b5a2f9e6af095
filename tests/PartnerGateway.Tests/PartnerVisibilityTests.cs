using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
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

    public async Task InitializeAsync()
    {
        var options = new DbContextOptionsBuilder<SqliteSupplierAssureDbContext>();
        SqliteSupplierAssureDbContext.Configure(options, $"Data Source={Path.Combine(_dataDirectory, "visibility.db")}");
        _db = new SqliteSupplierAssureDbContext(options.Options);
        await _db.Database.MigrateAsync();
    }

    public async Task DisposeAsync()
    {
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

        Assert.Equal(supplier.Id, found?.Id);
    }

    [Fact]
    public async Task Find_CancelledCall_Throws()
    {
        var supplier = await AddSupplierAsync(new Consent(Partner));
        var id = new SupplierIdentifier(SupplierIdentifierKind.InternalId, supplier.Id.ToString());

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            Visibility().FindSupplierAsync(new PartnerCaller(Partner), id, SharingConsent.StatusScope, new CancellationToken(canceled: true)));
    }

    private PartnerVisibility Visibility()
    {
        var options = new PartnerGatewayOptions();
        options.OperatorIntegrationClients.Add(OperatorClient);
        return new PartnerVisibility(_db, new StaticOptionsMonitor(options), _clock);
    }

    private Task<Supplier?> FindAsync(string clientId, Supplier supplier) =>
        Visibility().FindSupplierAsync(
            new PartnerCaller(clientId),
            new SupplierIdentifier(SupplierIdentifierKind.Lei, supplier.Lei!),
            SharingConsent.StatusScope,
            CancellationToken.None);

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
