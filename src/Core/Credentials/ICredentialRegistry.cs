using SupplierAssure.Core.Suppliers;

namespace SupplierAssure.Core.Credentials;

/// <summary>
/// The verification port: one implementation per registry (EU AEO consultation, manual review, ...). The use case
/// picks the one that <see cref="Handles"/> the credential's type.
/// </summary>
public interface ICredentialRegistry
{
    /// <summary>A short name recorded as the verification source, e.g. "eu-aeo-consultation".</summary>
    string Name { get; }

    bool Handles(CredentialType type);

    /// <summary>
    /// Checks <paramref name="credential"/> of <paramref name="holder"/>. Throws <see cref="RegistryUnavailableException"/>
    /// when the registry cannot give an answer (down, too slow, or answering nonsense): the state then stays as it was.
    /// </summary>
    Task<RegistryVerdict> CheckAsync(Credential credential, Supplier holder, CancellationToken cancellationToken);
}

/// <summary>What a registry said: the new state and a note for people reading the credential.</summary>
public sealed record RegistryVerdict(VerificationState State, string Note);

/// <summary>A registry gave no usable answer; nothing about the credential was learned.</summary>
public sealed class RegistryUnavailableException : Exception
{
    public RegistryUnavailableException()
    {
    }

    public RegistryUnavailableException(string message)
        : base(message)
    {
    }

    public RegistryUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// For credentials without a public registry (C-TPAT, TAPA, ISO certificates): verification means a reviewer
/// looks at the evidence, so checking queues it for one (<see cref="VerificationState.PendingReview"/>) until an
/// operator reviewer decides on the Portal's credential review page (<see cref="DecideCredentialReviewHandler"/>).
/// </summary>
public sealed class ManualReviewRegistry : ICredentialRegistry
{
    public string Name => "manual-review";

    public bool Handles(CredentialType type) => type is not (CredentialType.EuAeo or CredentialType.Eori);

    public Task<RegistryVerdict> CheckAsync(Credential credential, Supplier holder, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(credential);
        return Task.FromResult(credential.VerificationState is VerificationState.Verified or VerificationState.Rejected
            // A reviewer's decision stands; asking again does not reopen it.
            ? new RegistryVerdict(credential.VerificationState, credential.VerificationNote ?? string.Empty)
            : new RegistryVerdict(VerificationState.PendingReview, "No public registry for this credential; queued for a reviewer to check the evidence."));
    }
}
