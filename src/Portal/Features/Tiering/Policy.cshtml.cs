using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Common;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Identity;
using SupplierAssure.Core.Tiering;
using SupplierAssure.Portal.Identity;

namespace SupplierAssure.Portal.Features.Tiering;

/// <summary>One published version in the list: number, when, by whom.</summary>
public sealed record PolicyVersionRow(int Version, DateTimeOffset? PublishedAt, string PublishedBy);

/// <summary>
/// The tier policy for administrators: the version in force (or any earlier one) as a table per tier, the list of
/// published versions, and publishing a new version from edited JSON with every problem listed. Published versions
/// are never edited: publishing always adds the next version, and the store refuses nothing else.
/// </summary>
[Authorize(Roles = Roles.Administrator)]
public sealed class PolicyModel(SupplierAssureDbContext db, TierPolicyStore store, PortalAudit audit) : PageModel
{
    /// <summary>A policy is well under 2 KB; anything far larger is not a policy.</summary>
    public const int MaxJsonLength = 20_000;

    public TierPolicy Current { get; private set; } = TierPolicy.Default;
    /// <summary>The version shown in the tables: the one in force unless <see cref="RequestedVersion"/> names another.</summary>
    public TierPolicy Shown { get; private set; } = TierPolicy.Default;
    public IReadOnlyList<PolicyVersionRow> Versions { get; private set; } = [];
    public IReadOnlyList<string> Problems { get; private set; } = [];

    [BindProperty(SupportsGet = true, Name = "version")]
    public int? RequestedVersion { get; set; }

    [BindProperty]
    public string? Json { get; set; }

    [TempData]
    public string? Message { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return NotFound();
        }

        Json = Current.ToJson();
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        RequestedVersion = null;
        ModelState.Clear();
        if (string.IsNullOrWhiteSpace(Json))
        {
            Problems = ["Paste or edit the policy JSON before publishing."];
        }
        else if (Json.Length > MaxJsonLength)
        {
            Problems = [string.Create(CultureInfo.InvariantCulture, $"The policy is {Json.Length} characters long; keep it under {MaxJsonLength}.")];
        }
        else
        {
            var userId = Guid.TryParse(User.FindFirstValue(ClaimTypes.NameIdentifier), out var parsed) ? parsed : (Guid?)null;
            var outcome = await store.PublishAsync(Json, userId, cancellationToken);
            if (outcome.Succeeded)
            {
                var version = outcome.Value!.Version;
                await audit.RecordAsync(TieringAuditKinds.PolicyPublished, $"tier-policy:{version.ToString(CultureInfo.InvariantCulture)}", supplierId: null, cancellationToken,
                    $"Tier policy version {version.ToString(CultureInfo.InvariantCulture)} published.");
                Message = $"Tier policy version {version} is now in force.";
                return RedirectToPage();
            }

            Problems = outcome.Errors.Values.SelectMany(m => m).ToList();
        }

        foreach (var problem in Problems)
        {
            ModelState.AddModelError(nameof(Json), problem);
        }

        await LoadAsync(cancellationToken);
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        Current = await store.CurrentAsync(cancellationToken);
        var published = await db.TierPolicyVersions.AsNoTracking().OrderByDescending(v => v.Version).ToListAsync(cancellationToken);
        var userIds = published.Select(v => v.PublishedBy).OfType<Guid>().Distinct().ToList();
        var names = await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Email ?? u.DisplayName, cancellationToken);
        Versions = published
            .Select(v => new PolicyVersionRow(v.Version, v.PublishedAt, v.PublishedBy is { } by ? names.GetValueOrDefault(by, "a removed user") : "the system"))
            .Append(new PolicyVersionRow(0, null, "shipped with SupplierAssure"))
            .ToList();

        if (RequestedVersion is not { } requested || requested == Current.Version)
        {
            Shown = Current;
            return true;
        }

        if (requested == 0)
        {
            Shown = TierPolicy.Default;
            return true;
        }

        var stored = published.FirstOrDefault(v => v.Version == requested);
        if (stored is null)
        {
            return false;
        }

        Shown = TierPolicy.Parse(stored.Json, stored.Version);
        return true;
    }
}
