namespace SupplierAssure.Core.Tenancy;

/// <summary>
/// Whose data a unit of work may see. This is the single enforcement point for supplier-owned rows:
/// <see cref="Data.SupplierAssureDbContext"/> turns it into a global query filter.
/// </summary>
public sealed record TenantScope
{
    private TenantScope(bool seesAllSuppliers, Guid? supplierId)
    {
        SeesAllSuppliers = seesAllSuppliers;
        SupplierId = supplierId;
    }

    public bool SeesAllSuppliers { get; }

    /// <summary>The one supplier this scope may see, when it does not see all.</summary>
    public Guid? SupplierId { get; }

    /// <summary>Background work (workflows, seeding, the partner gateway, which applies consent itself).</summary>
    public static TenantScope System { get; } = new(true, null);

    /// <summary>Operator staff: every supplier.</summary>
    public static TenantScope Operator { get; } = new(true, null);

    /// <summary>Anonymous or unrecognised callers: nothing.</summary>
    public static TenantScope Nobody { get; } = new(false, null);

    public static TenantScope ForSupplier(Guid supplierId) => new(false, supplierId);
}

/// <summary>Resolves the current request's tenant scope (the Portal implements it from the signed-in user).</summary>
public interface ITenantScopeAccessor
{
    TenantScope Current { get; }
}
