using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.SecondPartyAudits;

namespace SupplierAssure.Portal.Features.Audits;

/// <summary>
/// One file of an evidence request answer or of a corrective action's implementation, as an attachment with nosniff
/// (never inline). The tenant filter hides other organisations' files (404, as for a missing id). Operator staff of
/// every role may download: reviewers verify corrective actions, auditors read evidence answers.
/// </summary>
// Note: any operator staff role reads any supplier's follow-up files, as they read its questionnaire evidence;
// narrowing it per role would hide the implementation evidence from the security reviewers who verify it.
[Authorize]
public sealed class FileModel(SupplierAssureDbContext db, AuditFileStager files) : PageModel
{
    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!AuditAccess.IsSupplierUser(User) && !AuditAccess.IsStaff(User))
        {
            return NotFound();
        }

        var file = await db.Set<AuditFile>().AsNoTracking().SingleOrDefaultAsync(f => f.Id == id, cancellationToken);
        if (file is null)
        {
            return NotFound();
        }

        Response.Headers.XContentTypeOptions = "nosniff";
        Response.Headers.CacheControl = "private, no-store";
        return File(await files.OpenReadAsync(file, cancellationToken), file.ContentType, file.FileName);
    }
}
