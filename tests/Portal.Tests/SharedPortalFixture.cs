using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Assessments;
using SupplierAssure.Core.Demo;
using SupplierAssure.Core.Identity;
using SupplierAssure.Core.Suppliers;
using SupplierAssure.TestSupport;

namespace SupplierAssure.Portal.Tests;

/// <summary>
/// One Portal host for a whole test class (xUnit <c>IClassFixture</c>), instead of one per test. The tests of a class
/// run one after another in no fixed order, so a test that changes or counts data arranges data of its own
/// (<see cref="AddSupplierAsync"/>) or compares with a count it took itself.
/// </summary>
public sealed class SharedPortalFixture : IDisposable
{
    private int _suppliers;

    // Note: a class on one host signs in once per test, more than the 20 sign-in posts a minute that one client
    // address may make; the limit itself is tested on hosts of their own (HardeningTests, FederationTests).
    public PortalFactory Portal { get; } = new PortalFactory().With("RateLimits:SignInPerMinute", "1000");

    /// <summary>
    /// A new supplier organisation of the test's own (Tier 3, active by default). Its name starts "Zz" so that it sorts
    /// after the demo suppliers and never pushes one of them off the first page of the supplier list.
    /// </summary>
    public async Task<Guid> AddSupplierAsync(string purpose, SupplierTier tier = SupplierTier.Tier3Standard, string countryCode = "GB")
    {
        var id = Guid.NewGuid();
        var number = Interlocked.Increment(ref _suppliers);
        await using var db = Portal.CreateDbContext();
        db.Suppliers.Add(new Supplier
        {
            Id = id,
            LegalName = $"Zz {purpose} {number:D2} Ltd",
            CountryCode = countryCode,
            Tier = tier,
            Lifecycle = SupplierLifecycle.Active,
        });
        await db.SaveChangesAsync();
        return id;
    }

    /// <summary>
    /// A supplier set up as the demo seeds Meridian (Tier 3, active, assessment in progress) with a supplier admin of
    /// its own, and a questionnaire issued to it like Meridian's (same template and tier, due in 30 days, not started).
    /// </summary>
    public async Task<OwnQuestionnaire> AddQuestionnaireAsync(string purpose)
    {
        var supplierId = await AddSupplierAsync(purpose);
        var email = $"admin@org-{supplierId:N}.example";
        var userId = await Portal.CreateUserAsync(email, Roles.SupplierAdmin, supplierId);
        await using var db = Portal.CreateDbContext();
        var supplier = await db.Suppliers.SingleAsync(s => s.Id == supplierId);
        supplier.AssuranceStatus = AssuranceStatus.AssessmentInProgress;
        var displayName = $"Pat Example ({supplier.LegalName})";
        (await db.Users.SingleAsync(u => u.Id == userId)).DisplayName = displayName;
        var demo = await db.Assessments.AsNoTracking().SingleAsync(a => a.Id == DemoData.MeridianAssessmentId);
        var assessment = new Assessment
        {
            Id = Guid.NewGuid(), SupplierId = supplierId, TemplateId = demo.TemplateId, TierAtIssue = supplier.Tier,
            DueDate = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(30), IssuedAt = DateTimeOffset.UtcNow,
        };
        db.Assessments.Add(assessment);
        await db.SaveChangesAsync();
        return new OwnQuestionnaire(supplierId, assessment.Id, email, displayName);
    }

    public void Dispose() => Portal.Dispose();
}

/// <summary>A test's own supplier, its supplier admin (e-mail, demo password, display name) and the questionnaire issued to it.</summary>
public sealed record OwnQuestionnaire(Guid SupplierId, Guid AssessmentId, string UserEmail, string UserDisplayName)
{
    public string Path => $"/Assessments/{AssessmentId}";
}
