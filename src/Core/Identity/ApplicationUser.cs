using Microsoft.AspNetCore.Identity;

namespace SupplierAssure.Core.Identity;

/// <summary>A person who signs in. Supplier users carry their organisation; operator staff have none.</summary>
public sealed class ApplicationUser : IdentityUser<Guid>
{
    public string DisplayName { get; set; } = string.Empty;

    /// <summary>The supplier organisation this user belongs to; null for operator staff.</summary>
    public Guid? SupplierId { get; set; }
}

public static class Roles
{
    public const string Administrator = nameof(Administrator);
    public const string ProcurementManager = nameof(ProcurementManager);
    public const string SecurityReviewer = nameof(SecurityReviewer);
    public const string RiskOwner = nameof(RiskOwner);
    public const string Auditor = nameof(Auditor);
    public const string SupplierAdmin = nameof(SupplierAdmin);
    public const string SupplierContributor = nameof(SupplierContributor);

    public static readonly IReadOnlyList<string> All =
        [Administrator, ProcurementManager, SecurityReviewer, RiskOwner, Auditor, SupplierAdmin, SupplierContributor];

    public static readonly IReadOnlyList<string> OperatorStaff =
        [Administrator, ProcurementManager, SecurityReviewer, RiskOwner, Auditor];
}
