using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Assessments;
using SupplierAssure.Core.Common;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Delegation;
using SupplierAssure.Core.Identity;
using SupplierAssure.Core.Notifications;
using SupplierAssure.Portal.Identity;

namespace SupplierAssure.Portal.Features.Assessments;

/// <summary>A colleague a section can be given to: an active supplier user of the assessment's organisation.</summary>
public sealed record Colleague(Guid Id, string Name, string? Email);

/// <summary>Who answers a section, as the pages show it.</summary>
public sealed record SectionOwner(string Section, Guid AssigneeId, string AssigneeName, Guid AssignedBy, string AssignedByName, DateTimeOffset AssignedAt);

/// <summary>A section assigned to the signed-in user, for the supplier home.</summary>
public sealed record AssignedSection(Guid AssessmentId, string Title, DateOnly DueDate, string Section, string Anchor, SectionProgress? Progress);

/// <summary>What one assign or unassign changed, for the page's notice and the audit log.</summary>
public sealed record DelegationChange(string Section, Guid? PreviousAssigneeId, Guid? AssigneeId);

/// <param name="AssigneeId">The colleague; null to unassign the sections.</param>
public sealed record DelegateSectionsRequest(Guid AssessmentId, IReadOnlyCollection<string> Sections, Guid? AssigneeId, Guid ActorId, string ActorName);

/// <summary>
/// Delegation of questionnaire sections to colleagues of the same organisation. The assessment is read through the
/// tenant-scoped context (another organisation's is not found) and the assignee must be an active supplier user of
/// that assessment's organisation, so a section is never given to someone outside it. An assignment does not lock the
/// section. The colleague gets an in-app notification addressed to them alone (and its e-mail copy); so does the
/// colleague a section is taken from (reassigned to someone else or unassigned), unless they did it themselves.
/// </summary>
public sealed class SectionDelegation(SupplierAssureDbContext db, TimeProvider clock)
{
    public const string AssignedKind = "assessment.section-assigned";
    public const string UnassignedKind = "assessment.section-unassigned";

    /// <summary>Active supplier users of the organisation, by name.</summary>
    public async Task<IReadOnlyList<Colleague>> ColleaguesAsync(Guid supplierId, CancellationToken cancellationToken)
    {
        var supplierRoles = new[] { Roles.SupplierAdmin, Roles.SupplierContributor };
        var users = await db.Users.AsNoTracking()
            .Where(u => u.SupplierId == supplierId && db.Suppliers.Any(s => s.Id == u.SupplierId) && u.EmailConfirmed
                && db.UserRoles.Any(ur => ur.UserId == u.Id && db.Roles.Any(r => r.Id == ur.RoleId && supplierRoles.Contains(r.Name!))))
            .Select(u => new { u.Id, u.DisplayName, u.Email, u.LockoutEnd })
            .Take(1000)
            .ToListAsync(cancellationToken);
        return [.. users.Where(u => !AccountDisabling.IsDisabled(u.LockoutEnd))
            .Select(u => new Colleague(u.Id, NameOf(u.DisplayName, u.Email), u.Email))
            .OrderBy(c => c.Name, StringComparer.OrdinalIgnoreCase)];
    }

    /// <summary>The assessment's assignments by section, with names.</summary>
    public async Task<IReadOnlyDictionary<string, SectionOwner>> OwnersAsync(Guid assessmentId, CancellationToken cancellationToken)
    {
        var rows = await db.Set<SectionAssignment>().AsNoTracking().Where(a => a.AssessmentId == assessmentId).ToListAsync(cancellationToken);
        var ids = rows.Select(r => r.AssigneeId).Concat(rows.Select(r => r.AssignedBy)).Distinct().ToList();
        var names = await db.Users.AsNoTracking().Where(u => ids.Contains(u.Id))
            .Select(u => new { u.Id, u.DisplayName, u.Email }).ToDictionaryAsync(u => u.Id, u => NameOf(u.DisplayName, u.Email), cancellationToken);
        return rows.ToDictionary(
            r => r.Section,
            r => new SectionOwner(r.Section, r.AssigneeId, names.GetValueOrDefault(r.AssigneeId, "a former user"), r.AssignedBy, names.GetValueOrDefault(r.AssignedBy, "a former user"), r.AssignedAt),
            StringComparer.Ordinal);
    }

