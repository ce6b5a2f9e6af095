using SupplierAssure.Portal.Api;
using SupplierAssure.Portal.Extensions;
using SupplierAssure.Portal.Features.Audits;
using SupplierAssure.Portal.Features.Evidence;
using SupplierAssure.Portal.Features.Organisation;
using SupplierAssure.Portal.Features.Sharing;
using SupplierAssure.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddPortalIdentity();
builder.AddPortalTokenServer();
builder.AddPartnerClientsFeature();
builder.AddPortalFederation();
builder.AddPortalRateLimiting();
builder.AddAssessmentsFeature();
builder.AddEvidenceLibraryFeature();
builder.AddSuppliersFeature();
builder.AddPortalApi();
builder.AddQuestionBankFeature();
builder.AddReviewsFeature();
builder.AddTieringFeature();
builder.AddSharingFeature();
builder.AddAuditsFeature();
builder.AddOrganisationFeature();
builder.AddPortalWorkflows();
builder.AddPortalPages();

var app = builder.Build();

if (SupplierAssure.Portal.Features.Admin.VerifyAuditChainCommand.IsRequested(args))
{
    // A command, not the web host: verify the audit chain on the configured database and exit.
    Environment.ExitCode = await SupplierAssure.Portal.Features.Admin.VerifyAuditChainCommand.RunAsync(app.Services, Console.Out, CancellationToken.None);
    return;
}

await app.InitialisePortalAsync();
app.UsePortalPipeline();
app.MapPortalApi();
await app.RunAsync();

namespace SupplierAssure.Portal
{
    /// <summary>Marks the Portal's assembly for WebApplicationFactory (tests host both hosts, so not Program).</summary>
    public sealed class PortalApp;
}
