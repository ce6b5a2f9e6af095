namespace SupplierAssure.Core.Common;

public enum OutcomeStatus
{
    Ok,
    NotFound,
    Invalid,
    Conflict,
}

/// <summary>What a use case did: success, or why not, with messages keyed by the field they concern.</summary>
public record Outcome(OutcomeStatus Status, IReadOnlyDictionary<string, string[]> Errors)
{
    private static readonly IReadOnlyDictionary<string, string[]> NoErrors = new Dictionary<string, string[]>();

    public bool Succeeded => Status == OutcomeStatus.Ok;

    public static Outcome Ok() => new(OutcomeStatus.Ok, NoErrors);

    public static Outcome NotFound() => new(OutcomeStatus.NotFound, NoErrors);

    public static Outcome Invalid(string field, string message) => new(OutcomeStatus.Invalid, new Dictionary<string, string[]> { [field] = [message] });

    public static Outcome Invalid(IReadOnlyDictionary<string, string[]> errors) => new(OutcomeStatus.Invalid, errors);

    public static Outcome Conflict(string message) => new(OutcomeStatus.Conflict, new Dictionary<string, string[]> { [string.Empty] = [message] });
}

public sealed record Outcome<T>(OutcomeStatus Status, IReadOnlyDictionary<string, string[]> Errors, T? Value) : Outcome(Status, Errors)
{
    public static Outcome<T> Ok(T value) => new(OutcomeStatus.Ok, new Dictionary<string, string[]>(), value);

    public static Outcome<T> From(Outcome failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        return new(failure.Status, failure.Errors, default);
    }
}
