using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Common;
using SupplierAssure.Core.Data;

namespace SupplierAssure.Core.Remediation;

public sealed record SubmitActionPlanRequest(Guid RemediationId, Guid UserId, string? ActionPlan);

/// <summary>The supplier's plan to correct a nonconformity: root cause, correction and action, in its own words.</summary>
public sealed class SubmitActionPlanHandler(SupplierAssureDbContext db, IRemediationSignals signals, TimeProvider clock)
{
    public async Task<Outcome<RemediationCase>> HandleAsync(SubmitActionPlanRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var remediation = await db.Set<RemediationCase>().SingleOrDefaultAsync(r => r.Id == request.RemediationId, cancellationToken);
        if (remediation is null)
        {
            return Outcome<RemediationCase>.From(Outcome.NotFound());
        }

        if (remediation.State != RemediationState.ActionPlanDue)
        {
            return Outcome<RemediationCase>.From(Outcome.Conflict($"This remediation is not waiting for an action plan; it is {remediation.State}."));
        }

        if (RemediationText.Check(request.ActionPlan, "Describe the root cause, the correction and the action you will take.") is { } problem)
        {
            return Outcome<RemediationCase>.From(Outcome.Invalid("ActionPlan", problem));
        }

        remediation.ActionPlan = request.ActionPlan!.Trim();
        remediation.ActionPlanAt = clock.GetUtcNow();
        remediation.State = RemediationState.ImplementationDue;
        remediation.EscalatedAt = null;
        return await RemediationText.SaveAndSignalAsync(db, signals, remediation, cancellationToken);
    }
}

internal static class RemediationText
{
    public static string? Check(string? value, string missing)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return missing;
        }

        return value.Trim().Length > RemediationCase.MaxTextLength
            ? $"Keep this under {RemediationCase.MaxTextLength} characters."
            : null;
    }

    public static async Task<Outcome<RemediationCase>> SaveAndSignalAsync(
        SupplierAssureDbContext db, IRemediationSignals signals, RemediationCase remediation, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Outcome<RemediationCase>.From(Outcome.Conflict("The remediation changed while you were working on it. Reload and try again."));
        }

        await signals.CaseChangedAsync(remediation, cancellationToken);
        return Outcome<RemediationCase>.Ok(remediation);
    }
}
