using Google.Rpc;
using Grpc.Core;
using SupplierAssure.Core.Demo;
using SupplierAssure.Partner.V1;
using SupplierAssure.PartnerGateway.Services;
using static SupplierAssure.PartnerGateway.Tests.GatewayFixture;
using WireIdentifier = SupplierAssure.Partner.V1.SupplierIdentifier;

namespace SupplierAssure.PartnerGateway.Tests;

/// <summary>BatchGetSecurityStatus end to end: per-item results, request-level limits, scope.</summary>
[Collection(GatewayCollection.Name)]
public sealed class BatchGetSecurityStatusTests(GatewayFixture fixture)
{
    [Fact]
    public async Task Batch_MixedIdentifiers_AnswersEachInRequestOrder()
    {
        var request = new BatchGetSecurityStatusRequest
        {
            Identifiers =
            {
                Id(IdentifierType.Lei, DemoData.MeridianLei),
                Id(IdentifierType.Lei, DemoData.CalderaLei), // exists, but no consent for the demo partner
                Id(IdentifierType.Lei, "529900MERIDIAN000176"), // wrong check digits
                Id(IdentifierType.Unspecified, "anything"),
                Id(IdentifierType.Duns, "123456789"), // Meridian again, by another identifier
            },
        };

        var response = await fixture.Client.BatchGetSecurityStatusAsync(request, Bearer(fixture.StatusReadToken));

        Assert.Equal(5, response.Results.Count);
        Assert.Equal(request.Identifiers, response.Results.Select(r => r.Identifier));
        Assert.Equal(DemoData.MeridianSupplierId.ToString(), response.Results[0].Status.SupplierId);
        Assert.Equal((int)Code.NotFound, response.Results[1].Error.Code);
        Assert.Equal("identifiers[2].value", Violation(response.Results[2].Error).Field);
        Assert.Equal("identifiers[3].type", Violation(response.Results[3].Error).Field);
        Assert.Equal(DemoData.MeridianSupplierId.ToString(), response.Results[4].Status.SupplierId);
    }

    [Fact]
    public async Task Batch_UnknownAndHiddenSupplier_AnswerTheSameNotFound()
    {
        var response = await fixture.Client.BatchGetSecurityStatusAsync(new BatchGetSecurityStatusRequest
        {
            Identifiers = { Id(IdentifierType.Lei, DemoData.CalderaLei), Id(IdentifierType.Lei, "529900NOSUCHSUPP0181") },
        }, Bearer(fixture.StatusReadToken));

        Assert.Equal(response.Results[0].Error, response.Results[1].Error);
    }

    [Fact]
    public async Task Batch_ThousandIdentifiers_AnswersAll()
    {
        var request = new BatchGetSecurityStatusRequest();
        request.Identifiers.Add(Id(IdentifierType.Lei, DemoData.MeridianLei));
        for (var i = 1; i < PartnerExchangeService.MaxBatchSize; i++)
        {
            request.Identifiers.Add(Id(IdentifierType.SupplierId, Guid.NewGuid().ToString()));
        }

        var response = await fixture.Client.BatchGetSecurityStatusAsync(request, Bearer(fixture.StatusReadToken));

        Assert.Equal(PartnerExchangeService.MaxBatchSize, response.Results.Count);
        Assert.Equal(SecurityStatusResult.ResultOneofCase.Status, response.Results[0].ResultCase);
        Assert.All(response.Results.Skip(1), r => Assert.Equal((int)Code.NotFound, r.Error.Code));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(PartnerExchangeService.MaxBatchSize + 1)]
    public async Task Batch_EmptyOrTooMany_IsInvalidArgumentOnIdentifiers(int count)
    {
        var request = new BatchGetSecurityStatusRequest();
        request.Identifiers.Add(Enumerable.Range(0, count).Select(_ => Id(IdentifierType.Lei, DemoData.MeridianLei)));

        var ex = await Assert.ThrowsAsync<RpcException>(() =>
            fixture.Client.BatchGetSecurityStatusAsync(request, Bearer(fixture.StatusReadToken)).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Equal("identifiers", Violation(ex.GetRpcStatus()!).Field);
    }

    [Fact]
    public async Task Batch_TokenWithoutStatusScope_IsPermissionDenied()
    {
        var token = await fixture.Portal.GetPartnerTokenAsync(scope: "partner.incidents.write");

        var ex = await Assert.ThrowsAsync<RpcException>(() => fixture.Client.BatchGetSecurityStatusAsync(
            new BatchGetSecurityStatusRequest { Identifiers = { Id(IdentifierType.Lei, DemoData.MeridianLei) } }, Bearer(token)).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, ex.StatusCode);
    }

    private static WireIdentifier Id(IdentifierType type, string value) => new() { Type = type, Value = value };

    private static BadRequest.Types.FieldViolation Violation(Google.Rpc.Status status)
    {
        Assert.Equal((int)Code.InvalidArgument, status.Code);
        return Assert.Single(status.GetDetail<BadRequest>()!.FieldViolations);
    }
}
