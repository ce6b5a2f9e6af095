using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Auditing;
using SupplierAssure.Core.Identity;

namespace SupplierAssure.Portal.Features.Admin;

/// <summary>The newest audit entries and a verification of the whole chain, for administrators and auditors.</summary>
[Authorize(Roles = $"{Roles.Administrator},{Roles.Auditor}")]
public sealed class AuditLogModel(AuditLog log, IDbContextFactory<Core.Data.SupplierAssureDbContext> contexts) : PageModel
{
    public AuditVerification Verification { get; private set; } = new(true, 0, null, null);
    public IReadOnlyList<AuditEntry> Entries { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Verification = await log.VerifyAsync(cancellationToken);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        Entries = await db.Set<AuditEntry>().AsNoTracking().OrderByDescending(e => e.Sequence).Take(200).ToListAsync(cancellationToken);
    }
}
