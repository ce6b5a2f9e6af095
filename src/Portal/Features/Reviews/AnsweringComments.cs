using SupplierAssure.Core.Assessments;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Reviews;

namespace SupplierAssure.Portal.Features.Reviews;

/// <summary>The review comments the answering page shows with each question, and the questions a reviewer asked about.</summary>
public sealed record AnsweringThreads(ILookup<string, ReviewComment> Threads, IReadOnlySet<string> Asked, bool CanReply)
{
    public CommentThreadView For(string questionCode) =>
        new(questionCode, Threads[questionCode].ToList(), CanReply && Threads[questionCode].Any(), $"Your reply about {questionCode} to the reviewer", "Send reply");

    public IReadOnlyList<string> ReplyCodes => CanReply ? Threads.Select(t => t.Key).ToList() : [];
}

/// <summary>
/// Reads the comment threads for the supplier's answering page in one query (through the tenant-scoped context).
/// Questions asked about are highlighted while the questionnaire is back for clarification; replies are open then.
/// </summary>
public sealed class AnsweringComments(SupplierAssureDbContext db)
{
    public async Task<AnsweringThreads> ForAsync(Assessment assessment, bool canEdit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(assessment);
        var threads = await ReviewComments.ThreadsAsync(db, assessment.Id, cancellationToken);
        var clarifying = assessment.State == AssessmentState.Clarification;
        var asked = clarifying ? ReviewComments.OpenQuestions(threads, assessment.SubmittedAt) : new HashSet<string>(StringComparer.Ordinal);
        return new AnsweringThreads(threads, asked, clarifying && canEdit);
    }
}
