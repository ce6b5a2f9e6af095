using System.Net;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Auditing;
using SupplierAssure.Core.Demo;
using SupplierAssure.Core.Identity;
using SupplierAssure.Core.Partners;
using SupplierAssure.Core.Status;
using SupplierAssure.Partner.V1;
using SupplierAssure.TestSupport;
using static SupplierAssure.PartnerGateway.Tests.GatewayFixture;
using WireIdentifier = SupplierAssure.Partner.V1.SupplierIdentifier;

namespace SupplierAssure.PartnerGateway.Tests;

/// <summary>
/// Hosts of their own: these tests grant and revoke consents and decide credentials through the Portal's pages,
/// which the shared fixture's tests must not see.
/// </summary>
public sealed class SharingFixture : IAsyncLifetime
{
    public const string ReviewerEmail = "reviewer@sharing.example";
    public const string ContributorEmail = "contributor@caldera.example";

    public PortalFactory Portal { get; } = new();

    public GatewayFactory Gateway { get; private set; } = null!;

    public PartnerExchange.PartnerExchangeClient Client { get; private set; } = null!;

    private Grpc.Net.Client.GrpcChannel _channel = null!;

    public async Task InitializeAsync()
    {
        Gateway = new GatewayFactory(Portal).With("PartnerGateway:StatusFeed:PollInterval", "00:00:00.020");
        _channel = Gateway.CreateChannel();
        Client = new PartnerExchange.PartnerExchangeClient(_channel);
        await Portal.CreateUserAsync(ReviewerEmail, Roles.SecurityReviewer);
        await Portal.CreateUserAsync(ContributorEmail, Roles.SupplierContributor, DemoData.CalderaSupplierId);
    }

    public async Task DisposeAsync()
    {
        _channel.Dispose();
        await Gateway.DisposeAsync();
        await Portal.DisposeAsync();
    }
}

public sealed class SharingAndStatusDetailsTests(SharingFixture fixture) : IClassFixture<SharingFixture>
{
    private const string AllScopes = "partner.status.read partner.credentials.write partner.credentials.read partner.incidents.write";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private static readonly WireIdentifier Caldera = new() { Type = IdentifierType.Lei, Value = DemoData.CalderaLei };
    private static readonly WireIdentifier Meridian = new() { Type = IdentifierType.Lei, Value = DemoData.MeridianLei };

