using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Demo;
using SupplierAssure.Partner.V1;
using static SupplierAssure.PartnerGateway.Tests.GatewayFixture;
using WireIdentifier = SupplierAssure.Partner.V1.SupplierIdentifier;

namespace SupplierAssure.PartnerGateway.Tests;

/// <summary>Credentials and incident reports end to end: validation, idempotent retries, consent, scopes.</summary>
[Collection(GatewayCollection.Name)]
public sealed class CredentialAndIncidentTests(GatewayFixture fixture)
{
    private const string WriteScopes = "partner.credentials.write partner.credentials.read partner.incidents.write";
    private static readonly WireIdentifier Meridian = new() { Type = IdentifierType.Lei, Value = DemoData.MeridianLei };

    [Fact]
    public async Task SubmitCredential_SameKeyTwice_CreatesOneCredential()
    {
        var token = await fixture.Portal.GetPartnerTokenAsync(scope: WriteScopes);
        var request = Aeo(Guid.NewGuid().ToString());

        var first = await fixture.Client.SubmitCredentialAsync(request, Bearer(token));
        var retry = await fixture.Client.SubmitCredentialAsync(request, Bearer(token));

        Assert.Equal(first.CredentialId, retry.CredentialId);
        Assert.Equal(VerificationState.Unverified, first.VerificationState);
        Assert.Equal("DEAEOF1234567", first.Number);
        var listed = await fixture.Client.ListCredentialsAsync(new ListCredentialsRequest { Supplier = Meridian }, Bearer(token));
        Assert.Single(listed.Credentials, c => c.CredentialId == first.CredentialId);
    }

    [Fact]
    public async Task SubmitCredential_SameKeyOtherRequest_IsInvalidArgumentOnIdempotencyKey()
    {
        var token = await fixture.Portal.GetPartnerTokenAsync(scope: WriteScopes);
        var key = Guid.NewGuid().ToString();
        await fixture.Client.SubmitCredentialAsync(Aeo(key), Bearer(token));
        var other = Aeo(key);
        other.Number = "DEAEOS7654321";

        var ex = await Assert.ThrowsAsync<RpcException>(() => fixture.Client.SubmitCredentialAsync(other, Bearer(token)).ResponseAsync);

        Assert.Equal("idempotency_key", Fields(ex).Single());
    }

    [Theory]
    [InlineData(CredentialType.EuAeo, "USAEOF123", "", "number")] // the US issues no EU AEO
    [InlineData(CredentialType.EuAeo, "DEAEOX123", "", "number")]
    [InlineData(CredentialType.TapaFsr, "FSR-2024-001", "D", "level")]
    [InlineData(CredentialType.TapaTsr, "TSR-2024-001", "", "level")]
    [InlineData(CredentialType.Iso28000, "C-123", "A", "level")]
    [InlineData(CredentialType.Unspecified, "X-123", "", "type")]
    public async Task SubmitCredential_BadField_IsInvalidArgumentNamingIt(CredentialType type, string number, string level, string field)
    {
        var token = await fixture.Portal.GetPartnerTokenAsync(scope: WriteScopes);
        var request = new SubmitCredentialRequest { IdempotencyKey = Guid.NewGuid().ToString(), Supplier = Meridian, Type = type, Number = number, Level = level };

        var ex = await Assert.ThrowsAsync<RpcException>(() => fixture.Client.SubmitCredentialAsync(request, Bearer(token)).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Contains(field, Fields(ex));
    }

    [Fact]
    public async Task SubmitCredential_MissingKeyAndExpired_NamesBothFields()
    {
        var token = await fixture.Portal.GetPartnerTokenAsync(scope: WriteScopes);
        var request = Aeo(string.Empty);
        request.ValidUntil = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddDays(-1));

        var ex = await Assert.ThrowsAsync<RpcException>(() => fixture.Client.SubmitCredentialAsync(request, Bearer(token)).ResponseAsync);

        Assert.Contains("idempotency_key", Fields(ex));
    }

    [Fact]
    public async Task SubmitCredential_SupplierWithoutConsent_IsNotFound()
    {
        var token = await fixture.Portal.GetPartnerTokenAsync(scope: WriteScopes);
        var request = Aeo(Guid.NewGuid().ToString());
        request.Supplier = new WireIdentifier { Type = IdentifierType.Lei, Value = DemoData.CalderaLei };

        var ex = await Assert.ThrowsAsync<RpcException>(() => fixture.Client.SubmitCredentialAsync(request, Bearer(token)).ResponseAsync);

        Assert.Equal(StatusCode.NotFound, ex.StatusCode);
    }

