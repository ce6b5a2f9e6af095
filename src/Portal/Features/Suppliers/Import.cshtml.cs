using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SupplierAssure.Core.Identity;
using SupplierAssure.Core.Suppliers;
using SupplierAssure.Portal.Features.Invitations;

namespace SupplierAssure.Portal.Features.Suppliers;

/// <summary>
/// Bulk onboarding for procurement: upload a CSV of suppliers with one contact each; every line is checked and the
/// problems are listed by line and column, and only a file without any problem creates suppliers and invitations.
/// </summary>
[Authorize(Roles = Roles.ProcurementManager + "," + Roles.Administrator)]
// Room for the multipart envelope around a file at the limit, so a slightly larger file still reaches the page and
// gets a message rather than the server's bare 413.
[RequestSizeLimit(MaxRequestBytes)]
[RequestFormLimits(MultipartBodyLengthLimit = MaxRequestBytes)]
public sealed class ImportModel(ImportOperations operations) : PageModel
{
    public const long MaxRequestBytes = 4 * SupplierImport.MaxFileBytes;

    public ImportOutcome? Outcome { get; private set; }
    public string? FileName { get; private set; }

    public void OnGet()
    {
    }

    /// <summary>An empty file with the header line and one example line, to fill in a spreadsheet program.</summary>
    public IActionResult OnGetTemplate()
    {
        var csv = string.Join(",", SupplierImport.Columns.Select(c => c.Name)) + "\r\n" +
            "Example Freight Ltd,GB,,,GB123456789000,,Alex Example,alex@example.com,2\r\n";
        return File(Encoding.UTF8.GetBytes(csv), "text/csv; charset=utf-8", "supplier-import-template.csv");
    }

    public async Task<IActionResult> OnPostAsync(IFormFile? file, CancellationToken cancellationToken)
    {
        FileName = file?.FileName;
        if (file is null || file.Length == 0)
        {
            Outcome = new([new(0, "file", "Choose a CSV file to upload.")], [], []);
            return Page();
        }

        if (file.Length > SupplierImport.MaxFileBytes)
        {
            Outcome = new([new(0, "file", $"The file is larger than {SupplierImport.MaxFileBytes / 1024} KiB. Split it into files of at most {SupplierImport.MaxRows} suppliers each.")], [], []);
            return Page();
        }

        await using var stream = file.OpenReadStream();
        Outcome = await operations.ImportAsync(stream, UserId(User), User.FindFirstValue(ClaimTypes.Email) ?? User.Identity?.Name ?? "unknown",
            token => InvitationLinks.For(Url, Request, token), cancellationToken);
        if (!Outcome.Succeeded)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        }

        return Page();
    }

    private static Guid? UserId(ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : null;
}
