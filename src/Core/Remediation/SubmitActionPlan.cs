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
            return Outcome<RemediationCase>.From(Outcome.Invalid(errors));
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
        return await RemediationText.SaveAndSignalAsync(db, signals, remediation, cancellationToken);
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
