using SupplierAssure.Core.Notifications;
using SupplierAssure.Core.Policies;
using SupplierAssure.Core.Remediation;
using SupplierAssure.Portal.Features.Notifications;

namespace SupplierAssure.Portal.Extensions;

public static class WorkflowFeaturesExtensions
{
    /// <summary>
    /// What people do around the workflows: remediation actions, the workflow policy, notifications in the Portal and
    /// their e-mail copies (the workflow engine itself comes from AddPortalWorkflows).
    /// </summary>
    public static IHostApplicationBuilder AddWorkflowFeatures(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddScoped<WorkflowPolicyStore>();
        services.AddScoped<SubmitActionPlanHandler>();
        services.AddScoped<RecordImplementationHandler>();
        services.AddScoped<VerifyRemediationHandler>();
        services.AddOptions<NotificationEmailOptions>().BindConfiguration(NotificationEmailOptions.SectionName)
            .Validate(o => o.EmailInterval >= TimeSpan.FromSeconds(1), "Notifications:EmailInterval must be at least a second.")
            .Validate(o => o.BatchSize > 0, "Notifications:BatchSize must be positive.")
            .ValidateOnStart();
        services.AddSingleton<INotificationEmailSender, PortalNotificationEmailSender>();
        services.AddSingleton<NotificationMailer>();
        services.AddHostedService<NotificationEmailService>();
        return builder;
    }
}
