using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using SupplierAssure.Core.Common;

namespace SupplierAssure.PartnerGateway.Services;

/// <summary>The gateway's error responses, with the google.rpc details partners are promised in the contract.</summary>
internal static class RpcErrors
{
    /// <summary>
    /// The one NOT_FOUND for suppliers, whether unknown or not shared with the caller: the same text and code for
    /// both, so a partner cannot use the gateway to learn who the operator's suppliers are.
    /// </summary>
    public static RpcException SupplierNotFound() => new(new Grpc.Core.Status(StatusCode.NotFound, SupplierNotFoundMessage));

    /// <summary>The same answer as <see cref="SupplierNotFound"/>, as a google.rpc.Status for one item of a batch.</summary>
    public static Google.Rpc.Status SupplierNotFoundStatus() => new() { Code = (int)Code.NotFound, Message = SupplierNotFoundMessage };

    private const string SupplierNotFoundMessage = "No supplier with this identifier is shared with your client.";

    /// <summary>
    /// The status for a use case that did not succeed. Use cases key their errors by the contract's field names,
    /// so they become field violations as they are; <paramref name="notFound"/> says what a NotFound outcome means.
    /// </summary>
    public static RpcException FromOutcome(Outcome outcome, Func<RpcException> notFound)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        ArgumentNullException.ThrowIfNull(notFound);
        return outcome.Status switch
        {
            OutcomeStatus.Invalid => InvalidArgument(outcome.Errors.SelectMany(e => e.Value.Select(m => new FieldViolation(e.Key, m))).ToArray()),
            OutcomeStatus.NotFound => notFound(),
            OutcomeStatus.Conflict => new RpcException(new Grpc.Core.Status(StatusCode.FailedPrecondition, string.Join(" ", outcome.Errors.SelectMany(e => e.Value)))),
            _ => throw new ArgumentException("A successful outcome is not an error.", nameof(outcome)),
        };
    }

    /// <summary>NOT_FOUND for a credential id that does not exist or belongs to a supplier the caller may not see.</summary>
    public static RpcException CredentialNotFound() =>
        new(new Grpc.Core.Status(StatusCode.NotFound, "No credential with this id is shared with your client."));

    /// <summary>INVALID_ARGUMENT with a google.rpc.BadRequest naming each offending field by its proto path.</summary>
    public static RpcException InvalidArgument(params ReadOnlySpan<FieldViolation> violations) => InvalidArgumentStatus(violations).ToRpcException();

    /// <summary>The google.rpc.Status behind <see cref="InvalidArgument"/>, also used for one item of a batch.</summary>
    public static Google.Rpc.Status InvalidArgumentStatus(params ReadOnlySpan<FieldViolation> violations)
    {
        if (violations.IsEmpty)
        {
            throw new ArgumentException("At least one field violation is required.", nameof(violations));
        }

        var badRequest = new BadRequest();
        foreach (var violation in violations)
        {
            badRequest.FieldViolations.Add(new BadRequest.Types.FieldViolation { Field = violation.Field, Description = violation.Description });
        }

        // The message repeats the first violation so clients that do not read details still learn what to fix.
        return new Google.Rpc.Status
        {
            Code = (int)Code.InvalidArgument,
            Message = $"{violations[0].Field}: {violations[0].Description}",
            Details = { Any.Pack(badRequest) },
        };
    }
}

/// <summary>One invalid request field: its path in the request message and what is wrong with it.</summary>
internal readonly record struct FieldViolation(string Field, string Description);
