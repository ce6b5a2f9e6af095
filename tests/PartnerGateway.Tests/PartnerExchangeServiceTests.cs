using Google.Rpc;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Demo;
using SupplierAssure.Partner.V1;
using SupplierAssure.TestSupport;
using static SupplierAssure.PartnerGateway.Tests.GatewayFixture;

namespace SupplierAssure.PartnerGateway.Tests;

/// <summary>GetSecurityStatus end to end: real Portal tokens, the real gateway pipeline, the seeded demo database.</summary>
[Collection(GatewayCollection.Name)]
public sealed class PartnerExchangeServiceTests(GatewayFixture fixture)
{
    /// <summary>A well-formed LEI (its check digits are right) that no demo supplier has.</summary>
    private const string UnknownLei = "529900NOSUCHSUPP0181";

    [Fact]
    public async Task GetSecurityStatus_ConsentedSupplierByLei_ReturnsItsStatus()
    {
        var status = await fixture.Client.GetSecurityStatusAsync(
            Lookup(IdentifierType.Lei, DemoData.MeridianLei), Bearer(fixture.StatusReadToken));

        Assert.Equal(DemoData.MeridianSupplierId.ToString(), status.SupplierId);
        Assert.Equal("Meridian Freight Services Ltd", status.LegalName);
        Assert.Equal("GB", status.CountryCode);
        Assert.Equal(AssuranceStatus.AssessmentInProgress, status.AssuranceStatus);
        Assert.Equal(SupplierTier.Standard, status.Tier);
        Assert.Equal(RiskRating.Unrated, status.RiskRating);
        // Not yet scored: absent, not zero.
        Assert.False(status.HasOverallScore);
        Assert.False(status.HasMaturityLevel);
        Assert.Null(status.LastAssessed);
    }

    [Theory]
    [InlineData(IdentifierType.Duns, "123-456-789")]
    [InlineData(IdentifierType.Eori, "gb123456789000")]
    [InlineData(IdentifierType.Vat, "GB 123456789")]
    [InlineData(IdentifierType.SupplierId, "5A7C1D2E-2B7D-4F5E-8C1A-0D3B5A000001")]
    [InlineData(IdentifierType.Lei, " 529900meridian000175 ")]
    public async Task GetSecurityStatus_OtherIdentifierForms_FindTheSameSupplier(IdentifierType type, string value)
    {
        var status = await fixture.Client.GetSecurityStatusAsync(Lookup(type, value), Bearer(fixture.StatusReadToken));

        Assert.Equal(DemoData.MeridianSupplierId.ToString(), status.SupplierId);
    }

