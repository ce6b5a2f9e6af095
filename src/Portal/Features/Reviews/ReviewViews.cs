using SupplierAssure.Core.Reviews;

namespace SupplierAssure.Portal.Features.Reviews;

/// <summary>One question of the review file with its comment thread, for the _ReviewQuestion partial.</summary>
public sealed record ReviewQuestionView(ReviewQuestion Row, CommentThreadView Thread);

/// <summary>A question's comments and, when the viewer may write, the fields of its comment form (<see cref="FormId"/>).</summary>
public sealed record CommentThreadView(string QuestionCode, IReadOnlyList<ReviewComment> Comments, bool CanWrite, string Label, string Button)
{
    public string FormId => CommentForms.FormId(QuestionCode);
}

/// <summary>The comment forms of a page, rendered once outside any other form.</summary>
public sealed record CommentFormsView(Guid AssessmentId, IReadOnlyList<string> QuestionCodes);

public static class CommentForms
{
    public static string FormId(string questionCode) => "comment-form-" + questionCode;
}
