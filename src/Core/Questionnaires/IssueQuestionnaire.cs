using System.Globalization;
using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Assessments;
using SupplierAssure.Core.Common;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Suppliers;

namespace SupplierAssure.Core.Questionnaires;

/// <summary>Procurement's request to send a supplier a questionnaire.</summary>
public sealed record IssueQuestionnaireRequest(Guid SupplierId, Guid? TemplateId, DateOnly? DueDate, IReadOnlyCollection<Guid> ContactIds);

/// <summary>Procurement's request to move an open questionnaire's due date later, and why.</summary>
public sealed record ExtendDueDateRequest(Guid SupplierId, Guid AssessmentId, DateOnly? NewDueDate, string? Reason);

/// <summary>A person to tell about a questionnaire.</summary>
public sealed record Recipient(Guid UserId, string Email, string DisplayName);

/// <summary>What issuing, extending or reminding did, and whom the caller should tell.</summary>
public sealed record QuestionnaireNotice(
    Guid AssessmentId,
    Guid SupplierId,
    string SupplierName,
    string TemplateTitle,
    int TemplateVersion,
    SupplierTier Tier,
    DateOnly DueDate,
    DateOnly? PreviousDueDate,
    IReadOnlyList<Recipient> Recipients);

/// <summary>A published template version a supplier of a given tier can be issued.</summary>
public sealed record IssuableTemplate(Guid Id, string Code, int Version, string Title, int QuestionCount);

/// <summary>
/// Issuing a questionnaire by hand (procurement, from the supplier page or the REST API), moving its due date and
/// reminding its contacts. One file for the three, because they share the rules about what counts as open and
/// who the contacts are. The caller sends the e-mails and writes the audit entries (the Portal owns both).
/// </summary>
public sealed class IssueQuestionnaireHandler(SupplierAssureDbContext db, TimeProvider clock, Onboarding.IOnboardingSignals? onboarding = null)
{
    /// <summary>The longest answer period procurement can give in one go.</summary>
    public const int MaxDaysAhead = 366;

    public const int MinReasonLength = 10;

    public const int MaxReasonLength = 500;

    /// <summary>States in which a questionnaire is still in its cycle; a supplier has at most one such at a time.</summary>
    public static readonly IReadOnlyList<AssessmentState> OpenStates =
        [AssessmentState.Issued, AssessmentState.InProgress, AssessmentState.Submitted, AssessmentState.UnderReview, AssessmentState.Audit, AssessmentState.Remediation, AssessmentState.Clarification];

    /// <summary>Published versions that ask a supplier of <paramref name="tier"/> at least one question, newest first.</summary>
    public async Task<IReadOnlyList<IssuableTemplate>> TemplatesForAsync(SupplierTier tier, CancellationToken cancellationToken)
    {
        if (tier == SupplierTier.Excluded)
        {
            return [];
        }

        // AppliesTo(tier) as SQL: a question reaches the tier when the tier is at least as demanding as AppliesUpToTier.
        return await db.QuestionnaireTemplates.AsNoTracking()
            .Where(t => t.Status == TemplateStatus.Published && t.Questions.Any(q => (int)tier <= (int)q.AppliesUpToTier))
            .OrderBy(t => t.Code).ThenByDescending(t => t.Version)
            .Select(t => new IssuableTemplate(t.Id, t.Code, t.Version, t.Title, t.Questions.Count(q => (int)tier <= (int)q.AppliesUpToTier)))
            .ToListAsync(cancellationToken);
    }

