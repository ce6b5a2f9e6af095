using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using SupplierAssure.Core.Credentials;
using SupplierAssure.PartnerGateway.Registries;

namespace SupplierAssure.PartnerGateway.Extensions;

public static class CredentialRegistryExtensions
{
    public const string EuAeo = "EuAeo";

    /// <summary>
    /// The verification port's implementations: the EU AEO consultation service as a typed HttpClient with timeouts,
    /// retries and a circuit breaker, its address from configuration; and manual review for the rest.
    /// </summary>
    public static IServiceCollection AddCredentialRegistries(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<RegistryOptions>(EuAeo)
            .BindConfiguration(RegistryOptions.SectionPrefix + EuAeo)
            .ValidateDataAnnotations()
            .Validate(o => o.BaseAddress is { IsAbsoluteUri: true }, $"{RegistryOptions.SectionPrefix}{EuAeo}:BaseAddress must be an absolute URL.")
            .Validate(o => o.TotalTimeout > o.AttemptTimeout, "TotalTimeout must be longer than AttemptTimeout.")
            .ValidateOnStart();

        services.AddHttpClient<EuAeoConsultationRegistry>((sp, client) =>
            {
                client.BaseAddress = sp.GetRequiredService<IOptionsMonitor<RegistryOptions>>().Get(EuAeo).BaseAddress;
                // The resilience pipeline owns timing; HttpClient's own 100 s default would only get in its way.
                client.Timeout = Timeout.InfiniteTimeSpan;
            })
            .AddResilienceHandler("eu-aeo", (pipeline, context) =>
            {
                var options = context.ServiceProvider.GetRequiredService<IOptionsMonitor<RegistryOptions>>().Get(EuAeo);
                AddRegistryStrategies(pipeline, options);
            });
        services.AddTransient<ICredentialRegistry>(sp => sp.GetRequiredService<EuAeoConsultationRegistry>());
        services.AddSingleton<ICredentialRegistry, ManualReviewRegistry>();
        services.AddScoped<SubmitCredentialHandler>();
        services.AddScoped<VerifyCredentialHandler>();
        return services;
    }

    // Outermost first: the whole call's budget, retries inside it, the breaker counting each attempt, then the
    // per-attempt timeout, so a hung attempt counts as a failure and is retried while the budget lasts.
    private static void AddRegistryStrategies(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, RegistryOptions options)
    {
        pipeline
            .AddTimeout(options.TotalTimeout)
            .AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = Math.Max(options.MaxRetries, 1),
                ShouldHandle = options.MaxRetries == 0 ? _ => PredicateResult.False() : new HttpRetryStrategyOptions().ShouldHandle,
                Delay = options.RetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
            })
            .AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
            {
                FailureRatio = 0.5,
                MinimumThroughput = 4,
                SamplingDuration = TimeSpan.FromSeconds(30),
                BreakDuration = options.BreakDuration,
            })
            .AddTimeout(options.AttemptTimeout);
    }
}
