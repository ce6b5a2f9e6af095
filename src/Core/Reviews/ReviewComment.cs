using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SupplierAssure.Core.Data;

namespace SupplierAssure.Core.Reviews;

/// <summary>
/// A remark on one question of an assessment: a reviewer's question about an answer, or the supplier's reply. The
/// thread of a question is its comments in time order. A reviewer's comments made since the last submission are what
/// a return for clarification asks the supplier to look at. Append-only; owned by the assessment's supplier, so the
/// tenant filter shows a supplier only the threads of its own assessments.
/// </summary>
public sealed class ReviewComment : ISupplierOwned
{
    public Guid Id { get; set; }
    public Guid SupplierId { get; set; }
    public Guid AssessmentId { get; set; }
    public required string QuestionCode { get; set; }

    /// <summary>True when a supplier user wrote it (a reply); false for the operator's reviewers.</summary>
    public bool FromSupplier { get; set; }

    /// <summary>The signed-in person; null when a procurement system wrote it through the API.</summary>
    public Guid? AuthorId { get; set; }

    /// <summary>Shown next to the comment: the person's display name, or "client:…" for an API client.</summary>
    public required string AuthorName { get; set; }

    public required string Text { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    public const int MaxTextLength = 2000;
    public const int MaxAuthorLength = 200;
}

internal sealed class ReviewCommentConfiguration : IEntityTypeConfiguration<ReviewComment>
{
    public void Configure(EntityTypeBuilder<ReviewComment> b)
    {
        b.Property(x => x.QuestionCode).HasMaxLength(32);
        b.Property(x => x.AuthorName).HasMaxLength(ReviewComment.MaxAuthorLength);
        b.Property(x => x.Text).HasMaxLength(ReviewComment.MaxTextLength);
        b.HasOne<Assessments.Assessment>().WithMany().HasForeignKey(x => x.AssessmentId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(x => new { x.AssessmentId, x.QuestionCode, x.CreatedAt });
        b.HasIndex(x => x.SupplierId);
    }
}
