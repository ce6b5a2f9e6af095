using System.Threading.RateLimiting;

namespace SupplierAssure.Portal.Extensions;

public static class RateLimitingExtensions
{
    public const string TokenPolicy = "token";
    public const string SignInPolicy = "sign-in";

    /// <summary>Per-client-address limits on the token endpoint and the sign-in form, on top of account lockout.</summary>
    public static IHostApplicationBuilder AddPortalRateLimiting(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var tokenPermits = builder.Configuration.GetValue("RateLimits:TokenPerMinute", 120);
        var signInPermits = builder.Configuration.GetValue("RateLimits:SignInPerMinute", 20);
        builder.Services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            // Tell the caller when to come back (the fixed window's remaining time), as RFC 9110 Retry-After.
            o.OnRejected = (context, _) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
                context.HttpContext.Response.Headers.RetryAfter =
                    Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                return ValueTask.CompletedTask;
            };
            o.AddPolicy(TokenPolicy, ctx => RateLimitPartition.GetFixedWindowLimiter(
                ctx.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = tokenPermits, Window = TimeSpan.FromMinutes(1) }));
            o.AddPolicy(SignInPolicy, ctx => HttpMethods.IsPost(ctx.Request.Method)
                ? RateLimitPartition.GetFixedWindowLimiter(
                    ctx.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = signInPermits, Window = TimeSpan.FromMinutes(1) })
                : RateLimitPartition.GetNoLimiter("get"));
        });
        return builder;
    }
}
