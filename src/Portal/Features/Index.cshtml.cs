using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Assessments;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Suppliers;
using SupplierAssure.Portal.Identity;

namespace SupplierAssure.Portal.Features;

/// <summary>
/// The start page: a supplier user sees their organisation's questionnaires; operator staff see the portfolio.
/// Both queries go through the tenant-scoped context, so the page needs no ownership checks of its own.
/// </summary>
public sealed class IndexModel(SupplierAssureDbContext db) : PageModel
{
    public bool IsSupplier { get; private set; }
    public IReadOnlyList<AssessmentRow> Assessments { get; private set; } = [];
    public IReadOnlyList<Supplier> Suppliers { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        IsSupplier = User.HasClaim(c => c.Type == PortalClaims.SupplierId);
        Assessments = await db.Assessments.AsNoTracking()
            .OrderBy(a => a.DueDate)
            .Select(a => new AssessmentRow(a.Id, a.Template!.Title, a.Supplier!.LegalName, a.DueDate, a.State, a.OverallScore))
            .Take(200)
            .ToListAsync(cancellationToken);
        if (!IsSupplier)
        {
            Suppliers = await db.Suppliers.AsNoTracking().OrderBy(s => s.LegalName).Take(200).ToListAsync(cancellationToken);
        }
    }

    public sealed record AssessmentRow(Guid Id, string Title, string SupplierName, DateOnly DueDate, AssessmentState State, decimal? OverallScore);
}
