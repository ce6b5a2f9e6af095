using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Common;
using SupplierAssure.Core.Data;

namespace SupplierAssure.Core.Remediation;

/// <param name="ActionPlan">The corrective action (what changes so the nonconformity does not recur).</param>
/// <param name="Capa">The rest of the CAPA form (why-analysis, correction, owner); the Portal always sends it.</param>
public sealed record SubmitActionPlanRequest(Guid RemediationId, Guid UserId, string? ActionPlan, CapaPlan? Capa = null);

/// <summary>The why-analysis (one answer per why, up to five, the last the root cause), the correction and the owner.</summary>
public sealed record CapaPlan(IReadOnlyList<string?> Whys, string? Correction, string? Owner);

/// <summary>The supplier's plan to correct a nonconformity: root cause, correction and action, in its own words.</summary>
public sealed class SubmitActionPlanHandler(SupplierAssureDbContext db, IRemediationSignals signals, TimeProvider clock)
{
    public Task<Outcome<RemediationCase>> HandleAsync(SubmitActionPlanRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return RemediationText.ApplyAndSaveAsync(db, signals, request.RemediationId, (remediation, _) =>
        {
            if (remediation.State != RemediationState.ActionPlanDue)
            {
                return Task.FromResult<Outcome?>(Outcome.Conflict(RemediationText.MovedOn(remediation.State)));
            }

            var errors = new Dictionary<string, string[]>();
            if (RemediationText.Check(request.ActionPlan, request.Capa is null
                    ? "Describe the root cause, the correction and the action you will take."
                    : "Describe the corrective action: what will change so this does not happen again.") is { } problem)
            {
                errors["ActionPlan"] = [problem];
            }

            var whys = request.Capa is null ? [] : CheckCapa(request.Capa, errors);
            if (errors.Count > 0)
            {
                return Task.FromResult<Outcome?>(Outcome.Invalid(errors));
            }

            if (request.Capa is { } capa)
            {
                remediation.RootCause = string.Join('\n', whys);
                remediation.Correction = capa.Correction!.Trim();
                remediation.Owner = capa.Owner!.Trim();
            }

            remediation.ActionPlan = request.ActionPlan!.Trim();
            remediation.ActionPlanAt = clock.GetUtcNow();
            remediation.State = RemediationState.ImplementationDue;
            remediation.EscalatedAt = null;
            return Task.FromResult<Outcome?>(null);
        }, cancellationToken);
    }

    /// <summary>Checks the CAPA fields into <paramref name="errors"/>; returns the whys given, in order, one line each.</summary>
    private static List<string> CheckCapa(CapaPlan capa, Dictionary<string, string[]> errors)
    {
        var whys = (capa.Whys ?? []).Where(w => !string.IsNullOrWhiteSpace(w))
            .Select(w => string.Join(' ', w!.Split((char[])['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
            .ToList();
        if (whys.Count == 0)
        {
            errors["Whys"] = ["Ask why the nonconformity happened and answer at least once; the last answer is the root cause."];
        }
        else if (whys.Count > RemediationCase.MaxWhys)
        {
            errors["Whys"] = [$"Give at most {RemediationCase.MaxWhys} whys."];
        }
        else if (whys.Any(w => w.Length > RemediationCase.MaxWhyLength))
        {
            errors["Whys"] = [$"Keep each answer under {RemediationCase.MaxWhyLength} characters."];
        }

        if (RemediationText.Check(capa.Correction, "Say how the nonconformity itself was or will be put right (the correction).") is { } correction)
        {
            errors["Correction"] = [correction];
        }

        if (string.IsNullOrWhiteSpace(capa.Owner))
        {
            errors["Owner"] = ["Name who answers for this corrective action."];
        }
        else if (capa.Owner.Trim().Length > RemediationCase.MaxOwnerLength)
        {
            errors["Owner"] = [$"Keep this under {RemediationCase.MaxOwnerLength} characters."];
        }

        return whys;
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

    /// <summary>How a refused step names where the case is now, in words the supplier and the operator use.</summary>
    public static string MovedOn(RemediationState state) => state switch
    {
        RemediationState.ActionPlanDue => "This corrective action is still waiting for its action plan.",
        RemediationState.ImplementationDue => "The action plan for this corrective action is already recorded; it is waiting for the implementation. Reload the page to see it.",
        RemediationState.VerificationDue => "The implementation of this corrective action is already recorded; it is waiting for verification. Reload the page to see it.",
        _ => "This corrective action is closed. Reload the page to see how it was closed.",
    };

    /// <summary>
    /// Loads the case, lets <paramref name="apply"/> check and change it (null to go on, an outcome to refuse), saves
    /// and tells the workflow. When another save changed the case between this load and this save, the attempt is
    /// forgotten and made again on the case as it is now, so <paramref name="apply"/>'s checks see what changed: the
    /// deadline check's escalation mark (a system note, which must not turn a supplier's plan away at the very moment
    /// it is late) is taken in, while a colleague's step moves the state and becomes a clear refusal rather than an
    /// overwrite. Only a case that keeps changing under every attempt is refused as changed.
    /// </summary>
    public static async Task<Outcome<RemediationCase>> ApplyAndSaveAsync(
        SupplierAssureDbContext db, IRemediationSignals signals, Guid remediationId,
        Func<RemediationCase, CancellationToken, Task<Outcome?>> apply, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var remediation = await db.Set<RemediationCase>().SingleOrDefaultAsync(r => r.Id == remediationId, cancellationToken);
            if (remediation is null)
            {
                return Outcome<RemediationCase>.From(Outcome.NotFound());
            }

            if (await apply(remediation, cancellationToken) is { } refused)
            {
                return Outcome<RemediationCase>.From(refused);
            }

            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateConcurrencyException) when (attempt < MaxAttempts)
            {
                // Forget this attempt's changes and added rows; the next reads the case (and its finding) as stored.
                db.ChangeTracker.Clear();
                continue;
            }
            catch (DbUpdateConcurrencyException)
            {
                db.ChangeTracker.Clear();
                return Outcome<RemediationCase>.From(Outcome.Conflict("The remediation changed while you were working on it. Reload and try again."));
            }

            await signals.CaseChangedAsync(remediation, cancellationToken);
            return Outcome<RemediationCase>.Ok(remediation);
        }
    }

    private const int MaxAttempts = 3;
}