    [Fact]
    public async Task SupplierAdmin_GrantsThenRevokes_PartnerReadsThenGetsNotFoundAndTheReadIsLogged()
    {
        var token = await fixture.Portal.GetPartnerTokenAsync();
        using var caldera = await PortalSession.SignInAsync(fixture.Portal, DemoData.OtherSupplierUserEmail);
        await AssertNotFoundAsync(token);

        using var granted = await caldera.PostFormAsync("/Sharing?handler=Grant", new Dictionary<string, string>
        {
            ["Input.PartnerClientId"] = DemoData.PartnerClientId,
            ["Input.Scope"] = SharingConsent.StatusScope,
            ["Input.LastDay"] = DateTime.UtcNow.AddDays(30).ToString("yyyy-MM-dd"),
        }, tokenFrom: "/Sharing");
        Assert.Equal(HttpStatusCode.Redirect, granted.StatusCode);

        var status = await fixture.Client.GetSecurityStatusAsync(new GetSecurityStatusRequest { Identifier = Caldera }, Bearer(token));
        Assert.Equal(DemoData.CalderaSupplierId.ToString(), status.SupplierId);

        var (_, page) = await caldera.GetPageAsync("/Sharing");
        Assert.NotNull(page.QuerySelector("nav a[href='/Sharing']"));
        var row = Assert.Single(page.QuerySelectorAll("[data-testid=live-consents] tbody tr"));
        Assert.Contains("Demo partner system", row.TextContent, StringComparison.Ordinal);
        var consentId = row.GetAttribute("data-consent-id")!;

        // The gateway's access log is written behind the call; wait for the read to land, then read it on the page.
        await WaitForAsync(async () =>
        {
            await using var db = fixture.Portal.CreateDbContext();
            return await db.PartnerAccesses.AnyAsync(a => a.SupplierId == DemoData.CalderaSupplierId && a.Operation == "GetSecurityStatus");
        });
        var (_, log) = await caldera.GetPageAsync($"/Sharing/Access?Partner={DemoData.PartnerClientId}&Operation=GetSecurityStatus");
        var entry = Assert.Single(log.QuerySelectorAll("[data-testid=access-log] tbody tr"));
        Assert.Contains("Demo partner system", entry.TextContent, StringComparison.Ordinal);
        Assert.Contains("Status look-up", entry.TextContent, StringComparison.Ordinal);

        using var revoked = await caldera.PostFormAsync("/Sharing?handler=Revoke", new Dictionary<string, string> { ["consentId"] = consentId }, tokenFrom: "/Sharing");
        Assert.Equal(HttpStatusCode.Redirect, revoked.StatusCode);

        // No wait: the gateway reads consents on every look-up.
        await AssertNotFoundAsync(token);
        await using (var db = fixture.Portal.CreateDbContext())
        {
            var kinds = await db.Set<AuditEntry>().Where(e => e.Subject == "consent:" + consentId).OrderBy(e => e.Sequence).Select(e => e.Kind).ToListAsync();
            Assert.Equal(["sharing.granted", "sharing.revoked"], kinds);
            Assert.All(await db.Set<AuditEntry>().Where(e => e.Subject == "consent:" + consentId).ToListAsync(),
                e => Assert.Equal(DemoData.OtherSupplierUserEmail, e.Actor));
        }

        // Meridian's admin sees neither Caldera's consents nor Caldera's log.
        using var meridian = await PortalSession.SignInAsync(fixture.Portal, DemoData.SupplierUserEmail);
        var (_, meridianSharing) = await meridian.GetPageAsync("/Sharing");
        Assert.Null(meridianSharing.QuerySelector($"[data-consent-id='{consentId}']"));
        var (_, meridianLog) = await meridian.GetPageAsync("/Sharing/Access?Operation=GetSecurityStatus");
        await using (var db = fixture.Portal.CreateDbContext())
        {
            var meridianReads = await db.PartnerAccesses.CountAsync(a => a.SupplierId == DemoData.MeridianSupplierId && a.Operation == "GetSecurityStatus");
            Assert.StartsWith($"{meridianReads} read", meridianLog.QuerySelector("[data-testid=access-total]")!.TextContent.Trim(), StringComparison.Ordinal);
        }

        using var foreignRevoke = await meridian.PostFormAsync("/Sharing?handler=Revoke", new Dictionary<string, string> { ["consentId"] = consentId }, tokenFrom: "/Sharing");
        Assert.Equal(HttpStatusCode.NotFound, foreignRevoke.StatusCode);
    }

    [Fact]
    public async Task AccessLog_SecondPage_ShowsTheOlderEntries()
    {
        // 53 reads on one day long ago (no other test writes there): 50 on page 1, the 3 oldest on page 2.
        var day = new DateTimeOffset(2020, 3, 1, 0, 0, 0, TimeSpan.Zero);
        await using (var db = fixture.Portal.CreateDbContext())
        {
            db.PartnerAccesses.AddRange(Enumerable.Range(0, 53).Select(i => new PartnerAccess
            {
                SupplierId = DemoData.CalderaSupplierId,
                ClientId = DemoData.PartnerClientId,
                Operation = "ListCredentials",
                AccessedAt = day.AddMinutes(i),
            }));
            await db.SaveChangesAsync();
        }

        using var caldera = await PortalSession.SignInAsync(fixture.Portal, DemoData.OtherSupplierUserEmail);
        const string Filter = "/Sharing/Access?From=2020-03-01&To=2020-03-01";
        var (_, first) = await caldera.GetPageAsync(Filter);
        Assert.Equal(50, first.QuerySelectorAll("[data-testid=access-log] tbody tr").Length);
        var older = first.QuerySelector("[data-testid=pager] a[rel=next]")!.GetAttribute("href")!;

        Assert.Contains("page=2", older, StringComparison.Ordinal);
        var (_, second) = await caldera.GetPageAsync("/Sharing/Access" + older); // the link is the query of this page
        Assert.Contains("Page 2 of 2", second.QuerySelector("[data-testid=pager]")!.TextContent, StringComparison.Ordinal);
        var times = second.QuerySelectorAll("[data-testid=access-log] tbody tr td:first-child").Select(c => c.TextContent.Trim()).ToList();
        Assert.Equal(["2020-03-01 00:02:00", "2020-03-01 00:01:00", "2020-03-01 00:00:00"], times);
    }

