using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Assessments;
using SupplierAssure.Core.Common;
using SupplierAssure.Core.Data;

namespace SupplierAssure.Core.Reviews;

/// <param name="AuthorId">The signed-in person; null for an API client.</param>
/// <param name="AuthorName">The name shown with the comment.</param>
/// <param name="FromSupplier">True for a supplier user's reply; false for the operator's reviewer.</param>
public sealed record AddReviewCommentRequest(
    Guid AssessmentId,
    string? QuestionCode,
    string? Text,
    Guid? AuthorId,
    string AuthorName,
    bool FromSupplier);

/// <summary>
/// Adds a comment to one question's thread. Reviewers comment while the assessment waits for their decision (Under
/// review) or while it is back with the supplier for clarification; the supplier replies while it is back with it.
/// The assessment is read through the caller's tenant-scoped context, so another organisation's assessment is simply
/// not found.
/// </summary>
public sealed class AddReviewCommentHandler(SupplierAssureDbContext db, TimeProvider clock)
{
    public async Task<Outcome<ReviewComment>> HandleAsync(AddReviewCommentRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var assessment = await db.Assessments.AsNoTracking()
            .Where(a => a.Id == request.AssessmentId)
            .Select(a => new { a.Id, a.SupplierId, a.State, a.TemplateId, a.TierAtIssue })
            .SingleOrDefaultAsync(cancellationToken);
        if (assessment is null)
        {
            return Outcome<ReviewComment>.From(Outcome.NotFound());
        }

        var allowed = request.FromSupplier
            ? assessment.State == AssessmentState.Clarification
            : assessment.State is AssessmentState.UnderReview or AssessmentState.Clarification;
        if (!allowed)
        {
            return Outcome<ReviewComment>.From(Outcome.Conflict(request.FromSupplier
                ? "Replies are open while the questionnaire is back with you for clarification."
                : $"Questions can be commented while the assessment is under review or back for clarification; it is {assessment.State}."));
        }

        var errors = new Dictionary<string, string[]>();
        var code = request.QuestionCode?.Trim();
        if (string.IsNullOrEmpty(code))
        {
            errors["QuestionCode"] = ["Choose the question the comment is about."];
        }
        else
        {
            var question = await db.TemplateQuestions.AsNoTracking()
                .SingleOrDefaultAsync(q => q.TemplateId == assessment.TemplateId && q.Code == code, cancellationToken);
            if (question is null || !question.AppliesTo(assessment.TierAtIssue))
            {
                errors["QuestionCode"] = [$"Question '{code}' is not part of this questionnaire."];
            }
        }

        var text = request.Text?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            errors["Text"] = ["Write the comment."];
        }
        else if (text.Length > ReviewComment.MaxTextLength)
        {
            errors["Text"] = [$"Keep the comment under {ReviewComment.MaxTextLength} characters."];
        }

        if (errors.Count > 0)
        {
            return Outcome<ReviewComment>.From(Outcome.Invalid(errors));
        }

        var author = request.AuthorName.Trim();
        var comment = new ReviewComment
        {
            Id = Guid.NewGuid(),
            SupplierId = assessment.SupplierId,
            AssessmentId = assessment.Id,
            QuestionCode = code!,
            FromSupplier = request.FromSupplier,
            AuthorId = request.AuthorId,
            AuthorName = author.Length > ReviewComment.MaxAuthorLength ? author[..ReviewComment.MaxAuthorLength] : author,
            Text = text!,
            CreatedAt = clock.GetUtcNow(),
        };
        db.Set<ReviewComment>().Add(comment);
        await db.SaveChangesAsync(cancellationToken);
        return Outcome<ReviewComment>.Ok(comment);
    }
}

/// <summary>Reads the comment threads of one assessment (through the caller's tenant-scoped context).</summary>
public static class ReviewComments
{
    /// <summary>Every comment of the assessment, by question, oldest first.</summary>
    public static async Task<ILookup<string, ReviewComment>> ThreadsAsync(SupplierAssureDbContext db, Guid assessmentId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var comments = await db.Set<ReviewComment>().AsNoTracking()
            .Where(c => c.AssessmentId == assessmentId)
            .ToListAsync(cancellationToken);
        return comments.OrderBy(c => c.CreatedAt).ToLookup(c => c.QuestionCode, StringComparer.Ordinal);
    }

    /// <summary>
    /// The questions a return for clarification asks about: those with a reviewer's comment since the assessment was
    /// last submitted (all of them when it was never submitted).
    /// </summary>
    public static IReadOnlySet<string> OpenQuestions(ILookup<string, ReviewComment> threads, DateTimeOffset? submittedAt)
    {
        ArgumentNullException.ThrowIfNull(threads);
        return threads
            .Where(t => t.Any(c => !c.FromSupplier && (submittedAt is null || c.CreatedAt >= submittedAt)))
            .Select(t => t.Key)
            .ToHashSet(StringComparer.Ordinal);
    }
}
