using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Assessments;
using SupplierAssure.Core.Common;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Identity;
using SupplierAssure.Portal.Extensions;
using SupplierAssure.Portal.Identity;

namespace SupplierAssure.Portal.Features.Assessments;

/// <summary>
/// Who answers which section of a questionnaire. Every user of the organisation sees it; a supplier admin assigns
/// sections to a colleague, reassigns and unassigns. Another organisation's questionnaire is not found (for every
/// handler, before the role is checked), and only colleagues of the questionnaire's own organisation can be chosen.
/// </summary>
[Authorize(Policy = IdentityExtensions.SupplierUserPolicy)]
public sealed class SectionsModel(SupplierAssureDbContext db, SectionDelegation delegation, AnsweringProgress progress, PortalAudit audit) : PageModel
{
    [TempData]
    public string? Notice { get; set; }

    [BindProperty]
    public List<string> Sections { get; set; } = [];

    [BindProperty]
    public Guid? AssigneeId { get; set; }

    public Assessment Assessment { get; private set; } = null!;
    public string TemplateTitle { get; private set; } = string.Empty;
    public IReadOnlyList<SectionProgress> Progress { get; private set; } = [];

    /// <summary>
    /// Sections of the tier none of whose questions is put to this supplier's supply-chain roles: left out of the table
    /// (there is nothing to give anyone) and named once under it. One still assigned to somebody stays in the table, so
    /// it can be unassigned.
    /// </summary>
    public IReadOnlyList<string> NothingAsked { get; private set; } = [];

    public IReadOnlyDictionary<string, SectionOwner> Owners { get; private set; } = new Dictionary<string, SectionOwner>();
    public IReadOnlyList<Colleague> Colleagues { get; private set; } = [];
    public bool CanAssign { get; private set; }
    public Guid CurrentUserId => Guid.TryParse(User.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : Guid.Empty;

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken) =>
        await LoadAsync(id, cancellationToken) ? Page() : NotFound();

    /// <summary>Assigns (or reassigns) the ticked sections to the chosen colleague.</summary>
    public async Task<IActionResult> OnPostAssignAsync(Guid id, CancellationToken cancellationToken)
    {
        if (AssigneeId is null)
        {
            ModelState.AddModelError(nameof(AssigneeId), "Choose the colleague who answers these sections.");
        }

        return await DelegateAsync(id, AssigneeId, cancellationToken);
    }

    /// <summary>Takes the sections back: nobody in particular answers them any more.</summary>
    public async Task<IActionResult> OnPostUnassignAsync(Guid id, CancellationToken cancellationToken) =>
        await DelegateAsync(id, null, cancellationToken);

    private async Task<IActionResult> DelegateAsync(Guid id, Guid? assigneeId, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }

        if (!CanAssign)
        {
            return Forbid();
        }

        if (!ModelState.IsValid)
        {
            return Page();
        }

        var actorName = User.FindFirstValue(ClaimTypes.Name) ?? User.FindFirstValue(ClaimTypes.Email) ?? "A colleague";
        var actor = await db.Users.AsNoTracking().Where(u => u.Id == CurrentUserId).Select(u => new { u.DisplayName, u.Email }).SingleOrDefaultAsync(cancellationToken);
        if (actor is not null)
        {
            actorName = SectionDelegation.NameOf(actor.DisplayName, actor.Email);
        }

        var outcome = await delegation.DelegateAsync(new DelegateSectionsRequest(id, Sections, assigneeId, CurrentUserId, actorName), cancellationToken);
        if (outcome.Status == OutcomeStatus.NotFound)
        {
            return NotFound();
        }

        if (!outcome.Succeeded)
        {
            ModelState.AddOutcomeErrors(outcome);

            return Page();
        }

        var names = Colleagues.ToDictionary(c => c.Id, c => c.Name);
        foreach (var change in outcome.Value!)
        {
            var to = change.AssigneeId is { } t ? names.GetValueOrDefault(t, t.ToString()) : null;
            var from = change.PreviousAssigneeId is { } f ? Owners.GetValueOrDefault(change.Section)?.AssigneeName ?? f.ToString() : null;
            await audit.RecordAsync(
                change.AssigneeId is null ? SectionDelegation.UnassignedKind : SectionDelegation.AssignedKind,
                $"assessment:{id:D}", Assessment.SupplierId, cancellationToken,
                change.AssigneeId is null
                    ? $"section “{change.Section}” unassigned from {from} ({change.PreviousAssigneeId:D})"
                    : $"section “{change.Section}” assigned to {to} ({change.AssigneeId:D})" + (from is null ? string.Empty : $", was {from} ({change.PreviousAssigneeId:D})"));
        }

        var sections = string.Join(", ", outcome.Value!.Select(c => $"“{c.Section}”"));
        Notice = assigneeId is { } who
            ? $"{sections} {(outcome.Value!.Count == 1 ? "is" : "are")} now assigned to {names.GetValueOrDefault(who)}; they have been notified."
            : $"{sections} {(outcome.Value!.Count == 1 ? "is" : "are")} no longer assigned to anyone.";
        return RedirectToPage(new { id });
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken cancellationToken)
    {
        var assessment = await db.Assessments.AsNoTracking().Include(a => a.Template).SingleOrDefaultAsync(a => a.Id == id, cancellationToken);
        if (assessment is null)
        {
            return false;
        }

        Assessment = assessment;
        TemplateTitle = assessment.Template!.Title;
        Progress = await progress.OfAsync(id, cancellationToken) ?? [];
        Owners = await delegation.OwnersAsync(id, cancellationToken);
        var roles = await progress.RolesAsync(assessment.SupplierId, cancellationToken);
        var noAnswers = new Dictionary<string, string?>(StringComparer.Ordinal);
        // The roles half of the page's rule (QuestionDisplays): a question hidden only by its trigger answer still counts as asked.
        var asked = (await db.TemplateQuestions.AsNoTracking().Where(q => q.TemplateId == assessment.TemplateId).ToListAsync(cancellationToken))
            .Where(q => q.AppliesTo(assessment.TierAtIssue) && QuestionDisplays.Of(q, roles, noAnswers) != QuestionDisplay.NotAsked)
            .Select(q => q.Section)
            .ToHashSet(StringComparer.Ordinal);
        NothingAsked = Progress.Where(p => !asked.Contains(p.Section) && !Owners.ContainsKey(p.Section)).Select(p => p.Section).ToList();
        Progress = Progress.Where(p => !NothingAsked.Contains(p.Section, StringComparer.Ordinal)).ToList();
        CanAssign = assessment.IsOpenForAnswers && User.IsInRole(Roles.SupplierAdmin);
        Colleagues = CanAssign ? await delegation.ColleaguesAsync(assessment.SupplierId, cancellationToken) : [];
        return true;
    }
}