    /// <summary>Sections of open questionnaires assigned to <paramref name="userId"/>, soonest due first.</summary>
    public async Task<IReadOnlyList<AssignedSection>> AssignedToAsync(Guid userId, AnsweringProgress progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(progress);
        var open = new[] { AssessmentState.Issued, AssessmentState.InProgress, AssessmentState.Clarification };
        var rows = await db.Set<SectionAssignment>().AsNoTracking()
            .Where(s => s.AssigneeId == userId)
            .Join(db.Assessments.Where(a => open.Contains(a.State)), s => s.AssessmentId, a => a.Id, (s, a) => new { s.Section, a.Id, a.Template!.Title, a.DueDate })
            .Take(200)
            .ToListAsync(cancellationToken);
        var result = new List<AssignedSection>();
        foreach (var assessment in rows.GroupBy(r => r.Id))
        {
            var sections = await progress.OfAsync(assessment.Key, cancellationToken) ?? [];
            foreach (var row in assessment)
            {
                var p = sections.FirstOrDefault(s => s.Section == row.Section);
                result.Add(new AssignedSection(row.Id, row.Title, row.DueDate, row.Section, p?.Anchor ?? string.Empty, p));
            }
        }

        return [.. result.OrderBy(r => r.DueDate).ThenBy(r => r.Title, StringComparer.Ordinal).ThenBy(r => r.Anchor, StringComparer.Ordinal)];
    }

