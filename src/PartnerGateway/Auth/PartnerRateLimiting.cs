using System.ComponentModel.DataAnnotations;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace SupplierAssure.PartnerGateway.Auth;

/// <summary>Per-partner request budget, bound from "PartnerGateway:RateLimit".</summary>
public sealed class PartnerRateLimitOptions
{
    public const string SectionName = "PartnerGateway:RateLimit";

    /// <summary>Calls a client may make per second, sustained.</summary>
    [Range(1, 1_000_000)]
    public int PermitsPerSecond { get; set; } = 100;

    /// <summary>Calls a client may make at once after being idle (the bucket's size).</summary>
    [Range(1, 1_000_000)]
    public int Burst { get; set; } = 200;
}

/// <summary>
/// One token bucket per partner client id, so one busy partner cannot starve the others. Calls without a client
/// (health, reflection, and calls about to be refused as unauthenticated) are not counted. A refused call ends as
/// RESOURCE_EXHAUSTED, the gRPC status for "over quota", not as HTTP 429, which gRPC clients report as UNAVAILABLE.
/// </summary>
public static class PartnerRateLimiting
{
    public static IServiceCollection AddPartnerRateLimiting(this IServiceCollection services)
    {
        services.AddOptions<PartnerRateLimitOptions>().BindConfiguration(PartnerRateLimitOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<PartnerRateLimitOptions>>((limiter, partner) =>
        {
            var budget = partner.Value;
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
                http.User.FindFirst(PartnerClaims.ClientId)?.Value is { } clientId
                    ? RateLimitPartition.GetTokenBucketLimiter(clientId, _ => new TokenBucketRateLimiterOptions
                    {
                        TokenLimit = budget.Burst,
                        TokensPerPeriod = budget.PermitsPerSecond,
                        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                        QueueLimit = 0,
                        AutoReplenishment = true,
                    })
                    : RateLimitPartition.GetNoLimiter(string.Empty));
            limiter.OnRejected = (context, _) =>
            {
                // A trailers-only gRPC response: HTTP 200 with the status in the headers.
                var response = context.HttpContext.Response;
                response.StatusCode = StatusCodes.Status200OK;
                response.ContentType = "application/grpc";
                response.Headers["grpc-status"] = ((int)Grpc.Core.StatusCode.ResourceExhausted).ToString(System.Globalization.CultureInfo.InvariantCulture);
                response.Headers["grpc-message"] = "Rate limit for your client exceeded; slow down and retry.";
                return ValueTask.CompletedTask;
            };
        });
        return services;
    }
}
