using System.Net;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Assessments;
using SupplierAssure.Core.Demo;
using SupplierAssure.Partner.V1;
using SupplierAssure.TestSupport;

namespace SupplierAssure.PartnerGateway.Tests;

/// <summary>
/// The walking skeleton end to end across both hosts on one database: a supplier answers and submits in the
/// Portal, the workflow scores it, a partner reads the new status through the gateway with a real token; then
/// both hosts stop and start again and everything is still there.
/// </summary>
public sealed class WholeSliceTests
{
    private static readonly byte[] Pdf = "%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"u8.ToArray();

    [Fact]
    public async Task Slice_SubmitScoreReadStatusRestart_EverythingPersists()
    {
        var dataDirectory = TestPaths.NewDataDirectory();
        try
        {
            long sequence;
            string workflowId;
            await using (var portal = new PortalFactory { DataDirectory = dataDirectory, DeleteDataOnDispose = false })
            await using (var gateway = new GatewayFactory(portal))
            {
                // Before: the partner sees Meridian with its assessment still in progress.
                var before = await GetMeridianAsync(portal, gateway);
                Assert.Equal(AssuranceStatus.AssessmentInProgress, before.AssuranceStatus);

                using var session = await PortalSession.SignInAsync(portal, DemoData.SupplierUserEmail);
                var form = await AssessmentForm.AllGoodAsync(portal, DemoData.MeridianAssessmentId);
                form.Attach("OPS-02", "seal-log.pdf", Pdf);
                using (var saved = await form.PostAsync(session, DemoData.MeridianAssessmentId, "Save"))
                {
                    Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
                }

                using (var submitted = await new AssessmentForm().PostAsync(session, DemoData.MeridianAssessmentId, "Submit"))
                {
                    Assert.Equal(HttpStatusCode.Redirect, submitted.StatusCode);
                }

                var assessment = await portal.WaitForAssessmentAsync(DemoData.MeridianAssessmentId, a => a.State == AssessmentState.Approved);
                workflowId = assessment.WorkflowInstanceId!;

                var after = await GetMeridianAsync(portal, gateway);
                Assert.Equal(AssuranceStatus.Approved, after.AssuranceStatus);
                Assert.Equal(98.6, after.OverallScore, 1);
                Assert.Equal(5, after.MaturityLevel);
                Assert.Equal(RiskRating.Low, after.RiskRating);
                Assert.NotNull(after.LastAssessed);
                Assert.NotNull(after.ValidUntil);
                Assert.True(after.LastChangeSequence > before.LastChangeSequence);
                sequence = after.LastChangeSequence;
            }

            // Both hosts are stopped. Start them again on the same data directory.
            await using (var portal = new PortalFactory { DataDirectory = dataDirectory, DeleteDataOnDispose = false })
            await using (var gateway = new GatewayFactory(portal))
            {
                var status = await GetMeridianAsync(portal, gateway);
                Assert.Equal(AssuranceStatus.Approved, status.AssuranceStatus);
                Assert.Equal(sequence, status.LastChangeSequence);

                await using var db = portal.CreateDbContext();
                var assessment = await db.Assessments.Include(a => a.Answers).Include(a => a.EvidenceFiles)
                    .SingleAsync(a => a.Id == DemoData.MeridianAssessmentId);
                Assert.Equal(AssessmentState.Approved, assessment.State);
                Assert.Equal(44, assessment.Answers.Count);
                var file = Assert.Single(assessment.EvidenceFiles);
                Assert.Equal(Pdf, await File.ReadAllBytesAsync(Path.Combine(dataDirectory, "evidence", file.StorageKey)));
                // The review goes on after the approval (findings, the reassessment timer's start); whatever the
                // first host left unfinished, the new host's engine resumes and completes.
                await portal.WaitForWorkflowAsync(Guid.Parse(workflowId), WorkflowCore.Models.WorkflowStatus.Complete);
                Assert.Single(await db.StatusChanges.Where(c => c.SupplierId == DemoData.MeridianSupplierId).ToListAsync());

                // The supplier still sees the scored result after the restart.
                using var session = await PortalSession.SignInAsync(portal, DemoData.SupplierUserEmail);
                var (_, page) = await session.GetPageAsync($"/Assessments/{DemoData.MeridianAssessmentId}");
                Assert.Equal("98.6", page.QuerySelector("[data-testid=overall-score]")!.TextContent);
            }
        }
        finally
        {
            TestPaths.TryDelete(dataDirectory);
        }
    }

    private static async Task<SecurityStatus> GetMeridianAsync(PortalFactory portal, GatewayFactory gateway)
    {
        var token = await portal.GetPartnerTokenAsync();
        using var channel = gateway.CreateChannel();
        var client = new PartnerExchange.PartnerExchangeClient(channel);
        return await client.GetSecurityStatusAsync(
            new GetSecurityStatusRequest { Identifier = new SupplierIdentifier { Type = IdentifierType.Lei, Value = DemoData.MeridianLei } },
            new Metadata { { "Authorization", "Bearer " + token } },
            deadline: DateTime.UtcNow.AddSeconds(30));
    }
}
