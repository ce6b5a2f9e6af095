using Google.Protobuf.WellKnownTypes;
using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Status;
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
/// Loads <see cref="StatusDetails"/> for many suppliers in one query, however many suppliers are asked for.
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
        // One round trip: the supplier's open-findings row (kept by Core's OpenFindingsCounter; no row, none open)
        // and the credentials as a joined collection. A single status look-up does not come here: it reads the same
        // with the supplier and the consent in one compiled query (Auth/StatusLookupQueries.cs); batches and the
        // watch feed do, for many suppliers at once.
        var rows = await db.Suppliers.AsNoTracking()
            .Where(s => ids.Contains(s.Id))
            .LeftJoin(db.Set<SupplierOpenFindings>(), s => s.Id, o => o.SupplierId, (s, open) => new
            {
                s.Id,
                Critical = open == null ? 0 : open.Critical,
                Major = open == null ? 0 : open.Major,
                Minor = open == null ? 0 : open.Minor,
                Improvements = open == null ? 0 : open.Improvements,
                Credentials = db.Credentials.Where(c => c.SupplierId == s.Id).ToList(),
            })
            .ToListAsync(cancellationToken);

        var found = rows.ToDictionary(r => r.Id, r => From(r.Critical, r.Major, r.Minor, r.Improvements, r.Credentials));
        // A feed row may name a supplier that no longer exists; it then has nothing to report.
        return ids.ToDictionary(id => id, id => found.GetValueOrDefault(id) ?? StatusDetails.None);
    }

    /// <summary>The details of one supplier from its open-finding counts and credentials, as <see cref="LoadAsync"/> reads them.</summary>
    public static StatusDetails From(int critical, int major, int minor, int improvements, IEnumerable<DomainCredential> credentials) =>
        new(new OpenFindingCounts
            {
                Critical = critical,
                Major = major,
                Minor = minor,
                OpportunitiesForImprovement = improvements,
            },
            [.. credentials.OrderByDescending(c => c.SubmittedAt).ThenBy(c => c.Id).Select(ToStatus)]);

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
