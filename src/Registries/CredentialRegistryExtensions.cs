using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using SupplierAssure.Core.Credentials;

namespace SupplierAssure.Registries;

public static class CredentialRegistryExtensions
{
    public const string EuAeo = "EuAeo";
    public const string Eori = "Eori";

    /// <summary>
    /// The verification port's implementations: the EU AEO consultation service and the EU EORI validation service,
    /// each a typed HttpClient with timeouts, retries and a circuit breaker, its address from configuration
    /// ("CredentialRegistries:&lt;EuAeo|Eori&gt;", see <see cref="RegistryOptions"/>); and manual review by an operator
    /// reviewer for the rest (C-TPAT, TAPA, ISO certificates). Used by the partner gateway (VerifyCredential) and by
    /// the workflow runtime (credential monitoring); calling it twice registers nothing twice.
    /// </summary>
    public static IServiceCollection AddCredentialRegistries(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.Any(d => d.ServiceType == typeof(RegistriesMarker)))
        {
            return services;
        }

        services.AddSingleton<RegistriesMarker>();
        AddRegistry<EuAeoConsultationRegistry>(services, EuAeo, "eu-aeo");
        AddRegistry<EoriValidationRegistry>(services, Eori, "eu-eori");
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ICredentialRegistry, ManualReviewRegistry>());
        return services;
    }

    // A typed HttpClient for one registry with its own options section, resilience pipeline and circuit breaker.
    private static void AddRegistry<TRegistry>(IServiceCollection services, string name, string pipelineName)
        where TRegistry : class, ICredentialRegistry
    {
        services.AddOptions<RegistryOptions>(name)
            .BindConfiguration(RegistryOptions.GatewaySectionPrefix + name)
            .BindConfiguration(RegistryOptions.SectionPrefix + name)
            .ValidateDataAnnotations()
            .Validate(o => o.BaseAddress is { IsAbsoluteUri: true }, $"{RegistryOptions.SectionPrefix}{name}:BaseAddress must be an absolute URL.")
            .Validate(o => o.TotalTimeout > o.AttemptTimeout, "TotalTimeout must be longer than AttemptTimeout.")
            .ValidateOnStart();

        services.AddHttpClient<TRegistry>((sp, client) =>
            {
                client.BaseAddress = sp.GetRequiredService<IOptionsMonitor<RegistryOptions>>().Get(name).BaseAddress;
                // The resilience pipeline owns timing; HttpClient's own 100 s default would only get in its way.
                client.Timeout = Timeout.InfiniteTimeSpan;
            })
            .AddResilienceHandler(pipelineName, (pipeline, context) =>
            {
                var options = context.ServiceProvider.GetRequiredService<IOptionsMonitor<RegistryOptions>>().Get(name);
                AddRegistryStrategies(pipeline, options);
            });
        services.AddTransient<ICredentialRegistry>(sp => sp.GetRequiredService<TRegistry>());
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

    /// <summary>Marks the registries as added, so a second call (gateway and workflows in one host) adds nothing.</summary>
    private sealed class RegistriesMarker;
}