    [Fact]
    public async Task GetSecurityStatus_NoToken_IsUnauthenticated()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() =>
            fixture.Client.GetSecurityStatusAsync(Lookup(IdentifierType.Lei, DemoData.MeridianLei)).ResponseAsync);

        Assert.Equal(StatusCode.Unauthenticated, ex.StatusCode);
    }

    [Fact]
    public async Task GetSecurityStatus_TokenWithBrokenSignature_IsUnauthenticated()
    {
        var parts = fixture.StatusReadToken.Split('.');
        var signature = parts[2].ToCharArray();
        var middle = signature.Length / 2;
        signature[middle] = signature[middle] == 'A' ? 'B' : 'A';
        var forged = string.Join('.', parts[0], parts[1], new string(signature));

        var ex = await Assert.ThrowsAsync<RpcException>(() =>
            fixture.Client.GetSecurityStatusAsync(Lookup(IdentifierType.Lei, DemoData.MeridianLei), Bearer(forged)).ResponseAsync);

        Assert.Equal(StatusCode.Unauthenticated, ex.StatusCode);
    }

    [Fact]
    public async Task GetSecurityStatus_TokenWithoutStatusScope_IsPermissionDenied()
    {
        // The demo partner may also report incidents; a token granted only that scope must not read status.
        var token = await fixture.Portal.GetPartnerTokenAsync(scope: "partner.incidents.write");

        var ex = await Assert.ThrowsAsync<RpcException>(() =>
            fixture.Client.GetSecurityStatusAsync(Lookup(IdentifierType.Lei, DemoData.MeridianLei), Bearer(token)).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, ex.StatusCode);
    }

    [Fact]
    public async Task GetSecurityStatus_SupplierWithoutConsent_IsNotFound()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() =>
            fixture.Client.GetSecurityStatusAsync(Lookup(IdentifierType.Lei, DemoData.CalderaLei), Bearer(fixture.StatusReadToken)).ResponseAsync);

        Assert.Equal(StatusCode.NotFound, ex.StatusCode);
    }

    [Fact]
    public async Task GetSecurityStatus_UnknownAndUnsharedSupplier_AnswerIdentically()
    {
        var unshared = await Assert.ThrowsAsync<RpcException>(() =>
            fixture.Client.GetSecurityStatusAsync(Lookup(IdentifierType.Lei, DemoData.CalderaLei), Bearer(fixture.StatusReadToken)).ResponseAsync);
        var unknown = await Assert.ThrowsAsync<RpcException>(() =>
            fixture.Client.GetSecurityStatusAsync(Lookup(IdentifierType.Lei, UnknownLei), Bearer(fixture.StatusReadToken)).ResponseAsync);

        Assert.Equal(unknown.Status, unshared.Status);
        Assert.Equal(unknown.Trailers.Select(t => t.Key), unshared.Trailers.Select(t => t.Key));
    }

    [Fact]
    public async Task GetSecurityStatus_MalformedLei_IsInvalidArgumentNamingTheValue()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() =>
            fixture.Client.GetSecurityStatusAsync(Lookup(IdentifierType.Lei, "529900MERIDIAN000176"), Bearer(fixture.StatusReadToken)).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        var violation = Assert.Single(BadRequestOf(ex).FieldViolations);
        Assert.Equal("identifier.value", violation.Field);
        Assert.Contains("check digits", violation.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetSecurityStatus_UnspecifiedType_IsInvalidArgumentNamingTheType()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() =>
            fixture.Client.GetSecurityStatusAsync(Lookup(IdentifierType.Unspecified, DemoData.MeridianLei), Bearer(fixture.StatusReadToken)).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Equal("identifier.type", Assert.Single(BadRequestOf(ex).FieldViolations).Field);
    }

    [Fact]
    public async Task GetSecurityStatus_MissingIdentifier_IsInvalidArgumentNamingIt()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() =>
            fixture.Client.GetSecurityStatusAsync(new GetSecurityStatusRequest(), Bearer(fixture.StatusReadToken)).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Equal("identifier", Assert.Single(BadRequestOf(ex).FieldViolations).Field);
    }

    [Fact]
    public async Task GetSecurityStatus_RequestOverOneMegabyte_IsRejected()
    {
        var huge = Lookup(IdentifierType.Lei, new string('A', 1024 * 1024 + 1));

        var ex = await Assert.ThrowsAsync<RpcException>(() =>
            fixture.Client.GetSecurityStatusAsync(huge, Bearer(fixture.StatusReadToken)).ResponseAsync);

        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
    }

    [Fact]
    public async Task GetSecurityStatus_OperatorIntegrationClient_SeesSuppliersWithoutConsent()
    {
        await using var gateway = new GatewayFactory(fixture.Portal)
            .With("PartnerGateway:OperatorIntegrationClients:0", DemoData.PartnerClientId);
        using var channel = gateway.CreateChannel();
        var client = new PartnerExchange.PartnerExchangeClient(channel);

        var status = await client.GetSecurityStatusAsync(Lookup(IdentifierType.Lei, DemoData.CalderaLei), Bearer(fixture.StatusReadToken));

        Assert.Equal(DemoData.CalderaSupplierId.ToString(), status.SupplierId);
    }

    [Fact]
    public async Task GetSecurityStatus_UnexpectedFailure_IsInternalWithoutDetails()
    {
        const string secret = "Data Source=/srv/secret-path.db;Password=hunter2";
        await using var gateway = new GatewayFactory(fixture.Portal)
            .WithServices(s => s.AddScoped<SupplierAssureDbContext>(_ => throw new InvalidOperationException(secret)));
        using var channel = gateway.CreateChannel();
        var client = new PartnerExchange.PartnerExchangeClient(channel);

        var ex = await Assert.ThrowsAsync<RpcException>(() =>
            client.GetSecurityStatusAsync(Lookup(IdentifierType.Lei, DemoData.MeridianLei), Bearer(fixture.StatusReadToken)).ResponseAsync);

        Assert.Equal(StatusCode.Internal, ex.StatusCode);
        Assert.DoesNotContain("hunter2", ex.Status.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(nameof(InvalidOperationException), ex.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("Trace id", ex.Status.Detail, StringComparison.Ordinal);
    }

    private static BadRequest BadRequestOf(RpcException ex)
    {
        var status = ex.GetRpcStatus();
        Assert.NotNull(status);
        Assert.Equal((int)Code.InvalidArgument, status.Code);
        var badRequest = status.GetDetail<BadRequest>();
        Assert.NotNull(badRequest);
        return badRequest;
    }
}
