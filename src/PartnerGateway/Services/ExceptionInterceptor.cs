using System.Diagnostics;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace SupplierAssure.PartnerGateway.Services;

/// <summary>
/// The last line of every rpc: a deliberate <see cref="RpcException"/> passes through unchanged; a call the client
/// cancelled (or whose deadline passed) ends as CANCELLED / DEADLINE_EXCEEDED; anything else is logged in full and
/// reaches the partner only as INTERNAL with a trace id, never with the exception's text.
/// </summary>
public sealed partial class ExceptionInterceptor(ILogger<ExceptionInterceptor> logger, TimeProvider clock) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        try
        {
            return await continuation(request, context);
        }
        catch (Exception ex) when (ex is not RpcException)
        {
            throw Translate(ex, context);
        }
    }

    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        try
        {
            return await continuation(requestStream, context);
        }
        catch (Exception ex) when (ex is not RpcException)
        {
            throw Translate(ex, context);
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        try
        {
            await continuation(request, responseStream, context);
        }
        catch (Exception ex) when (ex is not RpcException)
        {
            throw Translate(ex, context);
        }
    }

    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        try
        {
            await continuation(requestStream, responseStream, context);
        }
        catch (Exception ex) when (ex is not RpcException)
        {
            throw Translate(ex, context);
        }
    }

    private RpcException Translate(Exception exception, ServerCallContext context)
    {
        if (exception is OperationCanceledException && context.CancellationToken.IsCancellationRequested)
        {
            // Not a fault of ours: the caller hung up or ran out of time. The client may never read this status.
            var deadlinePassed = context.Deadline <= clock.GetUtcNow().UtcDateTime;
            LogCallCancelled(logger, context.Method, deadlinePassed);
            return deadlinePassed
                ? new RpcException(new Status(StatusCode.DeadlineExceeded, "The call's deadline passed."))
                : new RpcException(new Status(StatusCode.Cancelled, "The call was cancelled."));
        }

        // The request's trace when tracing is on (it always is in the hosts); otherwise a fresh id, logged below.
        var traceId = Activity.Current?.TraceId.ToHexString() ?? Guid.NewGuid().ToString("N");
        LogUnhandled(logger, exception, context.Method, traceId);
        // Note: the exception's message and type stay in our logs; partners get only the trace id to quote to support.
        return new RpcException(new Status(StatusCode.Internal, $"An internal error occurred. Trace id: {traceId}."));
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception in {Method} (trace {TraceId}).")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string method, string traceId);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Method} ended early: the client cancelled or its deadline passed (deadline passed: {DeadlinePassed}).")]
    private static partial void LogCallCancelled(ILogger logger, string method, bool deadlinePassed);
}