    public async Task<Outcome<IReadOnlyList<DelegationChange>>> DelegateAsync(DelegateSectionsRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var assessment = await db.Assessments.AsNoTracking().Include(a => a.Template).SingleOrDefaultAsync(a => a.Id == request.AssessmentId, cancellationToken);
        if (assessment is null)
        {
            return Outcome<IReadOnlyList<DelegationChange>>.From(Outcome.NotFound());
        }

        if (!assessment.IsOpenForAnswers)
        {
            return Outcome<IReadOnlyList<DelegationChange>>.From(Outcome.Conflict("This questionnaire is no longer being answered, so its sections cannot be assigned."));
        }

        var asked = (request.Sections ?? []).Where(s => !string.IsNullOrWhiteSpace(s)).Select(s => s.Trim()).Distinct(StringComparer.Ordinal).ToList();
        var sections = (await db.TemplateQuestions.AsNoTracking().Where(q => q.TemplateId == assessment.TemplateId).OrderBy(q => q.Order).ToListAsync(cancellationToken))
            .Where(q => q.AppliesTo(assessment.TierAtIssue)).Select(q => q.Section).Distinct(StringComparer.Ordinal).ToList();
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (asked.Count == 0)
        {
            errors["Sections"] = ["Choose at least one section."];
        }
        else if (asked.FirstOrDefault(s => !sections.Contains(s, StringComparer.Ordinal)) is { } unknown)
        {
            errors["Sections"] = [$"“{Clip(unknown)}” is not a section of this questionnaire."];
        }

        Colleague? assignee = null;
        if (request.AssigneeId is { } assigneeId)
        {
            // Note: the same message for an unknown id, a disabled account and another organisation's user, so the
            // answer does not tell which ids exist elsewhere.
            assignee = (await ColleaguesAsync(assessment.SupplierId, cancellationToken)).FirstOrDefault(c => c.Id == assigneeId);
            if (assignee is null)
            {
                errors["AssigneeId"] = ["Choose an active colleague of your organisation."];
            }
        }

        if (errors.Count > 0)
        {
            return Outcome<IReadOnlyList<DelegationChange>>.From(Outcome.Invalid(errors));
        }

        var existing = await db.Set<SectionAssignment>().Where(a => a.AssessmentId == assessment.Id && asked.Contains(a.Section)).ToListAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var changes = new List<DelegationChange>();
        foreach (var section in sections.Where(s => asked.Contains(s, StringComparer.Ordinal)))
        {
            var row = existing.FirstOrDefault(a => a.Section == section);
            if (assignee is null)
            {
                if (row is not null)
                {
                    db.Remove(row);
                    changes.Add(new DelegationChange(section, row.AssigneeId, null));
                }
            }
            else if (row is null)
            {
                db.Add(new SectionAssignment
                {
                    Id = Guid.NewGuid(), SupplierId = assessment.SupplierId, AssessmentId = assessment.Id, Section = section,
                    AssigneeId = assignee.Id, AssignedBy = request.ActorId, AssignedAt = now,
                });
                changes.Add(new DelegationChange(section, null, assignee.Id));
            }
            else if (row.AssigneeId != assignee.Id)
            {
                changes.Add(new DelegationChange(section, row.AssigneeId, assignee.Id));
                row.AssigneeId = assignee.Id;
                row.AssignedBy = request.ActorId;
                row.AssignedAt = now;
            }
        }

        if (changes.Count == 0)
        {
            return Outcome<IReadOnlyList<DelegationChange>>.From(Outcome.Conflict(assignee is null
                ? "Those sections were not assigned to anyone."
                : $"{(asked.Count == 1 ? "That section is" : "Those sections are")} already assigned to {assignee.Name}."));
        }

        var given = changes.Where(c => c.AssigneeId is not null).Select(c => c.Section).ToList();
        var due = assessment.DueDate.ToString("d MMMM yyyy", System.Globalization.CultureInfo.InvariantCulture);
        if (assignee is not null && given.Count > 0 && assignee.Id != request.ActorId)
        {
            var anchor = await AnchorAsync(assessment.TemplateId, given[0], cancellationToken);
            // Saved with the assignments: the colleague's notice exists exactly when the assignment does.
            NotificationOutbox.Add(db, new NotificationDraft(
                $"section-assigned:{assessment.Id:N}:{assignee.Id:N}:{Guid.NewGuid():N}",
                NotificationKind.Information,
                $"Assigned to you: {given.Count} section(s) of {assessment.Template!.Title}",
                $"{request.ActorName} asked you to answer {string.Join(", ", given.Select(s => $"“{s}”"))} of {assessment.Template.Title}, due {due}. " +
                "Colleagues can still see and edit these answers; the section shows that you look after it.",
                $"/Assessments/{assessment.Id}#{anchor}",
                assessment.SupplierId, assessment.SupplierId, null, null, null) { AudienceUserId = assignee.Id }, now);
        }

        // The colleague who had a section before (reassigned or unassigned) hears of it too, in the same two ways,
        // unless they made the change themselves.
        foreach (var previous in changes.Where(c => c.PreviousAssigneeId is { } p && p != request.ActorId && p != c.AssigneeId).GroupBy(c => c.PreviousAssigneeId!.Value))
        {
            var taken = previous.Select(c => c.Section).ToList();
            var anchor = await AnchorAsync(assessment.TemplateId, taken[0], cancellationToken);
            var sectionList = string.Join(", ", taken.Select(s => $"“{s}”"));
            var what = assignee is null
                ? $"{request.ActorName} took {sectionList} of {assessment.Template!.Title} off your list; nobody is named for {(taken.Count == 1 ? "it" : "them")} now."
                : $"{request.ActorName} handed {sectionList} of {assessment.Template!.Title} over to {assignee.Name}.";
            NotificationOutbox.Add(db, new NotificationDraft(
                $"section-unassigned:{assessment.Id:N}:{previous.Key:N}:{Guid.NewGuid():N}",
                NotificationKind.Information,
                $"No longer assigned to you: {taken.Count} section(s) of {assessment.Template.Title}",
                what + $" The questionnaire is still due {due}; the answers you gave stay, and you can still open and edit them.",
                $"/Assessments/{assessment.Id}#{anchor}",
                assessment.SupplierId, assessment.SupplierId, null, null, null) { AudienceUserId = previous.Key }, now);
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // The unique (assessment, section) index: a colleague assigned the same section at the same moment.
            return Outcome<IReadOnlyList<DelegationChange>>.From(Outcome.Conflict("Someone else changed these assignments at the same moment. Nothing was saved; look again and retry."));
        }

        return Outcome<IReadOnlyList<DelegationChange>>.Ok(changes);
    }

    private async Task<string> AnchorAsync(Guid templateId, string section, CancellationToken cancellationToken) =>
        SectionProgress.AnchorOf((await db.TemplateQuestions.AsNoTracking()
            .Where(q => q.TemplateId == templateId && q.Section == section).OrderBy(q => q.Order).Select(q => q.Code).ToListAsync(cancellationToken))
            .First());

    public static string NameOf(string? displayName, string? email) =>
        string.IsNullOrWhiteSpace(displayName) ? email ?? "a colleague" : displayName;

    private static string Clip(string value) => value.Length <= 80 ? value : value[..80] + "…";
}
