using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SupplierAssure.Core.Auditing;
using SupplierAssure.Core.Demo;
using SupplierAssure.Core.Identity;
using SupplierAssure.TestSupport;

namespace SupplierAssure.Portal.Tests;

public sealed class AuditLogTests : IDisposable
{
    private readonly PortalFactory _portal = new();

    [Fact]
    public async Task SecurityEvents_AreChainedAndTheChainVerifies()
    {
        using (await PortalSession.SignInAsync(_portal, DemoData.SupplierUserEmail))
        {
        }

        using var failed = await PortalSession.Anonymous(_portal).SignInAttemptAsync(DemoData.OtherSupplierUserEmail, "Wrong-Passw0rd");

        await using var db = _portal.CreateDbContext();
        var entries = await db.Set<AuditEntry>().OrderBy(e => e.Sequence).ToListAsync();
        Assert.Equal([AuditKinds.SignedIn, AuditKinds.SignInFailed], entries.Select(e => e.Kind));
        Assert.Equal(AuditLog.Genesis, entries[0].PreviousHash);
        Assert.Equal(entries[0].Hash, entries[1].PreviousHash);
        Assert.DoesNotContain(entries, e => (e.Details ?? string.Empty).Contains("Passw0rd", StringComparison.Ordinal) || (e.Subject ?? string.Empty).Contains("Passw0rd", StringComparison.Ordinal));

        var verification = await Log().VerifyAsync(CancellationToken.None);
        Assert.True(verification.Intact);
        Assert.Equal(2, verification.EntriesChecked);
    }

    [Fact]
    public async Task Verify_EditedEntry_NamesIt()
    {
        await AppendAsync(4);
        await using (var db = _portal.CreateDbContext())
        {
            await db.Set<AuditEntry>().Where(e => e.Sequence == 3).ExecuteUpdateAsync(s => s.SetProperty(e => e.Details, "quietly changed"));
        }

        var verification = await Log().VerifyAsync(CancellationToken.None);
        Assert.False(verification.Intact);
        Assert.Equal(3, verification.FirstBrokenSequence);
        Assert.Equal("Entry 3 was edited: its contents no longer match its hash.", verification.Problem);
    }

    [Fact]
    public async Task Verify_RemovedEntry_NamesIt()
    {
        await AppendAsync(4);
        await using (var db = _portal.CreateDbContext())
        {
            await db.Set<AuditEntry>().Where(e => e.Sequence == 2).ExecuteDeleteAsync();
        }

        var verification = await Log().VerifyAsync(CancellationToken.None);
        Assert.Equal(2, verification.FirstBrokenSequence);
        Assert.Equal("Entry 2 is missing: it was removed.", verification.Problem);
    }

    [Fact]
    public async Task Verify_EntryReplacedWithARecomputedHash_IsCaughtByTheNextLink()
    {
        await AppendAsync(3);
        await using (var db = _portal.CreateDbContext())
        {
            // A forger who recomputes the edited entry's own hash still breaks the next entry's link to it.
            var entry = await db.Set<AuditEntry>().SingleAsync(e => e.Sequence == 2);
            entry.Details = "forged";
            entry.Hash = AuditLog.ComputeHash(entry);
            await db.SaveChangesAsync();
        }

        var verification = await Log().VerifyAsync(CancellationToken.None);
        Assert.Equal(3, verification.FirstBrokenSequence);
    }

    [Fact]
    public async Task ConcurrentAppends_KeepOneUnbrokenChain()
    {
        await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Log().AppendAsync(new AuditRecord("test.concurrent", null, null, Details: i.ToString(System.Globalization.CultureInfo.InvariantCulture)), CancellationToken.None)));
        var verification = await Log().VerifyAsync(CancellationToken.None);
        Assert.True(verification.Intact, verification.Problem);
        Assert.Equal(8, verification.EntriesChecked);
    }

    [Fact]
    public async Task AdminPage_ShowsTheBrokenEntryToAnAuditorAndIsClosedToSuppliers()
    {
        await AppendAsync(2);
        await using (var db = _portal.CreateDbContext())
        {
            await db.Set<AuditEntry>().Where(e => e.Sequence == 1).ExecuteUpdateAsync(s => s.SetProperty(e => e.Kind, "edited"));
        }

        await _portal.CreateUserAsync("log-auditor@operator.example", Roles.Auditor);
        using var auditor = await PortalSession.SignInAsync(_portal, "log-auditor@operator.example");
        var (response, page) = await auditor.GetPageAsync("/Admin/AuditLog");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("broken at entry 1", page.QuerySelector("[data-testid=verification]")!.TextContent, StringComparison.Ordinal);

        using var supplier = await PortalSession.SignInAsync(_portal, DemoData.SupplierUserEmail);
        using var denied = await supplier.Client.GetAsync(new Uri("/Admin/AuditLog", UriKind.Relative));
        Assert.StartsWith("/Account/AccessDenied", denied.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    private AuditLog Log() => _portal.Services.GetRequiredService<AuditLog>();

    private async Task AppendAsync(int count)
    {
        for (var i = 0; i < count; i++)
        {
            await Log().AppendAsync(new AuditRecord("test.event", Guid.NewGuid(), "tester@operator.example", DemoData.MeridianSupplierId, $"thing:{i}", "details"), CancellationToken.None);
        }
    }

    public void Dispose() => _portal.Dispose();
}
