using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SupplierAssure.Core.Data;

namespace SupplierAssure.Core.Findings;

/// <summary>Where a finding about an assessment came from.</summary>
public enum FindingSource
{
    Scoring,
    Audit,
    Review,
}

/// <summary>The grades the approval rule reads (ISO 19011 usage): only nonconformities block approval.</summary>
public enum NonconformityGrade
{
    MajorNonconformity,
    MinorNonconformity,
    OpportunityForImprovement,
}

public enum AssessmentFindingState
{
    Open,
    Closed,
}

/// <summary>
/// A finding raised against one assessment (by an audit, a reviewer or scoring), kept generic so remediation can
/// follow it whatever raised it. Named apart from the incident <c>Finding</c> partners report, which has a
/// different life (a reviewer triages it) and no assessment.
/// </summary>
public sealed class AssessmentFinding : ISupplierOwned, IVersioned
{
    public Guid Id { get; set; }
    public Guid SupplierId { get; set; }
    public Guid AssessmentId { get; set; }
    public FindingSource Source { get; set; }
    public NonconformityGrade Grade { get; set; }
    /// <summary>The ISO 28000 clause ("4" … "10") or question code the finding is about, when it has one.</summary>
    public string? Reference { get; set; }
    public required string Summary { get; set; }
    public DateOnly? DueDate { get; set; }
    public AssessmentFindingState State { get; set; } = AssessmentFindingState.Open;
    public DateTimeOffset RaisedAt { get; set; }
    public Guid? RaisedBy { get; set; }

    /// <summary>When the finding closed; null while open (and for findings closed before this was recorded).</summary>
    public DateTimeOffset? ClosedAt { get; set; }

    /// <summary>Why it closed, in a sentence (a verified corrective action, a clarification answer that removed the gap).</summary>
    public string? ClosingNote { get; set; }
    public long Version { get; set; }

    public const int MaxSummaryLength = 1000;
    public const int MaxClosingNoteLength = 500;

    /// <summary>Closes the finding at <paramref name="now"/> with the reason.</summary>
    public void Close(DateTimeOffset now, string note)
    {
        State = AssessmentFindingState.Closed;
        ClosedAt = now;
        ClosingNote = note.Length <= MaxClosingNoteLength ? note : note[..MaxClosingNoteLength];
    }
}

internal sealed class AssessmentFindingConfiguration : IEntityTypeConfiguration<AssessmentFinding>
{
    public void Configure(EntityTypeBuilder<AssessmentFinding> b)
    {
        b.Property(x => x.Source).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.Grade).HasConversion<string>().HasMaxLength(30);
        b.Property(x => x.State).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.Reference).HasMaxLength(32);
        b.Property(x => x.Summary).HasMaxLength(AssessmentFinding.MaxSummaryLength);
        b.Property(x => x.ClosingNote).HasMaxLength(AssessmentFinding.MaxClosingNoteLength);
        b.Property(x => x.Version).IsConcurrencyToken();
        b.HasOne<Assessments.Assessment>().WithMany().HasForeignKey(x => x.AssessmentId).OnDelete(DeleteBehavior.Restrict);
        // The approval rule asks "which findings of this assessment are open, of which grade".
        b.HasIndex(x => new { x.AssessmentId, x.State });
        b.HasIndex(x => x.SupplierId);
        // The dashboard's open findings by grade and clause: an index-only scan of the open rows, grouped in index order.
        b.HasIndex(x => new { x.State, x.Grade, x.Reference });
    }
}
