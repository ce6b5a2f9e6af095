using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Assessments;
using SupplierAssure.Core.Credentials;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Demo;
using SupplierAssure.Core.Findings;
using SupplierAssure.Core.Incidents;
using SupplierAssure.Core.Partners;
using SupplierAssure.Core.Remediation;
using SupplierAssure.Core.Suppliers;
using SupplierAssure.Core.Tiering;

namespace SupplierAssure.Portal.Tests;

/// <summary>
/// A past cycle for Meridian with something in every section of its profile: a scored assessment, a tier override
/// with its reason, a review finding with its corrective action, a partner's incident, a verified credential and a
/// sharing consent. The supplier page tests and the API profile tests read the same rows back.
/// </summary>
internal static class MeridianProfileHistory
{
    public const string TierReason = "Volumes fell after the contract was re-scoped to one lane.";
    public const string FindingSummary = "Seal log not reconciled weekly.";
    public const decimal Score = 61.5m;
    public const string ShipmentReference = "MSKU1234565";
    public const string CredentialNumber = "GBAEOF1234567";
    public const string ConsentPartner = "northwind-logistics";

    /// <summary>Adds the rows to <paramref name="db"/> (the caller saves).</summary>
    public static async Task AddAsync(SupplierAssureDbContext db, Guid scoredAssessmentId, DateTimeOffset now)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var templateId = await db.Assessments.Where(a => a.Id == DemoData.MeridianAssessmentId).Select(a => a.TemplateId).SingleAsync();
        db.Assessments.Add(new Assessment
        {
            Id = scoredAssessmentId, SupplierId = DemoData.MeridianSupplierId, TemplateId = templateId, TierAtIssue = SupplierTier.Tier3Standard,
            DueDate = today.AddDays(-300), State = AssessmentState.Approved, IssuedAt = now.AddDays(-400),
            ScoredAt = now.AddDays(-310), OverallScore = Score, MaturityLevel = 3, RiskRating = RiskRating.Medium,
        });
        db.TierDecisions.Add(new TierDecision
        {
            Id = Guid.NewGuid(), SupplierId = DemoData.MeridianSupplierId, Tier = SupplierTier.Tier3Standard, PreviousTier = SupplierTier.Tier2Significant,
            Source = TierDecisionSource.Override, Justification = TierReason, PolicyVersion = 0, DecidedAt = now.AddDays(-20),
        });
        var findingId = Guid.NewGuid();
        db.Set<AssessmentFinding>().Add(new AssessmentFinding
        {
            Id = findingId, SupplierId = DemoData.MeridianSupplierId, AssessmentId = scoredAssessmentId, Source = FindingSource.Review,
            Grade = NonconformityGrade.MinorNonconformity, Reference = "8.1", Summary = FindingSummary, RaisedAt = now.AddDays(-305),
            DueDate = today.AddDays(-200),
        });
        db.Set<RemediationCase>().Add(new RemediationCase
        {
            Id = Guid.NewGuid(), SupplierId = DemoData.MeridianSupplierId, AssessmentId = scoredAssessmentId, FindingId = findingId,
            Grade = NonconformityGrade.MinorNonconformity, State = RemediationState.ImplementationDue, OpenedAt = now.AddDays(-300),
            ActionPlanDueAt = now.AddDays(-280), ActionPlan = "Weekly reconciliation by the shift lead.", ImplementationDueAt = now.AddDays(-1),
        });
        db.Findings.Add(new Finding
        {
            Id = Guid.NewGuid(), SupplierId = DemoData.MeridianSupplierId, Category = IncidentCategory.SealBreach, Grade = FindingGrade.Major,
            Summary = "Broken seal on arrival at Rotterdam.", ShipmentReference = ShipmentReference, OccurredAt = now.AddDays(-3), ReportedBy = "demo-partner", ReportedAt = now.AddDays(-2),
        });
        db.Credentials.Add(new Credential
        {
            Id = Guid.NewGuid(), SupplierId = DemoData.MeridianSupplierId, Type = CredentialType.EuAeo, Number = CredentialNumber, Issuer = "HMRC",
            ValidUntil = now.AddYears(2), VerificationState = VerificationState.Verified, VerificationSource = "test registry", VerifiedAt = now.AddDays(-1),
            SubmittedBy = "demo-partner", SubmittedAt = now.AddDays(-1),
        });
        db.SharingConsents.Add(new SharingConsent
        {
            Id = Guid.NewGuid(), SupplierId = DemoData.MeridianSupplierId, PartnerClientId = ConsentPartner, Scope = SharingConsent.StatusScope, GrantedAt = now.AddDays(-5),
        });
    }
}
