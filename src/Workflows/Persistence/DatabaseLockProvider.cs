using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.WorkflowStore;
using WorkflowCore.Interface;

namespace SupplierAssure.Workflows.Persistence;

/// <summary>
/// WorkflowCore's distributed lock on our database: a lock is a row (name, owner, lease expiry). It is what lets
/// several engine processes share one database without two of them running the same workflow instance or event.
/// Leases are renewed while held and lapse when the holder dies, so a crashed process blocks others only briefly.
/// </summary>
public sealed partial class DatabaseLockProvider : IDistributedLockProvider
{
    // WorkflowCore's poll timers take these locks only so that two nodes do not poll at the same instant. Polling
    // twice is harmless (every workflow and event it finds is still locked through the database before it runs),
    // so they stay in-process and an idle engine writes nothing. If WorkflowCore renames them they simply fall
    // through to database locks: slower, never wrong.
    private static readonly HashSet<string> PollLockNames = new(StringComparer.Ordinal)
    {
        "poll runnables",
        "unprocessed events",
        "poll-commands",
    };

    private readonly IDbContextFactory<SupplierAssureDbContext> _contexts;
    private readonly TimeProvider _clock;
    private readonly ILogger<DatabaseLockProvider> _logger;
    private readonly TimeSpan _lease;
    private readonly ConcurrentDictionary<string, byte> _held = new(StringComparer.Ordinal);
    private readonly Lock _lifecycle = new();
    private CancellationTokenSource? _renewing;
    private Task? _renewal;

    public DatabaseLockProvider(
        IDbContextFactory<SupplierAssureDbContext> contexts,
        IOptions<WorkflowEngineOptions> options,
        TimeProvider clock,
        ILogger<DatabaseLockProvider> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _contexts = contexts ?? throw new ArgumentNullException(nameof(contexts));
        _clock = clock ?? throw new ArgumentNullException(nameof(clock));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _lease = options.Value.LockLease;
        // Unique per provider instance (not just per machine), so two engines in one process, as in tests, or a
        // restarted process reusing a PID, never mistake each other's rows for their own.
        Owner = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";
    }

    /// <summary>Who this process is in the lock table.</summary>
    public string Owner { get; }

    public async Task<bool> AcquireLock(string Id, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(Id);
        // Not re-entrant, like WorkflowCore's single-node lock: a second consumer in this process must be refused.
        if (!_held.TryAdd(Id, 0))
        {
            return false;
        }

        if (PollLockNames.Contains(Id))
        {
            return true;
        }

        try
        {
            if (await TryTakeAsync(Id, cancellationToken))
            {
                return true;
            }

            _held.TryRemove(Id, out _);
            return false;
        }
        catch
        {
            _held.TryRemove(Id, out _);
            throw;
        }
    }

    public async Task ReleaseLock(string Id)
    {
        ArgumentException.ThrowIfNullOrEmpty(Id);
        if (!_held.TryRemove(Id, out _) || PollLockNames.Contains(Id))
        {
            return;
        }

        await using var db = await _contexts.CreateDbContextAsync();
        await db.Set<PersistedLock>().Where(l => l.Name == Id && l.Owner == Owner).ExecuteDeleteAsync();
    }

    public Task Start()
    {
        lock (_lifecycle)
        {
            if (_renewal is null)
            {
                _renewing = new CancellationTokenSource();
                _renewal = RenewLoopAsync(_renewing.Token);
            }
        }

        return Task.CompletedTask;
    }

