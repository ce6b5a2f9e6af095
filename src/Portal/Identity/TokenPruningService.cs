using OpenIddict.Abstractions;

namespace SupplierAssure.Portal.Identity;

/// <summary>
/// Removes expired and revoked tokens and authorizations every hour (OpenIddict.Quartz is not available here,
/// so this hosted service does what its job would).
/// </summary>
internal sealed partial class TokenPruningService(IServiceScopeFactory scopes, TimeProvider clock, ILogger<TokenPruningService> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        do
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var threshold = clock.GetUtcNow().AddDays(-1);
                var tokens = await scope.ServiceProvider.GetRequiredService<IOpenIddictTokenManager>().PruneAsync(threshold, stoppingToken);
                var authorizations = await scope.ServiceProvider.GetRequiredService<IOpenIddictAuthorizationManager>().PruneAsync(threshold, stoppingToken);
                LogPruned(tokens, authorizations);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Pruning is housekeeping: log and try again next hour rather than stopping the host.
                LogPruneFailed(ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Pruned {Tokens} tokens and {Authorizations} authorizations.")]
    private partial void LogPruned(long tokens, long authorizations);

    [LoggerMessage(Level = LogLevel.Error, Message = "Pruning tokens failed.")]
    private partial void LogPruneFailed(Exception ex);
}