    [Theory]
    [InlineData("demo-partner", "2020-01-01", "Input.LastDay", "must be in the future")]
    [InlineData("demo-partner", "next week", "Input.LastDay", "yyyy-mm-dd")]
    [InlineData("no-such-partner", "", "Input.PartnerClientId", "Choose one of the partner systems")]
    public async Task Grant_BadInput_ShowsTheMessageAndStoresNothing(string partner, string lastDay, string field, string message)
    {
        using var caldera = await PortalSession.SignInAsync(fixture.Portal, DemoData.OtherSupplierUserEmail);
        int before;
        await using (var db = fixture.Portal.CreateDbContext())
        {
            before = await db.SharingConsents.CountAsync();
        }

        using var response = await caldera.PostFormAsync("/Sharing?handler=Grant", new Dictionary<string, string>
        {
            ["Input.PartnerClientId"] = partner,
            ["Input.Scope"] = SharingConsent.StatusScope,
            ["Input.LastDay"] = lastDay,
        }, tokenFrom: "/Sharing");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = PortalSession.Parse(await response.Content.ReadAsStringAsync());
        var error = page.QuerySelector($"[data-valmsg-for='{field}']");
        Assert.NotNull(error);
        Assert.Contains(message, error.TextContent, StringComparison.Ordinal);
        await using (var db = fixture.Portal.CreateDbContext())
        {
            Assert.Equal(before, await db.SharingConsents.CountAsync());
        }
    }

