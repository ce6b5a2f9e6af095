using SupplierAssure.Workflows;

namespace SupplierAssure.Portal.Extensions;

public static class WorkflowExtensions
{
    /// <summary>
    /// The durable workflow runtime runs inside the Portal unless Workflows:Enabled is false; with it come the
    /// features people use around it (remediation, workflow policy, notifications).
    /// </summary>
    public static IHostApplicationBuilder AddPortalWorkflows(this IHostApplicationBuilder builder) =>
        builder.AddSupplierAssureWorkflows().AddWorkflowFeatures();
}
