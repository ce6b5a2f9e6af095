using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SupplierAssure.Core.Identity;
using SupplierAssure.Core.Kpis;

namespace SupplierAssure.Portal.Features.Dashboard;

/// <summary>
/// The procurement and management dashboard: assurance KPIs from live data, drawn as server-rendered SVG (no
/// script, which the CSP would refuse from elsewhere anyway), each figure a link to the suppliers behind it.
/// </summary>
[Authorize(Roles = Roles.ProcurementManager + "," + Roles.RiskOwner + "," + Roles.Administrator)]
public sealed class IndexModel(ProcurementKpis kpis) : PageModel
{
    public DashboardFigures Figures { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken cancellationToken) => Figures = await kpis.ComputeAsync(cancellationToken);
}
