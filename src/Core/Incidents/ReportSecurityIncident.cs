using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Common;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Partners;

namespace SupplierAssure.Core.Incidents;

/// <summary>A security incident as a partner reports it, about a supplier the caller may see.</summary>
public sealed record ReportSecurityIncidentCommand(
    Guid SupplierId,
    IncidentCategory Category,
    FindingGrade Grade,
    string Summary,
    string? ShipmentReference,
    DateTimeOffset? OccurredAt);

/// <summary>Turns a partner's incident report into an open finding for the operator's reviewers, once per key.</summary>
public sealed class ReportSecurityIncident(SupplierAssureDbContext db, TimeProvider clock)
{
    public const string Operation = "ReportSecurityIncident";
    public const int MaxSummaryLength = 2000;
    public const int MaxShipmentReferenceLength = 100;

    public async Task<Outcome<Finding>> HandleAsync(string clientId, string idempotencyKey, ReportSecurityIncidentCommand command, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(clientId);
        ArgumentNullException.ThrowIfNull(command);
        var now = clock.GetUtcNow();
        var normalised = command with
        {
            Summary = command.Summary?.Trim() ?? string.Empty,
            ShipmentReference = string.IsNullOrWhiteSpace(command.ShipmentReference) ? null : command.ShipmentReference.Trim(),
        };
        var errors = Validate(normalised, idempotencyKey, now);
        if (errors.Count > 0)
        {
            return Outcome<Finding>.From(Outcome.Invalid(errors));
        }

        var hash = IdempotencyKey.HashOf(normalised);
        var lookup = await IdempotencyKeys.LookupAsync(db, clientId, idempotencyKey, Operation, hash, cancellationToken);
        if (lookup.Use == KeyUse.New)
        {
            var finding = new Finding
            {
                Id = Guid.NewGuid(),
                SupplierId = normalised.SupplierId,
                Category = normalised.Category,
                Grade = normalised.Grade,
                Summary = normalised.Summary,
                ShipmentReference = normalised.ShipmentReference,
                OccurredAt = normalised.OccurredAt ?? now,
                ReportedBy = clientId,
                ReportedAt = now,
            };
            db.Findings.Add(finding);
            IdempotencyKeys.Remember(db, clientId, idempotencyKey, Operation, hash, finding.Id, now);
            lookup = await IdempotencyKeys.SaveAsync(db, clientId, idempotencyKey, Operation, hash, finding.Id, cancellationToken);
            if (lookup.Use == KeyUse.New)
            {
                return Outcome<Finding>.Ok(finding);
            }
        }

        if (lookup.Use == KeyUse.Mismatch)
        {
            return Outcome<Finding>.From(Outcome.Invalid("idempotency_key", IdempotencyKeys.MismatchMessage));
        }

        return Outcome<Finding>.Ok(await db.Findings.AsNoTracking().SingleAsync(f => f.Id == lookup.ResourceId, cancellationToken));
    }

    private static Dictionary<string, string[]> Validate(ReportSecurityIncidentCommand command, string idempotencyKey, DateTimeOffset now)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (IdempotencyKey.KeyError(idempotencyKey) is { } keyError)
        {
            errors["idempotency_key"] = [keyError];
        }

        if (!Enum.IsDefined(command.Category))
        {
            errors["category"] = ["Say what happened: THEFT, TAMPERING, SEAL_BREACH, CYBER or OTHER."];
        }

        if (!Enum.IsDefined(command.Grade))
        {
            errors["severity"] = ["Say how serious it is: MINOR, MAJOR or CRITICAL."];
        }

        if (command.Summary.Length == 0)
        {
            errors["summary"] = ["Describe the incident."];
        }
        else if (command.Summary.Length > MaxSummaryLength)
        {
            errors["summary"] = [$"At most {MaxSummaryLength} characters."];
        }

        if (command.ShipmentReference?.Length > MaxShipmentReferenceLength)
        {
            errors["shipment_reference"] = [$"At most {MaxShipmentReferenceLength} characters."];
        }

        // A little leeway for the reporter's clock; an incident cannot be reported before it happens.
        if (command.OccurredAt > now.AddMinutes(5))
        {
            errors["occurred_at"] = ["An incident cannot have happened in the future."];
        }

        return errors;
    }
}
