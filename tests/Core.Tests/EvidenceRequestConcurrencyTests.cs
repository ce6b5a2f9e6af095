using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Common;
using SupplierAssure.Core.SecondPartyAudits;
using SupplierAssure.Core.Suppliers;

namespace SupplierAssure.Core.Tests;

/// <summary>
/// The evidence request's concurrency token against a real migrated database: a save made on a copy read before
/// another save is refused, and nothing of it (answer, change or file rows) is written.
/// </summary>
public sealed class EvidenceRequestConcurrencyTests : IAsyncLifetime
{
    private static readonly Guid SupplierId = Guid.NewGuid();
    private static readonly Guid Auditor = Guid.NewGuid();
    private readonly Guid _requestId = Guid.NewGuid();
    private TestDatabase _database = null!;

    private static AuditActor SupplierUser(Guid id) => new(id, false, SupplierId);

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        await using var db = _database.CreateContext();
        var now = DateTimeOffset.UtcNow;
        var auditId = Guid.NewGuid();
        db.Suppliers.Add(new Supplier { Id = SupplierId, LegalName = "Harbour Line Logistics BV", CountryCode = "NL" });
        db.Add(new SupplierAudit
        {
            Id = auditId, SupplierId = SupplierId, Type = AuditType.DocumentReview, Objectives = "Check the seal register.", ScopeProcesses = "Sealing",
            CriteriaClauses = "8", LeadAuditorId = Auditor, CreatedAt = now,
        });
        db.Add(new AuditTeamMember
        {
            Id = Guid.NewGuid(), AuditId = auditId, SupplierId = SupplierId, UserId = Auditor, IsLead = true,
            Declaration = IndependenceDeclaration.Independent, DeclaredAt = now, AddedAt = now,
        });
        db.Add(new EvidenceRequest
        {
            Id = _requestId, AuditId = auditId, SupplierId = SupplierId, Category = "cargo", Details = "The seal register for May.",
            RequestedBy = Auditor, RequestedAt = now,
        });
        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task TwoAnswersRacing_TheLaterSaveIsRefusedAsAnsweredAlready_WithoutItsFileRows()
    {
        await using var first = _database.CreateContext();
        await using var second = _database.CreateContext();
        // The second colleague's copy is read before the first answer is saved (a tracking query keeps that copy).
        var stale = await second.Set<EvidenceRequest>().SingleAsync(r => r.Id == _requestId);
        Assert.Equal(1, stale.Version);

        var saved = await new EvidenceRequestsHandler(first, TimeProvider.System).AnswerAsync(
            new AnswerEvidenceRequest(_requestId, SupplierUser(Guid.NewGuid()), "Register attached.", [File("register.pdf")]) { BaseVersion = 1 }, CancellationToken.None);
        Assert.True(saved.Succeeded);
        Assert.Equal(2, saved.Value!.Version);

        var late = await new EvidenceRequestsHandler(second, TimeProvider.System).AnswerAsync(
            new AnswerEvidenceRequest(_requestId, SupplierUser(Guid.NewGuid()), "Here it is.", [File("copy.pdf")]) { BaseVersion = 1 }, CancellationToken.None);

        Assert.Equal(OutcomeStatus.Conflict, late.Status);
        Assert.Contains("answered already", late.Errors[string.Empty].Single(), StringComparison.Ordinal);
        await using var check = _database.CreateContext();
        var stored = await check.Set<EvidenceRequest>().AsNoTracking().SingleAsync(r => r.Id == _requestId);
        Assert.Equal(("Register attached.", 2L), (stored.Response, stored.Version));
        Assert.Equal(["register.pdf"], await check.Set<AuditFile>().Where(f => f.EvidenceRequestId == _requestId).Select(f => f.FileName).ToListAsync());
    }

    [Fact]
    public async Task AnAuditorsChangeRacingTheAnswer_IsRefused_AndAnAnswerToTheOldWordingIsRefusedByItsVersion()
    {
        await using var auditorContext = _database.CreateContext();
        await using var supplierContext = _database.CreateContext();
        var auditor = new AuditActor(Auditor, false, null);

        // The auditor rewords the request: version 2. An answer written against version 1 is refused and not saved.
        var changed = await new EvidenceRequestsHandler(auditorContext, TimeProvider.System).ChangeAsync(
            new ChangeEvidenceRequest(_requestId, auditor, "The seal register for May and June.", null, 1), CancellationToken.None);
        Assert.Equal(2, changed.Value!.Version);
        var old = await new EvidenceRequestsHandler(supplierContext, TimeProvider.System).AnswerAsync(
            new AnswerEvidenceRequest(_requestId, SupplierUser(Guid.NewGuid()), "May attached.", []) { BaseVersion = 1 }, CancellationToken.None);
        Assert.Equal(OutcomeStatus.Conflict, old.Status);
        Assert.Contains("changed this request after you opened it", old.Errors[string.Empty].Single(), StringComparison.Ordinal);

        // The auditor's next change was read before the supplier's answer to version 2 was saved: the answer stands.
        await using var auditorAgain = _database.CreateContext();
        var stale = await auditorAgain.Set<EvidenceRequest>().SingleAsync(r => r.Id == _requestId);
        await using var supplierAgain = _database.CreateContext();
        var answered = await new EvidenceRequestsHandler(supplierAgain, TimeProvider.System).AnswerAsync(
            new AnswerEvidenceRequest(_requestId, SupplierUser(Guid.NewGuid()), "May and June attached.", []) { BaseVersion = 2 }, CancellationToken.None);
        Assert.True(answered.Succeeded);
        var crossing = await new EvidenceRequestsHandler(auditorAgain, TimeProvider.System).ChangeAsync(
            new ChangeEvidenceRequest(_requestId, auditor, "Only June.", null, stale.Version), CancellationToken.None);

        Assert.Equal(OutcomeStatus.Conflict, crossing.Status);
        await using var check = _database.CreateContext();
        var stored = await check.Set<EvidenceRequest>().AsNoTracking().SingleAsync(r => r.Id == _requestId);
        Assert.Equal(("The seal register for May and June.", "May and June attached.", EvidenceRequestState.Answered), (stored.Details, stored.Response, stored.State));
    }

    private static AuditFile File(string name) => new()
    {
        Id = Guid.NewGuid(), SupplierId = SupplierId, FileName = name, ContentType = "application/pdf", Length = 10,
        Sha256 = new string('a', 64), StorageKey = Guid.NewGuid().ToString("N"), UploadedBy = Guid.NewGuid(), UploadedAt = DateTimeOffset.UtcNow,
    };

    public async Task DisposeAsync() => await _database.DisposeAsync();
}
