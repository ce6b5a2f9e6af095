using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;
using SupplierAssure.Core.Assessments;
using SupplierAssure.Core.Common;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Evidence;
using SupplierAssure.Core.Reviews;
using SupplierAssure.Portal.Features.Reviews;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace SupplierAssure.Portal.Api;

/// <summary>One submission in the review queue.</summary>
public sealed record ReviewQueueItemDto(
    Guid AssessmentId, Guid SupplierId, string Supplier, string Tier, string State, decimal? OverallScore, int? MaturityLevel,
    string? RiskRating, int? CriticalGaps, int OpenMajorNonconformities, int OpenMinorNonconformities, int QuestionsAsked,
    DateTimeOffset? SubmittedAt, DateTimeOffset? ScoredAt);

public sealed record ScoreAreaDto(string Key, string Title, decimal Score, int MaturityLevel);

public sealed record ReviewScoreDto(
    decimal OverallScore, int MaturityLevel, string RiskRating, int CriticalGapCount, string ModelVersion,
    IReadOnlyList<ScoreAreaDto> Sections, IReadOnlyList<ScoreAreaDto> Clauses, IReadOnlyList<ScoreAreaDto> Domains);

/// <param name="Download">The file through the API (bearer token with the read scope); served as an attachment.</param>
public sealed record EvidenceDto(Guid Id, string FileName, string ContentType, long Length, string Sha256, DateTimeOffset UploadedAt, string Download);

public sealed record ReviewCommentDto(Guid Id, string QuestionCode, bool FromSupplier, string Author, string Text, DateTimeOffset CreatedAt);

public sealed record ReviewAnswerDto(
    string Code, string Section, string Text, bool Critical, string? Answer, string? NotApplicableReason, decimal? Weight, decimal? Fraction,
    bool AskedToClarify, IReadOnlyList<EvidenceDto> Evidence, IReadOnlyList<ReviewCommentDto> Comments);

public sealed record ReviewFindingDto(Guid Id, string Grade, string? Reference, string Summary, string Source);

public sealed record ReviewDecisionDto(
    Guid Id, string Outcome, string? Reason, string? RiskOwner, string? RiskAcceptance, DateTimeOffset DecidedAt, string? Client, string AssessmentState);

public sealed record ReviewFileDto(
    Guid AssessmentId, Guid SupplierId, string Supplier, string Template, string Tier, string State, DateTimeOffset? SubmittedAt,
    ReviewScoreDto? Score, IReadOnlyList<ReviewFindingDto> OpenFindings, IReadOnlyList<ReviewDecisionDto> Decisions, IReadOnlyList<ReviewAnswerDto> Answers);

/// <summary>Body of POST /api/v1/reviews/{assessmentId}/comments.</summary>
public sealed record AddReviewCommentBody(string? QuestionCode, string? Text);

/// <summary>Body of POST /api/v1/reviews/{assessmentId}/decision.</summary>
/// <param name="Outcome">Approve, ConditionallyApprove, Reject, Return or ReturnForClarification.</param>
/// <param name="Reason">Needed for all but Approve.</param>
public sealed record DecideReviewBody(string? Outcome, string? Reason);

/// <summary>An approval waiting for a risk owner's sign-off (answered with 202 instead of a decision); see /api/v1/risk-acceptances.</summary>
public sealed record ResidualRiskProposalDto(Guid Id, Guid AssessmentId, string ProposedOutcome, string ResidualRisk, string? Reason, DateTimeOffset ProposedAt, string State);

/// <summary>
/// The review queue for procurement systems: the queue and each review file (read scope), question comments and
/// decisions (write scope), through the same use cases as the pages. Errors are problem details; a body field in error
/// is named in camelCase.
/// </summary>
public static class ReviewsApi
{
    private static readonly ReviewOutcome[] Decidable =
        [ReviewOutcome.Approve, ReviewOutcome.ConditionallyApprove, ReviewOutcome.Reject, ReviewOutcome.Return, ReviewOutcome.ReturnForClarification];