    [Fact]
    public async Task SubmitCredential_StatusReadTokenOnly_IsPermissionDenied()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() =>
            fixture.Client.SubmitCredentialAsync(Aeo(Guid.NewGuid().ToString()), Bearer(fixture.StatusReadToken)).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, ex.StatusCode);
    }

    [Fact]
    public async Task VerifyCredential_TapaCertificate_GoesToReviewerAndRetryIsIdempotent()
    {
        var token = await fixture.Portal.GetPartnerTokenAsync(scope: WriteScopes);
        var submitted = await fixture.Client.SubmitCredentialAsync(new SubmitCredentialRequest
        {
            IdempotencyKey = Guid.NewGuid().ToString(),
            Supplier = Meridian,
            Type = CredentialType.TapaFsr,
            Number = "FSR 2024 0042",
            Level = "a",
            Issuer = "TAPA EMEA",
        }, Bearer(token));
        var verify = new VerifyCredentialRequest { IdempotencyKey = Guid.NewGuid().ToString(), CredentialId = submitted.CredentialId };

        var verified = await fixture.Client.VerifyCredentialAsync(verify, Bearer(token));
        var again = await fixture.Client.VerifyCredentialAsync(verify, Bearer(token));

        Assert.Equal("A", submitted.Level);
        Assert.Equal(VerificationState.PendingReview, verified.VerificationState);
        Assert.Equal("manual-review", verified.VerificationSource);
        Assert.Equal(verified, again);
    }

    [Theory]
    [InlineData("not-a-uuid", StatusCode.InvalidArgument)]
    [InlineData("00000000-0000-0000-0000-000000000001", StatusCode.NotFound)]
    public async Task VerifyCredential_BadOrUnknownId_NamesTheProblem(string id, StatusCode expected)
    {
        var token = await fixture.Portal.GetPartnerTokenAsync(scope: WriteScopes);

        var ex = await Assert.ThrowsAsync<RpcException>(() => fixture.Client.VerifyCredentialAsync(
            new VerifyCredentialRequest { IdempotencyKey = "k", CredentialId = id }, Bearer(token)).ResponseAsync);

        Assert.Equal(expected, ex.StatusCode);
    }

    [Fact]
    public async Task ReportSecurityIncident_BecomesOneOpenFindingEvenWhenRetried()
    {
        var token = await fixture.Portal.GetPartnerTokenAsync(scope: WriteScopes);
        var request = new ReportSecurityIncidentRequest
        {
            IdempotencyKey = Guid.NewGuid().ToString(),
            Supplier = Meridian,
            Category = IncidentCategory.SealBreach,
            Severity = IncidentSeverity.Major,
            Summary = "Seal number on arrival did not match the manifest.",
            ShipmentReference = "MSKU1234567",
        };

        var first = await fixture.Client.ReportSecurityIncidentAsync(request, Bearer(token));
        var retry = await fixture.Client.ReportSecurityIncidentAsync(request, Bearer(token));

        Assert.Equal(first.FindingId, retry.FindingId);
        await using var db = fixture.Portal.CreateDbContext();
        var finding = await db.Findings.SingleAsync(f => f.Id == Guid.Parse(first.FindingId));
        Assert.Equal(Core.Incidents.FindingState.Open, finding.State);
        Assert.Equal(Core.Incidents.FindingGrade.Major, finding.Grade);
        Assert.Equal(DemoData.MeridianSupplierId, finding.SupplierId);
        Assert.Equal(DemoData.PartnerClientId, finding.ReportedBy);
    }

    [Fact]
    public async Task ReportSecurityIncident_NoCategoryNoSummaryFutureDate_NamesEachField()
    {
        var token = await fixture.Portal.GetPartnerTokenAsync(scope: WriteScopes);
        var request = new ReportSecurityIncidentRequest
        {
            IdempotencyKey = Guid.NewGuid().ToString(),
            Supplier = Meridian,
            Severity = IncidentSeverity.Minor,
            OccurredAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddDays(1)),
        };

        var ex = await Assert.ThrowsAsync<RpcException>(() => fixture.Client.ReportSecurityIncidentAsync(request, Bearer(token)).ResponseAsync);

        Assert.Equal(["category", "occurred_at", "summary"], Fields(ex).Order());
    }

    private static SubmitCredentialRequest Aeo(string key) => new()
    {
        IdempotencyKey = key,
        Supplier = Meridian,
        Type = CredentialType.EuAeo,
        Number = "de aeof 1234567",
        Issuer = "Generalzolldirektion",
        ValidFrom = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddYears(-1)),
    };

    private static List<string> Fields(RpcException ex)
    {
        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        return ex.GetRpcStatus()!.GetDetail<BadRequest>()!.FieldViolations.Select(v => v.Field).ToList();
    }
}
