using System.Security.Claims;
using OpenIddict.Abstractions;
using SupplierAssure.Core.Common;
using SupplierAssure.Core.Questionnaires;
using SupplierAssure.Portal.Features.Suppliers;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace SupplierAssure.Portal.Api;

/// <summary>Body of POST /api/v1/suppliers/{id}/assessments.</summary>
/// <param name="TemplateId">A published questionnaire version with questions for the supplier's tier.</param>
/// <param name="DueDate">The due date, yyyy-MM-dd, after today.</param>
/// <param name="ContactIds">User ids of the supplier's organisation to e-mail; at least one.</param>
public sealed record IssueAssessmentBody(Guid? TemplateId, DateOnly? DueDate, IReadOnlyList<Guid>? ContactIds);

/// <summary>Body of POST /api/v1/suppliers/{id}/assessments/{assessmentId}/due-date.</summary>
public sealed record ExtendDueDateBody(DateOnly? DueDate, string? Reason);

/// <summary>What an issue, extension or reminder did.</summary>
public sealed record AssessmentNoticeDto(
    Guid AssessmentId,
    Guid SupplierId,
    string Template,
    int TemplateVersion,
    string TierAtIssue,
    DateOnly DueDate,
    DateOnly? PreviousDueDate,
    IReadOnlyList<string> Notified,
    IReadOnlyList<string> Undelivered);

/// <summary>
/// Procurement's write operations for procurement systems, with the procurement.write scope: issue a questionnaire,
/// extend its due date, remind its contacts. The same use cases as the supplier page; errors are problem details
/// whose <c>errors</c> name the body field (camelCase).
/// </summary>
public static class ProcurementWriteApi
{
    public static IEndpointRouteBuilder MapProcurementWriteApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var api = app.MapGroup("/api/v1")
            .RequireAuthorization(ApiScopes.WritePolicy)
            // Bearer tokens only (the policy names the validation scheme), so no cookie ever reaches these: no CSRF.
            .DisableAntiforgery()
            .WithTags("Assessments");
        api.MapPost("/suppliers/{id:guid}/assessments", IssueAsync)
            .WithName("IssueAssessment")
            .WithSummary("Issue a questionnaire to a supplier and e-mail the chosen contacts; refused while the supplier has an open one.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/suppliers/{id:guid}/assessments/{assessmentId:guid}/due-date", ExtendAsync)
            .WithName("ExtendAssessmentDueDate")
            .WithSummary("Move an open questionnaire's due date later, with a reason the supplier's contacts are told.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/suppliers/{id:guid}/assessments/{assessmentId:guid}/reminders", RemindAsync)
            .WithName("RemindAssessmentContacts")
            .WithSummary("E-mail the supplier's contacts a reminder about an open questionnaire now.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    internal static async Task<IResult> IssueAsync(Guid id, IssueAssessmentBody? body, QuestionnaireOperations operations, HttpContext context, CancellationToken cancellationToken)
    {
        var result = await operations.IssueAsync(new IssueQuestionnaireRequest(id, body?.TemplateId, body?.DueDate, body?.ContactIds ?? []),
            ActorOf(context.User), IssueModel.BaseUrl(context.Request), cancellationToken);
        return result.Outcome.Status == OutcomeStatus.Ok
            ? TypedResults.Created($"/api/v1/suppliers/{id:D}/assessments/{result.Notice!.AssessmentId:D}", Dto(result))
            : Problem(result.Outcome, "The questionnaire was not issued.");
    }

    internal static async Task<IResult> ExtendAsync(Guid id, Guid assessmentId, ExtendDueDateBody? body, QuestionnaireOperations operations, HttpContext context, CancellationToken cancellationToken)
    {
        var result = await operations.ExtendDueDateAsync(new ExtendDueDateRequest(id, assessmentId, body?.DueDate, body?.Reason),
            ActorOf(context.User), IssueModel.BaseUrl(context.Request), cancellationToken);
        return result.Outcome.Status == OutcomeStatus.Ok ? TypedResults.Ok(Dto(result)) : Problem(result.Outcome, "The due date was not changed.");
    }

    internal static async Task<IResult> RemindAsync(Guid id, Guid assessmentId, QuestionnaireOperations operations, HttpContext context, CancellationToken cancellationToken)
    {
        var result = await operations.RemindAsync(id, assessmentId, ActorOf(context.User), IssueModel.BaseUrl(context.Request), cancellationToken);
        return result.Outcome.Status == OutcomeStatus.Ok ? TypedResults.Ok(Dto(result)) : Problem(result.Outcome, "No reminder was sent.");
    }

    private static AssessmentNoticeDto Dto(OperationResult result)
    {
        var n = result.Notice!;
        return new(n.AssessmentId, n.SupplierId, n.TemplateTitle, n.TemplateVersion, n.Tier.ToString(), n.DueDate, n.PreviousDueDate,
            [.. n.Recipients.Select(r => r.Email).Except(result.Undelivered, StringComparer.OrdinalIgnoreCase)], result.Undelivered);
    }

    private static IResult Problem(Outcome outcome, string title) => outcome.Status switch
    {
        OutcomeStatus.NotFound => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such supplier or assessment."),
        OutcomeStatus.Conflict => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: title,
            detail: string.Join(" ", outcome.Errors.SelectMany(e => e.Value))),
        _ => TypedResults.ValidationProblem(
            outcome.Errors.ToDictionary(e => FieldName(e.Key), e => e.Value, StringComparer.Ordinal), title: title),
    };

    /// <summary>The use cases name fields as the page's form does; the API's body uses camelCase and calls the new date dueDate.</summary>
    private static string FieldName(string field) => field switch
    {
        "NewDueDate" => "dueDate",
        "" => "body",
        _ => char.ToLowerInvariant(field[0]) + field[1..],
    };

    private static Actor ActorOf(ClaimsPrincipal user)
    {
        var client = user.GetClaim(Claims.ClientId) ?? user.GetClaim(Claims.Subject) ?? "unknown client";
        return new(null, $"client:{client}");
    }
}