    public async Task Stop()
    {
        Task? renewal;
        CancellationTokenSource? renewing;
        lock (_lifecycle)
        {
            (renewal, renewing) = (_renewal, _renewing);
            (_renewal, _renewing) = (null, null);
        }

        if (renewing is null)
        {
            // Not running (never started, or stopped already: WorkflowCore stops again when it is disposed,
            // by which time the database services may be gone). Nothing of ours is left to hand back.
            return;
        }

        await renewing.CancelAsync();
        await renewal!;
        renewing.Dispose();

        // Hand every lease back at once, so the other processes need not wait for them to lapse.
        _held.Clear();
        try
        {
            await using var db = await _contexts.CreateDbContextAsync();
            await db.Set<PersistedLock>().Where(l => l.Owner == Owner).ExecuteDeleteAsync();
        }
        catch (ObjectDisposedException)
        {
            // The host is being disposed without having been stopped (WorkflowCore stops from Dispose), and the
            // database services went first. Our leases then simply lapse within LockLease, as after a crash.
        }
    }

    /// <summary>Extends every lease this process holds in the database; a lease found gone is logged, not re-taken.</summary>
    internal Task RenewAsync(CancellationToken cancellationToken) =>
        RenewAsync(_held.Keys.Where(n => !PollLockNames.Contains(n)).ToList(), cancellationToken);

    /// <summary>Extends the leases of <paramref name="names"/> (the held names when the renewal began).</summary>
    internal async Task RenewAsync(List<string> names, CancellationToken cancellationToken)
    {
        if (names.Count == 0)
        {
            return;
        }

        var expires = _clock.GetUtcNow().Add(_lease).UtcTicks;
        await using var db = await _contexts.CreateDbContextAsync(cancellationToken);
        var renewed = await db.Set<PersistedLock>()
            .Where(l => l.Owner == Owner && names.Contains(l.Name))
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.ExpiresAt, expires), cancellationToken);
        if (renewed < names.Count)
        {
            // A lock released while this ran is gone from both places and is no loss: only a name this process still
            // holds whose row is no longer ours counts. That happens when this process stalled past its lease and
            // another took over; the workflow row's version check then stops the late writer, so a warning, not a crash.
            var ours = await db.Set<PersistedLock>().AsNoTracking()
                .Where(l => l.Owner == Owner && names.Contains(l.Name))
                .Select(l => l.Name)
                .ToListAsync(cancellationToken);
            var lost = names.Count(n => _held.ContainsKey(n) && !ours.Contains(n, StringComparer.Ordinal));
            if (lost > 0)
            {
                LogLeaseLost(lost);
            }
        }
    }

    private async Task<bool> TryTakeAsync(string name, CancellationToken cancellationToken)
    {
        var now = _clock.GetUtcNow();
        var nowTicks = now.UtcTicks;
        var expires = now.Add(_lease).UtcTicks;
        await using var db = await _contexts.CreateDbContextAsync(cancellationToken);

        // Take over a lapsed lease in one conditional UPDATE, so of two contenders exactly one succeeds.
        var taken = await db.Set<PersistedLock>()
            .Where(l => l.Name == name && l.ExpiresAt < nowTicks)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.Owner, Owner).SetProperty(l => l.ExpiresAt, expires), cancellationToken);
        if (taken == 1)
        {
            return true;
        }

        // Otherwise claim a free name. A name held under a live lease answers "no" here; WorkflowCore then simply
        // tries again on a later poll.
        return await ConditionalInsert.InsertIfAbsentAsync<PersistedLock>(
            db,
            [(nameof(PersistedLock.Name), name), (nameof(PersistedLock.Owner), Owner), (nameof(PersistedLock.ExpiresAt), expires)],
            [nameof(PersistedLock.Name)],
            cancellationToken);
    }

    private async Task RenewLoopAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_lease / 3, _clock);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                try
                {
                    await RenewAsync(cancellationToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // A failed renewal (database briefly unavailable) is retried at the next tick, well inside the lease.
                    LogRenewalFailed(ex);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stop() asked the loop to end; nothing else to do.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} workflow lock lease(s) of this process had lapsed and were taken by another process.")]
    private partial void LogLeaseLost(int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Renewing this process's workflow lock leases failed; retrying at the next tick.")]
    private partial void LogRenewalFailed(Exception exception);
}
