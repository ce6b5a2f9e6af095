using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WorkflowCore.Interface;

namespace SupplierAssure.Workflows.Hosting;

/// <summary>
/// Registers the workflow definitions and, when <see cref="WorkflowEngineOptions.Enabled"/>, runs the WorkflowCore
/// engine for the life of the host. On start it sweeps (<see cref="DeadlineSweeper"/>), which also picks up submissions
/// whose workflow never started and decisions that never reached their workflow.
/// </summary>
internal sealed partial class WorkflowEngineHostedService(
    WorkflowDefinitions definitions,
    IWorkflowHost engine,
    DeadlineSweeper sweeper,
    IOptions<WorkflowEngineOptions> options,
    ILogger<WorkflowEngineHostedService> logger) : IHostedService
{
    // Start and stop can overlap: under WebApplicationFactory both the factory and the app's own RunAsync stop the
    // host, concurrently, and the container may be disposed right after the first stop. WorkflowCore's host is not
    // safe to stop twice, so stopping is serialised and happens once.
    private readonly SemaphoreSlim _transition = new(1, 1);
    private bool _engineStarted;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        definitions.EnsureRegistered();
        if (!options.Value.Enabled)
        {
            LogEngineDisabled();
            return;
        }

        await _transition.WaitAsync(cancellationToken);
        try
        {
            await engine.StartAsync(cancellationToken);
            _engineStarted = true;
        }
        finally
        {
            _transition.Release();
        }

        LogEngineStarted(options.Value.PollInterval);
        // At start everything left over is recovered at once, however recent: submissions without a review, decisions
        // never signalled, resubmissions never published (the periodic sweep leaves the last minute to the requests).
        await sweeper.SweepAsync(recoveryGrace: TimeSpan.Zero, cancellationToken);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _transition.WaitAsync(CancellationToken.None);
        try
        {
            if (_engineStarted)
            {
                _engineStarted = false;
                await engine.StopAsync(cancellationToken);
            }
        }
        finally
        {
            _transition.Release();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Workflow engine started in this process (poll interval {PollInterval}).")]
    private partial void LogEngineStarted(TimeSpan pollInterval);

    [LoggerMessage(Level = LogLevel.Information, Message = "Workflow engine is disabled in this process (Workflows:Enabled = false); started workflows wait for a worker.")]
    private partial void LogEngineDisabled();
}