    public static IEndpointRouteBuilder MapReviewsApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var read = app.MapGroup("/api/v1")
            .RequireAuthorization(ApiScopes.Policy)
            .DisableAntiforgery()
            .WithTags("Reviews");
        read.MapGet("/reviews", ListAsync)
            .WithName("ListReviews")
            .WithSummary("Submissions in review, back with the supplier for clarification, or in audit, with score, open findings and questions asked.")
            .ProducesValidationProblem();
        read.MapGet("/reviews/{assessmentId:guid}", GetAsync)
            .WithName("GetReview")
            .WithSummary("One review file: score breakdown, open findings, decisions, and every answer with its evidence and comment thread.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        read.MapGet("/evidence/{id:guid}", DownloadAsync)
            .WithName("DownloadEvidence")
            .WithSummary("An evidence file, as an attachment.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        // Bearer tokens only (the policies name the validation scheme), so no cookie ever reaches these: no CSRF.
        var write = app.MapGroup("/api/v1")
            .RequireAuthorization(ApiScopes.WritePolicy)
            .DisableAntiforgery()
            .WithTags("Reviews");
        write.MapPost("/reviews/{assessmentId:guid}/comments", CommentAsync)
            .WithName("CommentOnReviewQuestion")
            .WithSummary("Comment on one question for the supplier (while Under review or back for clarification).")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        write.MapPost("/reviews/{assessmentId:guid}/decision", DecideAsync)
            .WithName("DecideReview")
            .WithSummary("Approve, approve conditionally, reject, return, or return for clarification of the commented questions. An approval that leaves residual risk (conditional, or a High or Critical risk rating) answers 202 with the proposal: it becomes the decision when a risk owner signs it off (in the Portal, or through /api/v1/risk-acceptances).")
            .Produces<ReviewDecisionDto>()
            .Produces<ResidualRiskProposalDto>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    internal static async Task<IResult> ListAsync(string? state, ReviewQueue queue, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var filter = ApiExtensions.ParseEnum<AssessmentState>(state, "state", errors);
        if (filter is { } f && !ReviewQueue.States.Contains(f))
        {
            errors["state"] = [$"Use one of: {string.Join(", ", ReviewQueue.States)}."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "Some query parameters are not valid.");
        }

        var rows = await queue.ListAsync(filter, cancellationToken);
        return TypedResults.Ok(rows.Select(r => new ReviewQueueItemDto(
            r.AssessmentId, r.SupplierId, r.Supplier, r.Tier.ToString(), r.State.ToString(), r.OverallScore, r.MaturityLevel, r.RiskRating?.ToString(),
            r.CriticalGaps, r.OpenMajors, r.OpenMinors, r.OpenQuestions, r.SubmittedAt, r.ScoredAt)).ToList());
    }

    internal static async Task<IResult> GetAsync(Guid assessmentId, ReviewFileReader reader, CancellationToken cancellationToken)
    {
        var file = await reader.ReadAsync(assessmentId, cancellationToken);
        return file is null ? NotFound() : TypedResults.Ok(Dto(file));
    }

    internal static async Task<IResult> DownloadAsync(Guid id, SupplierAssureDbContext db, IEvidenceStore store, HttpContext http, CancellationToken cancellationToken)
    {
        var file = await db.EvidenceFiles.AsNoTracking().SingleOrDefaultAsync(e => e.Id == id, cancellationToken);
        if (file is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No evidence file with this id.");
        }

        http.Response.Headers.XContentTypeOptions = "nosniff";
        http.Response.Headers.CacheControl = "private, no-store";
        var stream = await store.OpenReadAsync(file.StorageKey, cancellationToken);
        return TypedResults.File(stream, file.ContentType, file.FileName);
    }

    internal static async Task<IResult> CommentAsync(Guid assessmentId, AddReviewCommentBody? body, AddReviewCommentHandler add, HttpContext context, CancellationToken cancellationToken)
    {
        var outcome = await add.HandleAsync(
            new AddReviewCommentRequest(assessmentId, body?.QuestionCode, body?.Text, null, ClientOf(context.User), FromSupplier: false), cancellationToken);
        return outcome.Succeeded
            ? TypedResults.Created($"/api/v1/reviews/{assessmentId:D}", Dto(outcome.Value!))
            : Problem(outcome, "The comment was not added.");
    }

    internal static async Task<IResult> DecideAsync(
        Guid assessmentId, DecideReviewBody? body, DecideReviewHandler decide, ProposeResidualRiskHandler propose, HttpContext context, CancellationToken cancellationToken)
    {
        var name = Decidable.Select(o => o.ToString()).FirstOrDefault(n => string.Equals(n, body?.Outcome?.Trim(), StringComparison.OrdinalIgnoreCase));
        if (name is null)
        {
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["outcome"] = [$"Use one of: {string.Join(", ", Decidable)}."] },
                title: "No decision was recorded.");
        }

        var chosen = Enum.Parse<ReviewOutcome>(name);
        if (await decide.NeedsSignOffAsync(assessmentId, chosen, cancellationToken))
        {
            var proposed = await propose.HandleAsync(
                new ProposeResidualRiskRequest(assessmentId, Guid.Empty, null, chosen, body!.Reason, ClientOf(context.User)), cancellationToken);
            if (!proposed.Succeeded)
            {
                return Problem(proposed, "No approval was proposed.");
            }

            var p = proposed.Value!;
            return TypedResults.Accepted($"/api/v1/reviews/{assessmentId:D}",
                new ResidualRiskProposalDto(p.Id, p.AssessmentId, p.ProposedOutcome.ToString(), p.ResidualRisk, p.ProposalReason, p.ProposedAt, p.State.ToString()));
        }

        var outcome = await decide.HandleAsync(
            new DecideReviewRequest(assessmentId, Guid.Empty, chosen, body!.Reason, ClientOf(context.User)),
            cancellationToken);
        if (!outcome.Succeeded)
        {
            return Problem(outcome, "No decision was recorded.");
        }

        var d = outcome.Value!;
        return TypedResults.Ok(new ReviewDecisionDto(d.Id, d.Outcome.ToString(), d.Reason, d.RiskOwner, d.RiskAcceptance, d.DecidedAt, d.DecidedByClient,
            StateAfter(d.Outcome).ToString()));
    }