    public async Task<Outcome<QuestionnaireNotice>> IssueAsync(IssueQuestionnaireRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var supplier = await db.Suppliers.AsNoTracking()
            .Where(s => s.Id == request.SupplierId)
            .Select(s => new { s.Id, s.LegalName, s.Tier })
            .SingleOrDefaultAsync(cancellationToken);
        if (supplier is null)
        {
            return Outcome<QuestionnaireNotice>.From(Outcome.NotFound());
        }

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (supplier.Tier == SupplierTier.Excluded)
        {
            errors["TemplateId"] = ["This supplier is excluded from assessment by its tier; classify it into a tier before issuing a questionnaire."];
        }

        IssuableTemplate? template = null;
        if (supplier.Tier != SupplierTier.Excluded)
        {
            var templates = await TemplatesForAsync(supplier.Tier, cancellationToken);
            if (request.TemplateId is null)
            {
                errors["TemplateId"] = ["Choose the questionnaire version to issue."];
            }
            else
            {
                template = templates.FirstOrDefault(t => t.Id == request.TemplateId);
                if (template is null)
                {
                    errors["TemplateId"] = [$"That questionnaire version is not a published version with questions for {TierWords(supplier.Tier)}."];
                }
            }
        }

        var today = Today();
        if (DueDateError(request.DueDate, today, null) is { } dueError)
        {
            errors["DueDate"] = [dueError];
        }

        var contacts = await db.Users.AsNoTracking()
            .Where(u => u.SupplierId == supplier.Id)
            .Select(u => new { u.Id, u.Email, u.DisplayName })
            .ToListAsync(cancellationToken);
        var chosen = (request.ContactIds ?? []).Distinct().ToList();
        if (contacts.Count == 0)
        {
            errors["ContactIds"] = ["This supplier has no user accounts yet, so nobody could answer; invite a contact first."];
        }
        else if (chosen.Count == 0)
        {
            errors["ContactIds"] = ["Choose at least one contact to notify."];
        }
        else if (chosen.Any(id => contacts.All(c => c.Id != id)))
        {
            errors["ContactIds"] = ["Every contact must be a user of this supplier's organisation."];
        }

        if (errors.Count > 0)
        {
            return Outcome<QuestionnaireNotice>.From(Outcome.Invalid(errors));
        }

        if (await OpenAssessmentAsync(supplier.Id, cancellationToken) is { } open)
        {
            return Outcome<QuestionnaireNotice>.From(Outcome.Conflict(
                $"{supplier.LegalName} already has an open questionnaire ({StateWords(open.State)}, due {Day(open.DueDate)}); " +
                "finish or close it before issuing another, or extend its due date."));
        }

        var assessment = new Assessment
        {
            Id = Guid.NewGuid(),
            SupplierId = supplier.Id,
            TemplateId = template!.Id,
            TierAtIssue = supplier.Tier,
            DueDate = request.DueDate!.Value,
            State = AssessmentState.Issued,
            IssuedAt = clock.GetUtcNow(),
        };
        db.Assessments.Add(assessment);
        // A supplier assessed before gets its last cycle's answers to confirm or change (Assessments/CarryOverAnswers.cs).
        await CarryOverAnswers.AddAsync(db, assessment, assessment.IssuedAt, cancellationToken);
        // Note: the open-assessment check and the insert are not one atomic step; two procurement users issuing to
        // the same supplier in the same instant could both succeed. SQLite serialises the writes but not the check;
        // a filtered unique index on open states would close it and is left for the model owner.
        await db.SaveChangesAsync(cancellationToken);
        if (onboarding is not null)
        {
            // After the commit: the supplier's onboarding workflow goes on to watch this questionnaire's due date.
            await onboarding.MilestoneReachedAsync(supplier.Id, Onboarding.OnboardingMilestone.QuestionnaireIssued, assessment.Id, cancellationToken);
        }

        var recipients = contacts.Where(c => chosen.Contains(c.Id) && !string.IsNullOrEmpty(c.Email))
            .Select(c => new Recipient(c.Id, c.Email!, string.IsNullOrWhiteSpace(c.DisplayName) ? c.Email! : c.DisplayName))
            .ToList();
        return Outcome<QuestionnaireNotice>.Ok(new QuestionnaireNotice(assessment.Id, supplier.Id, supplier.LegalName, template.Title, template.Version,
            supplier.Tier, assessment.DueDate, null, recipients));
    }

    public async Task<Outcome<QuestionnaireNotice>> ExtendDueDateAsync(ExtendDueDateRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var assessment = await db.Assessments.Include(a => a.Supplier).Include(a => a.Template)
            .SingleOrDefaultAsync(a => a.Id == request.AssessmentId && a.SupplierId == request.SupplierId, cancellationToken);
        if (assessment is null)
        {
            return Outcome<QuestionnaireNotice>.From(Outcome.NotFound());
        }

        if (!assessment.IsOpenForAnswers)
        {
            return Outcome<QuestionnaireNotice>.From(Outcome.Conflict(
                $"The questionnaire is {StateWords(assessment.State)}; only a questionnaire still being answered can get more time."));
        }

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (DueDateError(request.NewDueDate, Today(), assessment.DueDate) is { } dueError)
        {
            errors["NewDueDate"] = [dueError];
        }

        var reason = request.Reason?.Trim() ?? string.Empty;
        if (reason.Length < MinReasonLength)
        {
            errors["Reason"] = [$"Say why the supplier gets more time (at least {MinReasonLength} characters); the reason is kept in the audit log."];
        }
        else if (reason.Length > MaxReasonLength)
        {
            errors["Reason"] = [$"Keep the reason to {MaxReasonLength} characters or fewer."];
        }

        if (errors.Count > 0)
        {
            return Outcome<QuestionnaireNotice>.From(Outcome.Invalid(errors));
        }

        var previous = assessment.DueDate;
        assessment.DueDate = request.NewDueDate!.Value;
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Outcome<QuestionnaireNotice>.From(Outcome.Conflict("The questionnaire changed while you were editing; reload the page and try again."));
        }

