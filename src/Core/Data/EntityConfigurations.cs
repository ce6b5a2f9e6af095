using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SupplierAssure.Core.Assessments;
using SupplierAssure.Core.Partners;
using SupplierAssure.Core.Questionnaires;
using SupplierAssure.Core.Status;
using SupplierAssure.Core.Suppliers;

namespace SupplierAssure.Core.Data;

internal sealed class OperatorOrganisationConfiguration : IEntityTypeConfiguration<OperatorOrganisation>
{
    public void Configure(EntityTypeBuilder<OperatorOrganisation> b)
    {
        b.Property(x => x.Name).HasMaxLength(200);
    }
}

internal sealed class SupplierConfiguration : IEntityTypeConfiguration<Supplier>
{
    public void Configure(EntityTypeBuilder<Supplier> b)
    {
        b.Property(x => x.LegalName).HasMaxLength(300);
        b.Property(x => x.CountryCode).HasMaxLength(2).IsFixedLength();
        b.Property(x => x.Lei).HasMaxLength(20);
        b.Property(x => x.Duns).HasMaxLength(9);
        b.Property(x => x.Eori).HasMaxLength(17);
        b.Property(x => x.Vat).HasMaxLength(15);
        b.Property(x => x.Tier).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.Lifecycle).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.AssuranceStatus).HasConversion<string>().HasMaxLength(30);
        b.Property(x => x.RiskRating).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.OverallScore).HasPrecision(5, 1);
        b.Property(x => x.Version).IsConcurrencyToken();
        b.HasIndex(x => x.Lei).IsUnique();
        b.HasIndex(x => x.Duns).IsUnique();
        b.HasIndex(x => x.Eori).IsUnique();
        b.HasIndex(x => x.Vat).IsUnique();
        b.HasIndex(x => x.LegalName);
        // Covers the dashboard's tier and risk distribution, so it counts from the index instead of reading every row.
        b.HasIndex(x => new { x.Tier, x.RiskRating });
    }
}

internal sealed class QuestionnaireTemplateConfiguration : IEntityTypeConfiguration<QuestionnaireTemplate>
{
    public void Configure(EntityTypeBuilder<QuestionnaireTemplate> b)
    {
        b.Property(x => x.Code).HasMaxLength(64);
        b.Property(x => x.Title).HasMaxLength(200);
        b.Property(x => x.Status).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.SourceName).HasMaxLength(260);
        b.HasIndex(x => new { x.Code, x.Version }).IsUnique();
        b.HasMany(x => x.Questions).WithOne().HasForeignKey(q => q.TemplateId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class TemplateQuestionConfiguration : IEntityTypeConfiguration<TemplateQuestion>
{
    public void Configure(EntityTypeBuilder<TemplateQuestion> b)
    {
        b.Property(x => x.Code).HasMaxLength(32);
        b.Property(x => x.Section).HasMaxLength(120);
        b.Property(x => x.Clause).HasMaxLength(16);
        b.Property(x => x.Text).HasMaxLength(1000);
        b.Property(x => x.Guidance).HasMaxLength(2000);
        b.Property(x => x.EvidenceExpected).HasMaxLength(1000);
        b.Property(x => x.EvidenceTier2).HasMaxLength(1000);
        b.Property(x => x.EvidenceTier1).HasMaxLength(1000);
        b.Property(x => x.AnswerType).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.Domain).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.ShowWhenQuestion).HasMaxLength(32);
        b.Property(x => x.ShowWhenAnyOf).HasMaxLength(200);
        b.Property(x => x.Options).HasConversion(AnswerOptionsJson.Converter, AnswerOptionsJson.Comparer).HasMaxLength(4000);
        b.ComplexProperty(x => x.Mappings, m =>
        {
            m.Property(x => x.Ctpat).HasMaxLength(100);
            m.Property(x => x.Aeo).HasMaxLength(100);
            m.Property(x => x.Iso27001).HasMaxLength(20);
            m.Property(x => x.Tapa).HasMaxLength(100);
            m.Property(x => x.Isps).HasMaxLength(100);
        });
        b.Property(x => x.AppliesUpToTier).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.Weight).HasPrecision(6, 2);
        b.HasIndex(x => new { x.TemplateId, x.Code }).IsUnique();
    }
}

