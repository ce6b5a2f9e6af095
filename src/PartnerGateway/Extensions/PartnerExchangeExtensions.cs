using Grpc.AspNetCore.HealthChecks;
using SupplierAssure.Core.Credentials;
using SupplierAssure.Partner.V1;
using SupplierAssure.PartnerGateway.Services;
using SupplierAssure.PartnerGateway.Streaming;
using SupplierAssure.Registries;

namespace SupplierAssure.PartnerGateway.Extensions;

public static class PartnerExchangeExtensions
{
    /// <summary>Largest request message the gateway reads; partner requests are identifiers, far below this.</summary>
    public const int MaxReceiveMessageBytes = 1024 * 1024;

    /// <summary>Largest response message; bounds what one call can make the gateway allocate and send.</summary>
    public const int MaxSendMessageBytes = 4 * 1024 * 1024;

    /// <summary>The gRPC services: the partner exchange, gRPC health (from the ASP.NET health checks) and reflection.</summary>
    public static IHostApplicationBuilder AddPartnerExchange(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        // One instance for all calls: the interceptor keeps no per-call state.
        services.AddSingleton<ExceptionInterceptor>();
        services.AddGrpc(options =>
        {
            options.MaxReceiveMessageSize = MaxReceiveMessageBytes;
            options.MaxSendMessageSize = MaxSendMessageBytes;
            // Note: exception details never go to partners, in Development too; they are logged by the interceptor.
            options.EnableDetailedErrors = false;
            options.Interceptors.Add<ExceptionInterceptor>();
        });

        // The health checks registered by the service defaults (process and database) decide SERVING for the
        // server as a whole ("") and for the partner exchange by name. Check runs them on each call.
        services.AddGrpcHealthChecks(options =>
        {
            options.Services.Map(string.Empty, _ => true);
            options.Services.Map(PartnerExchange.Descriptor.FullName, _ => true);
        });
        services.AddGrpcReflection();

        services.AddOptions<StatusFeedOptions>().BindConfiguration(StatusFeedOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        // One broadcaster per process, shared by every watch stream; it is also the hosted service that polls.
        services.AddSingleton<StatusFeedBroadcaster>();
        services.AddHostedService(sp => sp.GetRequiredService<StatusFeedBroadcaster>());
        services.AddScoped<StatusWatch>();
        services.AddSingleton<WatchVisibilityCache>();

        services.AddCredentialRegistries();
        services.AddScoped<SubmitCredentialHandler>();
        services.AddScoped<VerifyCredentialHandler>();
        services.AddScoped<Core.Incidents.ReportSecurityIncident>();
        return builder;
    }

    public static WebApplication MapPartnerExchange(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGrpcService<PartnerExchangeService>();
        // Note: health and reflection answer without a token. Probes from load balancers and orchestrators carry
        // none; health says only up or down, and reflection describes the contract we publish to partners anyway.
        app.MapGrpcHealthChecksService().AllowAnonymous();
        app.MapGrpcReflectionService().AllowAnonymous();
        return app;
    }
}
