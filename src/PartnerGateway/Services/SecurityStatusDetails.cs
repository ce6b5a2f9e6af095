using Google.Protobuf.WellKnownTypes;
using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Findings;
using SupplierAssure.Core.Incidents;
using SupplierAssure.Partner.V1;
using DomainCredential = SupplierAssure.Core.Credentials.Credential;

namespace SupplierAssure.PartnerGateway.Services;

/// <summary>A supplier's open findings by grade and its credentials, as the security status carries them.</summary>
internal sealed record StatusDetails(OpenFindingCounts OpenFindings, IReadOnlyList<CredentialStatus> Credentials)
{
    public static StatusDetails None { get; } = new(new OpenFindingCounts(), []);

    public void CopyTo(SecurityStatus status)
    {
        status.OpenFindings = OpenFindings;
        status.Credentials.AddRange(Credentials);
    }

    public void CopyTo(SecurityStatusChange change)
    {
        change.OpenFindings = OpenFindings;
        change.Credentials.AddRange(Credentials);
    }
}

/// <summary>
/// Loads <see cref="StatusDetails"/> for many suppliers in three queries (incident findings and assessment findings
/// counted by grade in the database, credentials read whole), however many suppliers are asked for.
/// </summary>
internal static class SecurityStatusDetails
{
    public static async Task<IReadOnlyDictionary<Guid, StatusDetails>> LoadAsync(SupplierAssureDbContext db, IReadOnlyCollection<Guid> supplierIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(supplierIds);
        if (supplierIds.Count == 0)
        {
            return new Dictionary<Guid, StatusDetails>();
        }

        var ids = supplierIds.Distinct().ToList();
        var incidents = await db.Findings.AsNoTracking()
            .Where(f => ids.Contains(f.SupplierId) && f.State != FindingState.Closed)
            .GroupBy(f => new { f.SupplierId, f.Grade })
            .Select(g => new { g.Key.SupplierId, g.Key.Grade, Count = g.Count() })
            .ToListAsync(cancellationToken);
        var nonconformities = await db.Set<AssessmentFinding>().AsNoTracking()
            .Where(f => ids.Contains(f.SupplierId) && f.State == AssessmentFindingState.Open)
            .GroupBy(f => new { f.SupplierId, f.Grade })
            .Select(g => new { g.Key.SupplierId, g.Key.Grade, Count = g.Count() })
            .ToListAsync(cancellationToken);
        var credentials = await db.Credentials.AsNoTracking()
            .Where(c => ids.Contains(c.SupplierId))
            .ToListAsync(cancellationToken);

        var counts = ids.ToDictionary(id => id, _ => new OpenFindingCounts());
        foreach (var row in incidents)
        {
            var c = counts[row.SupplierId];
            switch (row.Grade)
            {
                case FindingGrade.Critical: c.Critical += row.Count; break;
                case FindingGrade.Major: c.Major += row.Count; break;
                case FindingGrade.Minor: c.Minor += row.Count; break;
                default: throw new InvalidOperationException($"Finding grade {row.Grade} has no place in OpenFindingCounts.");
            }
        }

        foreach (var row in nonconformities)
        {
            var c = counts[row.SupplierId];
            switch (row.Grade)
            {
                case NonconformityGrade.MajorNonconformity: c.Major += row.Count; break;
                case NonconformityGrade.MinorNonconformity: c.Minor += row.Count; break;
                case NonconformityGrade.OpportunityForImprovement: c.OpportunitiesForImprovement += row.Count; break;
                default: throw new InvalidOperationException($"Nonconformity grade {row.Grade} has no place in OpenFindingCounts.");
            }
        }

        var byOwner = credentials.ToLookup(c => c.SupplierId);
        return ids.ToDictionary(id => id, id => new StatusDetails(
            counts[id],
            [.. byOwner[id].OrderByDescending(c => c.SubmittedAt).ThenBy(c => c.Id).Select(ToStatus)]));
    }

    public static CredentialStatus ToStatus(DomainCredential credential)
    {
        ArgumentNullException.ThrowIfNull(credential);
        var status = new CredentialStatus
        {
            CredentialId = credential.Id.ToString(),
            Type = PartnerExchangeService.ToWire(credential.Type),
            Number = credential.Number,
            Level = credential.Level ?? string.Empty,
            VerificationState = PartnerExchangeService.ToWire(credential.VerificationState),
        };
        if (credential.ValidUntil is { } until)
        {
            status.ValidUntil = Timestamp.FromDateTimeOffset(until);
        }

        if (credential.VerifiedAt is { } verified)
        {
            status.VerifiedAt = Timestamp.FromDateTimeOffset(verified);
        }

        return status;
    }
}