internal sealed class AssessmentConfiguration : IEntityTypeConfiguration<Assessment>
{
    public void Configure(EntityTypeBuilder<Assessment> b)
    {
        b.Property(x => x.State).HasConversion<string>().HasMaxLength(30);
        b.Property(x => x.TierAtIssue).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.RiskRating).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.OverallScore).HasPrecision(5, 1);
        b.Property(x => x.WorkflowInstanceId).HasMaxLength(64);
        b.Property(x => x.ScoringModelVersion).HasMaxLength(32);
        b.Property(x => x.Version).IsConcurrencyToken();
        b.HasOne(x => x.Supplier).WithMany().HasForeignKey(x => x.SupplierId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne(x => x.Template).WithMany().HasForeignKey(x => x.TemplateId).OnDelete(DeleteBehavior.Restrict);
        b.HasMany(x => x.Answers).WithOne().HasForeignKey(a => a.AssessmentId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(x => x.EvidenceFiles).WithOne().HasForeignKey(e => e.AssessmentId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(x => new { x.SupplierId, x.State });
        // Covers the dashboard's questionnaire completion (issued in the window; submitted, or past due).
        b.HasIndex(x => new { x.IssuedAt, x.SubmittedAt, x.DueDate });
    }
}

internal sealed class AnswerConfiguration : IEntityTypeConfiguration<Answer>
{
    public void Configure(EntityTypeBuilder<Answer> b)
    {
        b.Property(x => x.QuestionCode).HasMaxLength(32);
        b.Property(x => x.Value).HasMaxLength(AnswerRules.MaxTextLength);
        b.Property(x => x.NotApplicableReason).HasMaxLength(1000);
        b.Property(x => x.Version).IsConcurrencyToken();
        b.HasIndex(x => new { x.AssessmentId, x.QuestionCode }).IsUnique();
        b.HasIndex(x => x.SupplierId);
    }
}

internal sealed class EvidenceFileConfiguration : IEntityTypeConfiguration<EvidenceFile>
{
    public void Configure(EntityTypeBuilder<EvidenceFile> b)
    {
        b.Property(x => x.QuestionCode).HasMaxLength(32);
        b.Property(x => x.FileName).HasMaxLength(255);
        b.Property(x => x.ContentType).HasMaxLength(120);
        b.Property(x => x.Sha256).HasMaxLength(64).IsFixedLength();
        b.Property(x => x.StorageKey).HasMaxLength(64);
        // Not unique: a library version linked to several questions shares its stored file (Evidence/EvidenceLibraryConfigurations.cs).
        b.HasIndex(x => x.StorageKey);
        b.HasIndex(x => new { x.AssessmentId, x.QuestionCode });
        b.HasIndex(x => x.SupplierId);
    }
}

internal sealed class StatusChangeConfiguration : IEntityTypeConfiguration<StatusChange>
{
    public void Configure(EntityTypeBuilder<StatusChange> b)
    {
        b.HasKey(x => x.Sequence);
        b.Property(x => x.Sequence).ValueGeneratedOnAdd();
        b.Property(x => x.PreviousStatus).HasConversion<string>().HasMaxLength(30);
        b.Property(x => x.NewStatus).HasConversion<string>().HasMaxLength(30);
        b.Property(x => x.RiskRating).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.OverallScore).HasPrecision(5, 1);
        b.Property(x => x.Reason).HasMaxLength(500);
        b.HasIndex(x => new { x.SupplierId, x.Sequence });
    }
}

internal sealed class SharingConsentConfiguration : IEntityTypeConfiguration<SharingConsent>
{
    public void Configure(EntityTypeBuilder<SharingConsent> b)
    {
        b.Property(x => x.PartnerClientId).HasMaxLength(100);
        b.Property(x => x.Scope).HasMaxLength(50);
        b.HasIndex(x => new { x.PartnerClientId, x.SupplierId });
    }
}

internal sealed class SeedMarkerConfiguration : IEntityTypeConfiguration<SeedMarker>
{
    public void Configure(EntityTypeBuilder<SeedMarker> b)
    {
        b.HasKey(x => x.Name);
        b.Property(x => x.Name).HasMaxLength(100);
    }
}
