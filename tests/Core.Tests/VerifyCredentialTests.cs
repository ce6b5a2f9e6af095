using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Common;
using SupplierAssure.Core.Credentials;
using SupplierAssure.Core.Suppliers;

namespace SupplierAssure.Core.Tests;

/// <summary>
/// VerifyCredentialHandler when someone else writes the credential between its read and its write (the credential
/// monitor's first check right after submission, or a reviewer): it reads and checks again instead of failing.
/// </summary>
public sealed class VerifyCredentialTests : IAsyncLifetime
{
    private const string Client = "demo-partner";
    private static readonly Guid SupplierId = Guid.Parse("5b1d3c55-0000-4000-8000-00000000c0de");
    private TestDatabase _database = null!;
    private Supplier _holder = null!;
    private Guid _credentialId;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        await using var db = _database.CreateContext();
        _holder = new Supplier { Id = SupplierId, LegalName = "Kestrel Bonded Warehousing Ltd", CountryCode = "GB" };
        db.Suppliers.Add(_holder);
        var credential = new Credential
        {
            Id = Guid.NewGuid(),
            SupplierId = SupplierId,
            Type = CredentialType.TapaFsr,
            Number = "FSR-2026-0042",
            Level = "A",
            SubmittedBy = Client,
            SubmittedAt = DateTimeOffset.UtcNow,
        };
        db.Credentials.Add(credential);
        await db.SaveChangesAsync();
        _credentialId = credential.Id;
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task Verify_ReviewerDecidesWhileTheRegistryIsAsked_ReadsAgainAndKeepsTheDecision()
    {
        var registry = new InterferingRegistry(_database, interferences: 1, reviewerDecides: true);
        await using var db = _database.CreateContext();
        var handler = new VerifyCredentialHandler(db, [registry], TimeProvider.System);

        var outcome = await handler.HandleAsync(Client, "verify-once", _credentialId, _holder, CancellationToken.None);

        Assert.True(outcome.Succeeded, string.Join(" ", outcome.Errors.SelectMany(e => e.Value)));
        Assert.Equal(2, registry.Calls);
        Assert.Equal(VerificationState.Verified, outcome.Value!.VerificationState);
        Assert.Equal("reviewer:auditor@operator.example", outcome.Value.VerificationSource);
        await using var check = _database.CreateContext();
        Assert.Equal(1, await check.IdempotencyKeys.CountAsync(k => k.ClientId == Client && k.Key == "verify-once"));
        Assert.Equal(VerificationState.Verified, (await check.Credentials.SingleAsync(c => c.Id == _credentialId)).VerificationState);
    }

    [Fact]
    public async Task Verify_CredentialChangesOnEveryTry_IsAConflictAndRecordsNothing()
    {
        var registry = new InterferingRegistry(_database, interferences: int.MaxValue, reviewerDecides: false);
        await using var db = _database.CreateContext();
        var handler = new VerifyCredentialHandler(db, [registry], TimeProvider.System);

        var outcome = await handler.HandleAsync(Client, "verify-busy", _credentialId, _holder, CancellationToken.None);

        Assert.Equal(OutcomeStatus.Conflict, outcome.Status);
        Assert.Contains("try again", Assert.Single(outcome.Errors).Value.Single(), StringComparison.Ordinal);
        Assert.Equal(3, registry.Calls);
        await using var check = _database.CreateContext();
        Assert.False(await check.IdempotencyKeys.AnyAsync(k => k.Key == "verify-busy"));
        Assert.NotEqual("manual-review", (await check.Credentials.SingleAsync(c => c.Id == _credentialId)).VerificationSource);
    }

    /// <summary>
    /// Answers as manual review does, but first (for its first <c>interferences</c> calls) has another writer change the
    /// credential in the database, so the caller's copy is stale by the time it saves: a reviewer's decision, or an
    /// edit of the credential's note that leaves it unverified.
    /// </summary>
    private sealed class InterferingRegistry(TestDatabase database, int interferences, bool reviewerDecides) : ICredentialRegistry
    {
        private readonly ManualReviewRegistry _manual = new();

        public int Calls { get; private set; }

        public string Name => _manual.Name;

        public bool Handles(CredentialType type) => true;

        public async Task<RegistryVerdict> CheckAsync(Credential credential, Supplier holder, CancellationToken cancellationToken)
        {
            Calls++;
            if (Calls <= interferences)
            {
                await using var other = database.CreateContext();
                var stored = await other.Credentials.SingleAsync(c => c.Id == credential.Id, cancellationToken);
                if (reviewerDecides)
                {
                    stored.VerificationState = VerificationState.Verified;
                    stored.VerificationSource = "reviewer:auditor@operator.example";
                    stored.VerificationNote = "Certificate seen.";
                    stored.VerifiedAt = DateTimeOffset.UtcNow;
                }
                else
                {
                    stored.VerificationState = VerificationState.Unverified;
                    stored.VerificationNote = $"Edited (change {Calls}).";
                }

                await other.SaveChangesAsync(cancellationToken);
            }

            return await _manual.CheckAsync(credential, holder, cancellationToken);
        }
    }
}