    private static AssessmentState StateAfter(ReviewOutcome outcome) => outcome switch
    {
        ReviewOutcome.Approve => AssessmentState.Approved,
        ReviewOutcome.ConditionallyApprove => AssessmentState.ConditionallyApproved,
        ReviewOutcome.Reject => AssessmentState.Rejected,
        ReviewOutcome.ReturnForClarification => AssessmentState.Clarification,
        _ => AssessmentState.InProgress,
    };

    private static IResult NotFound() => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No assessment with this id.");

    private static IResult Problem(Outcome outcome, string title) => outcome.Status switch
    {
        OutcomeStatus.NotFound => NotFound(),
        OutcomeStatus.Conflict => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: title,
            detail: string.Join(" ", outcome.Errors.SelectMany(e => e.Value))),
        _ => TypedResults.ValidationProblem(
            outcome.Errors.ToDictionary(e => e.Key.Length == 0 ? "body" : char.ToLowerInvariant(e.Key[0]) + e.Key[1..], e => e.Value, StringComparer.Ordinal),
            title: title),
    };

    private static string ClientOf(ClaimsPrincipal user) =>
        "client:" + (user.GetClaim(Claims.ClientId) ?? user.GetClaim(Claims.Subject) ?? "unknown");

    private static ReviewCommentDto Dto(ReviewComment c) => new(c.Id, c.QuestionCode, c.FromSupplier, c.AuthorName, c.Text, c.CreatedAt);

    private static ReviewFileDto Dto(ReviewFile file)
    {
        var a = file.Assessment;
        var s = file.Score;
        var score = s is null ? null : new ReviewScoreDto(
            s.OverallScore, s.MaturityLevel, s.RiskRating.ToString(), s.CriticalGapCount, s.ModelVersion,
            s.Sections.Select(x => new ScoreAreaDto(x.Section, x.Section, x.Score, x.MaturityLevel)).ToList(),
            (s.Clauses ?? []).Select(x => new ScoreAreaDto(x.Key, x.Title, x.Score, x.MaturityLevel)).ToList(),
            (s.Domains ?? []).Select(x => new ScoreAreaDto(x.Key, x.Title, x.Score, x.MaturityLevel)).ToList());
        return new ReviewFileDto(
            a.Id, a.SupplierId, file.SupplierName, file.TemplateTitle, a.TierAtIssue.ToString(), a.State.ToString(), a.SubmittedAt, score,
            file.OpenFindings.Select(f => new ReviewFindingDto(f.Id, f.Grade.ToString(), f.Reference, f.Summary, f.Source.ToString())).ToList(),
            file.Decisions.Select(d => new ReviewDecisionDto(d.Id, d.Outcome.ToString(), d.Reason, d.RiskOwner, d.RiskAcceptance, d.DecidedAt, d.DecidedByClient, a.State.ToString())).ToList(),
            file.Questions.Select(q => new ReviewAnswerDto(
                q.Question.Code, q.Question.Section, q.Question.Text, q.Question.Critical, q.Answer?.Value, q.Answer?.NotApplicableReason,
                q.Score?.Weight, q.Score?.Fraction, q.AskedToClarify,
                q.Evidence.Select(e => new EvidenceDto(e.Id, e.FileName, e.ContentType, e.Length, e.Sha256, e.UploadedAt, $"/api/v1/evidence/{e.Id:D}")).ToList(),
                q.Comments.Select(Dto).ToList())).ToList());
    }
}