    [Theory]
    [InlineData(SharingFixture.ContributorEmail)]
    [InlineData(DemoData.ProcurementUserEmail)]
    public async Task SharingPages_NotASupplierAdmin_AreForbidden(string email)
    {
        using var session = await PortalSession.SignInAsync(fixture.Portal, email);
        foreach (var path in new[] { "/Sharing", "/Sharing/Access" })
        {
            var (response, _) = await session.GetPageAsync(path);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Contains("/Account/AccessDenied", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Status_CarriesOpenFindingsByGradeAndCredentials_AndAReviewerDecisionReachesWatchers()
    {
        var token = await fixture.Portal.GetPartnerTokenAsync(scope: AllScopes);
        var before = await fixture.Client.GetSecurityStatusAsync(new GetSecurityStatusRequest { Identifier = Meridian }, Bearer(token));
        await fixture.Client.ReportSecurityIncidentAsync(new ReportSecurityIncidentRequest
        {
            IdempotencyKey = Guid.NewGuid().ToString(),
            Supplier = Meridian,
            Category = IncidentCategory.SealBreach,
            Severity = IncidentSeverity.Critical,
            Summary = "Seal number on arrival differs from the one on the bill of lading.",
        }, Bearer(token));
        var ctpat = await fixture.Client.SubmitCredentialAsync(new SubmitCredentialRequest
        {
            IdempotencyKey = Guid.NewGuid().ToString(),
            Supplier = Meridian,
            Type = CredentialType.CTpat,
            Number = "CT12345678",
            EvidenceReference = "https://example.test/ctpat-letter.pdf",
        }, Bearer(token));
        var pending = await fixture.Client.VerifyCredentialAsync(new VerifyCredentialRequest { IdempotencyKey = Guid.NewGuid().ToString(), CredentialId = ctpat.CredentialId }, Bearer(token));
        Assert.Equal(VerificationState.PendingReview, pending.VerificationState);

        var status = await fixture.Client.GetSecurityStatusAsync(new GetSecurityStatusRequest { Identifier = Meridian }, Bearer(token));
        Assert.Equal(before.OpenFindings.Critical + 1, status.OpenFindings.Critical);
        Assert.Equal(before.OpenFindings.Major, status.OpenFindings.Major);
        var listed = Assert.Single(status.Credentials, c => c.CredentialId == ctpat.CredentialId);
        Assert.Equal(CredentialType.CTpat, listed.Type);
        Assert.Equal("CT12345678", listed.Number);
        Assert.Equal(VerificationState.PendingReview, listed.VerificationState);
        var batch = await fixture.Client.BatchGetSecurityStatusAsync(new BatchGetSecurityStatusRequest { Identifiers = { Meridian } }, Bearer(token));
        Assert.Equal(status.OpenFindings, batch.Results.Single().Status.OpenFindings);
        Assert.Equal(status.Credentials, batch.Results.Single().Status.Credentials);

        // A stream open from the current end of the feed learns of the reviewer's decision with the new credential state.
        using var cts = new CancellationTokenSource(Patience);
        using var watch = fixture.Client.WatchSecurityStatus(new WatchSecurityStatusRequest { AfterSequence = status.LastChangeSequence }, Bearer(token), cancellationToken: cts.Token);
        await watch.ResponseHeadersAsync;

        using var reviewer = await PortalSession.SignInAsync(fixture.Portal, SharingFixture.ReviewerEmail);
        var (_, queue) = await reviewer.GetPageAsync("/Credentials/Review");
        Assert.NotNull(queue.QuerySelector($"[data-credential-id='{ctpat.CredentialId}']"));
        using var noNote = await reviewer.PostFormAsync("/Credentials/Review", new Dictionary<string, string> { ["CredentialId"] = ctpat.CredentialId, ["Decision"] = "verify", ["Note"] = " " });
        Assert.Contains("Say what the evidence showed.", await noNote.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var decided = await reviewer.PostFormAsync("/Credentials/Review", new Dictionary<string, string>
        {
            ["CredentialId"] = ctpat.CredentialId,
            ["Decision"] = "verify",
            ["Note"] = "CBP portal letter shows the account as certified.",
        });
        Assert.Equal(HttpStatusCode.Redirect, decided.StatusCode);

        Assert.True(await watch.ResponseStream.MoveNext(cts.Token));
        var change = watch.ResponseStream.Current;
        Assert.Equal(DemoData.MeridianSupplierId.ToString(), change.SupplierId);
        Assert.Equal(change.PreviousStatus, change.NewStatus); // the assurance status itself did not move
        Assert.Equal(VerificationState.Verified, change.Credentials.Single(c => c.CredentialId == ctpat.CredentialId).VerificationState);
        Assert.Equal(status.OpenFindings, change.OpenFindings);

        var after = await fixture.Client.GetSecurityStatusAsync(new GetSecurityStatusRequest { Identifier = Meridian }, Bearer(token));
        Assert.Equal(change.Sequence, after.LastChangeSequence);
        var credential = after.Credentials.Single(c => c.CredentialId == ctpat.CredentialId);
        Assert.Equal(VerificationState.Verified, credential.VerificationState);
        Assert.NotNull(credential.VerifiedAt);
        await using var db = fixture.Portal.CreateDbContext();
        var audit = await db.Set<AuditEntry>().SingleAsync(e => e.Subject == "credential:" + ctpat.CredentialId);
        Assert.Equal("credential.verified", audit.Kind);
        Assert.Equal(SharingFixture.ReviewerEmail, audit.Actor);

        // Decided once: the queue no longer offers it, and deciding again is refused.
        var (_, later) = await reviewer.GetPageAsync("/Credentials/Review");
        Assert.Null(later.QuerySelector($"[data-credential-id='{ctpat.CredentialId}']"));
        using var again = await reviewer.PostFormAsync("/Credentials/Review", new Dictionary<string, string> { ["CredentialId"] = ctpat.CredentialId, ["Decision"] = "reject", ["Note"] = "second thoughts" });
        Assert.Contains("already decided", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CredentialReview_SupplierUser_IsForbidden()
    {
        using var session = await PortalSession.SignInAsync(fixture.Portal, DemoData.SupplierUserEmail);
        var (response, _) = await session.GetPageAsync("/Credentials/Review");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/Account/AccessDenied", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Watch_ConsentRevokedWhileStreamIsOpen_NoLaterChangeOfThatSupplierArrives()
    {
        var token = await fixture.Portal.GetPartnerTokenAsync();
        using var caldera = await PortalSession.SignInAsync(fixture.Portal, DemoData.OtherSupplierUserEmail);
        using var granted = await caldera.PostFormAsync("/Sharing?handler=Grant", new Dictionary<string, string>
        {
            ["Input.PartnerClientId"] = DemoData.PartnerClientId,
            ["Input.Scope"] = SharingConsent.StatusScope,
            ["Input.LastDay"] = string.Empty,
        }, tokenFrom: "/Sharing");
        Assert.Equal(HttpStatusCode.Redirect, granted.StatusCode);
        var (_, page) = await caldera.GetPageAsync("/Sharing");
        var consentId = Assert.Single(page.QuerySelectorAll("[data-testid=live-consents] tbody tr")).GetAttribute("data-consent-id")!;
        long end;
        await using (var db = fixture.Portal.CreateDbContext())
        {
            end = await db.StatusChanges.MaxAsync(c => (long?)c.Sequence) ?? 0;
        }

        using var cts = new CancellationTokenSource(Patience);
        using var watch = fixture.Client.WatchSecurityStatus(new WatchSecurityStatusRequest { AfterSequence = end }, Bearer(token), cancellationToken: cts.Token);
        await watch.ResponseHeadersAsync;
        var shared = await AppendChangeAsync(DemoData.CalderaSupplierId);
        Assert.True(await watch.ResponseStream.MoveNext(cts.Token));
        Assert.Equal(shared, watch.ResponseStream.Current.Sequence);

        using var revoked = await caldera.PostFormAsync("/Sharing?handler=Revoke", new Dictionary<string, string> { ["consentId"] = consentId }, tokenFrom: "/Sharing");
        Assert.Equal(HttpStatusCode.Redirect, revoked.StatusCode);
        // No wait: a change committed after the revocation must not reach the stream, however soon it follows.
        var hidden = await AppendChangeAsync(DemoData.CalderaSupplierId);
        var marker = await AppendChangeAsync(DemoData.MeridianSupplierId); // still shared: proves the stream goes on

        Assert.True(await watch.ResponseStream.MoveNext(cts.Token));
        var next = watch.ResponseStream.Current;
        Assert.True(hidden < marker);
        Assert.Equal(marker, next.Sequence);
        Assert.Equal(DemoData.MeridianSupplierId.ToString(), next.SupplierId);
    }

    // A feed row that says only "the details changed" (same status before and after), linked from the supplier row
    // as the real writers do, so look-ups and streams opened later start after it.
    private async Task<long> AppendChangeAsync(Guid supplierId)
    {
        await using var db = fixture.Portal.CreateDbContext();
        var supplier = await db.Suppliers.SingleAsync(s => s.Id == supplierId);
        var change = new StatusChange
        {
            SupplierId = supplierId,
            PreviousStatus = supplier.AssuranceStatus,
            NewStatus = supplier.AssuranceStatus,
            OverallScore = supplier.OverallScore,
            RiskRating = supplier.RiskRating,
            Reason = "test",
            OccurredAt = DateTimeOffset.UtcNow,
        };
        db.StatusChanges.Add(change);
        await db.SaveChangesAsync();
        StatusFeed.LinkLastSequence(supplier, change);
        await db.SaveChangesAsync();
        return change.Sequence;
    }

    private async Task AssertNotFoundAsync(string token)
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() =>
            fixture.Client.GetSecurityStatusAsync(new GetSecurityStatusRequest { Identifier = Caldera }, Bearer(token)).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, ex.StatusCode);
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "Timed out waiting for the access log.");
            await Task.Delay(50);
        }
    }
}
