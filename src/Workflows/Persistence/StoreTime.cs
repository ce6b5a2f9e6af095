namespace SupplierAssure.Workflows.Persistence;

/// <summary>
/// WorkflowCore hands us a mix of local (<c>IDateTimeProvider.Now</c>) and UTC times; the store keeps UTC only.
/// Columns come back from SQLite (text) and SQL Server (datetime2) without a kind, so they are stamped UTC on read.
/// </summary>
internal static class StoreTime
{
    /// <summary>
    /// To UTC for storing or comparing. An unspecified kind is taken as UTC already: every such value we see was
    /// read back from this store (WorkflowCore's own sources are DateTime.Now or DateTime.UtcNow, which carry a kind).
    /// </summary>
    public static DateTime ToUtc(DateTime value) => value.Kind switch
    {
        DateTimeKind.Utc => value,
        DateTimeKind.Local => value.ToUniversalTime(),
        _ => DateTime.SpecifyKind(value, DateTimeKind.Utc),
    };

    public static DateTime? ToUtc(DateTime? value) => value is { } v ? ToUtc(v) : null;

    public static DateTime FromStore(DateTime value) => DateTime.SpecifyKind(value, DateTimeKind.Utc);

    public static DateTime? FromStore(DateTime? value) => value is { } v ? FromStore(v) : null;
}
