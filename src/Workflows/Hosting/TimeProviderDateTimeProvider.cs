using WorkflowCore.Interface;

namespace SupplierAssure.Workflows.Hosting;

/// <summary>Gives WorkflowCore the application's <see cref="TimeProvider"/>, so tests and the engine share one clock.</summary>
internal sealed class TimeProviderDateTimeProvider(TimeProvider clock) : IDateTimeProvider
{
    // WorkflowCore converts Now with ToUniversalTime(), which reads the machine's zone; so Now must be in that
    // same zone with DateTimeKind.Local, not in TimeProvider.LocalTimeZone.
    public DateTime Now => UtcNow.ToLocalTime();

    public DateTime UtcNow => clock.GetUtcNow().UtcDateTime;
}
