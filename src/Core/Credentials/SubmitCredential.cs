using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Common;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Partners;

namespace SupplierAssure.Core.Credentials;

/// <summary>A credential as a partner submits it, for a supplier the caller has already been allowed to see.</summary>
public sealed record SubmitCredentialCommand(
    Guid SupplierId,
    CredentialType Type,
    string Number,
    string? Level,
    string? Issuer,
    DateTimeOffset? ValidFrom,
    DateTimeOffset? ValidUntil,
    string? Scope,
    string? EvidenceReference);

/// <summary>Stores a submitted credential as unverified, once per idempotency key.</summary>
public sealed class SubmitCredentialHandler(SupplierAssureDbContext db, TimeProvider clock)
{
    public const string Operation = "SubmitCredential";

    public async Task<Outcome<Credential>> HandleAsync(string clientId, string idempotencyKey, SubmitCredentialCommand command, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(clientId);
        ArgumentNullException.ThrowIfNull(command);
        if (IdempotencyKey.KeyError(idempotencyKey) is { } keyError)
        {
            return Outcome<Credential>.From(Outcome.Invalid("idempotency_key", keyError));
        }

        var normalised = command with
        {
            Number = CredentialRules.NormaliseNumber(command.Number),
            Level = Blank(command.Level)?.ToUpperInvariant(),
            Issuer = Blank(command.Issuer),
            Scope = Blank(command.Scope),
            EvidenceReference = Blank(command.EvidenceReference),
        };
        var now = clock.GetUtcNow();
        var errors = CredentialRules.Validate(normalised.Type, normalised.Number, normalised.Level, normalised.ValidFrom, normalised.ValidUntil, now);
        AddLengthErrors(errors, normalised);
        if (errors.Count > 0)
        {
            return Outcome<Credential>.From(Outcome.Invalid(errors));
        }

        var hash = IdempotencyKey.HashOf(normalised);
        var lookup = await IdempotencyKeys.LookupAsync(db, clientId, idempotencyKey, Operation, hash, cancellationToken);
        if (lookup.Use == KeyUse.New)
        {
            var credential = new Credential
            {
                Id = Guid.NewGuid(),
                SupplierId = normalised.SupplierId,
                Type = normalised.Type,
                Number = normalised.Number,
                Level = normalised.Level,
                Issuer = normalised.Issuer,
                ValidFrom = normalised.ValidFrom,
                ValidUntil = normalised.ValidUntil,
                Scope = normalised.Scope,
                EvidenceReference = normalised.EvidenceReference,
                SubmittedBy = clientId,
                SubmittedAt = now,
            };
            db.Credentials.Add(credential);
            IdempotencyKeys.Remember(db, clientId, idempotencyKey, Operation, hash, credential.Id, now);
            lookup = await IdempotencyKeys.SaveAsync(db, clientId, idempotencyKey, Operation, hash, credential.Id, cancellationToken);
            if (lookup.Use == KeyUse.New)
            {
                return Outcome<Credential>.Ok(credential);
            }
        }

        if (lookup.Use == KeyUse.Mismatch)
        {
            return Outcome<Credential>.From(Outcome.Invalid("idempotency_key", IdempotencyKeys.MismatchMessage));
        }

        var first = await db.Credentials.AsNoTracking().SingleAsync(c => c.Id == lookup.ResourceId, cancellationToken);
        return Outcome<Credential>.Ok(first);
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static void AddLengthErrors(Dictionary<string, string[]> errors, SubmitCredentialCommand command)
    {
        foreach (var (field, value) in new[] { ("issuer", command.Issuer), ("scope", command.Scope), ("evidence_reference", command.EvidenceReference) })
        {
            if (value?.Length > CredentialRules.MaxTextLength)
            {
                errors[field] = [$"At most {CredentialRules.MaxTextLength} characters."];
            }
        }
    }
}