        var recipients = await RecipientsAsync(assessment.SupplierId, cancellationToken);
        return Outcome<QuestionnaireNotice>.Ok(new QuestionnaireNotice(assessment.Id, assessment.SupplierId, assessment.Supplier!.LegalName,
            assessment.Template!.Title, assessment.Template.Version, assessment.TierAtIssue, assessment.DueDate, previous, recipients));
    }

    /// <summary>Whom to remind about an open questionnaire now: every user of the supplier's organisation.</summary>
    public async Task<Outcome<QuestionnaireNotice>> ReminderAsync(Guid supplierId, Guid assessmentId, CancellationToken cancellationToken)
    {
        var assessment = await db.Assessments.AsNoTracking()
            .Where(a => a.Id == assessmentId && a.SupplierId == supplierId)
            .Select(a => new { a.Id, a.SupplierId, a.Supplier!.LegalName, a.Template!.Title, a.Template.Version, a.TierAtIssue, a.DueDate, a.State })
            .SingleOrDefaultAsync(cancellationToken);
        if (assessment is null)
        {
            return Outcome<QuestionnaireNotice>.From(Outcome.NotFound());
        }

        if (assessment.State is not (AssessmentState.Issued or AssessmentState.InProgress))
        {
            return Outcome<QuestionnaireNotice>.From(Outcome.Conflict($"The questionnaire is {StateWords(assessment.State)}; there is nothing to remind the supplier of."));
        }

        var recipients = await RecipientsAsync(supplierId, cancellationToken);
        if (recipients.Count == 0)
        {
            return Outcome<QuestionnaireNotice>.From(Outcome.Conflict("This supplier has no user accounts with an e-mail address to remind."));
        }

        return Outcome<QuestionnaireNotice>.Ok(new QuestionnaireNotice(assessment.Id, assessment.SupplierId, assessment.LegalName, assessment.Title,
            assessment.Version, assessment.TierAtIssue, assessment.DueDate, null, recipients));
    }

    /// <summary>The supplier's open questionnaire, if it has one.</summary>
    public async Task<(Guid Id, AssessmentState State, DateOnly DueDate)?> OpenAssessmentAsync(Guid supplierId, CancellationToken cancellationToken)
    {
        var open = await db.Assessments.AsNoTracking()
            .Where(a => a.SupplierId == supplierId && OpenStates.Contains(a.State))
            .OrderBy(a => a.DueDate)
            .Select(a => new { a.Id, a.State, a.DueDate })
            .FirstOrDefaultAsync(cancellationToken);
        return open is null ? null : (open.Id, open.State, open.DueDate);
    }

    public static string Day(DateOnly date) => date.ToString("d MMMM yyyy", CultureInfo.InvariantCulture);

    private async Task<List<Recipient>> RecipientsAsync(Guid supplierId, CancellationToken cancellationToken) =>
        (await db.Users.AsNoTracking()
            .Where(u => u.SupplierId == supplierId && u.Email != null)
            .OrderBy(u => u.Email)
            .Select(u => new { u.Id, u.Email, u.DisplayName })
            .ToListAsync(cancellationToken))
        .ConvertAll(u => new Recipient(u.Id, u.Email!, string.IsNullOrWhiteSpace(u.DisplayName) ? u.Email! : u.DisplayName));

    private DateOnly Today() => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    private static string? DueDateError(DateOnly? due, DateOnly today, DateOnly? current)
    {
        if (due is null)
        {
            return "Give a due date (yyyy-mm-dd).";
        }

        if (due <= today)
        {
            return $"The due date must be in the future: {Day(today.AddDays(1))} at the earliest.";
        }

        if (current is { } c && due <= c)
        {
            return $"The new due date must be later than the current one, {Day(c)}.";
        }

        if (due > today.AddDays(MaxDaysAhead))
        {
            return $"The due date can be at most {MaxDaysAhead} days ahead ({Day(today.AddDays(MaxDaysAhead))}).";
        }

        return null;
    }

    private static string TierWords(SupplierTier tier) => tier switch
    {
        SupplierTier.Tier1Critical => "a Tier 1 supplier",
        SupplierTier.Tier2Significant => "a Tier 2 supplier",
        SupplierTier.Tier3Standard => "a Tier 3 supplier",
        _ => "this supplier",
    };

    private static string StateWords(AssessmentState state) => state switch
    {
        AssessmentState.Issued => "issued and not started",
        AssessmentState.InProgress => "being answered",
        AssessmentState.Submitted => "submitted and being scored",
        AssessmentState.UnderReview => "under review",
        AssessmentState.Audit => "waiting for an audit",
        AssessmentState.Remediation => "in remediation",
        AssessmentState.Approved => "approved",
        AssessmentState.ConditionallyApproved => "conditionally approved",
        AssessmentState.Rejected => "rejected",
        AssessmentState.Expired => "expired",
        AssessmentState.Clarification => "returned for clarification",
        _ => state.ToString(),
    };
}
