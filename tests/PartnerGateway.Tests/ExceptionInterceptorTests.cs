using Grpc.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using SupplierAssure.PartnerGateway.Services;

namespace SupplierAssure.PartnerGateway.Tests;

public sealed class ExceptionInterceptorTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Unary_RpcException_PassesThroughUnchanged()
    {
        var thrown = new RpcException(new Status(StatusCode.NotFound, "nope"));

        var caught = await Assert.ThrowsAsync<RpcException>(() => Run(_ => throw thrown, new TestCallContext(Now.AddMinutes(1))));

        Assert.Same(thrown, caught);
    }

    [Fact]
    public async Task Unary_UnexpectedException_IsInternalAndLoggedWithoutLeakingDetails()
    {
        var logger = new CollectingLogger();

        var caught = await Assert.ThrowsAsync<RpcException>(() =>
            Run(_ => throw new InvalidOperationException("connection string with Password=hunter2"), new TestCallContext(Now.AddMinutes(1)), logger));

        Assert.Equal(StatusCode.Internal, caught.StatusCode);
        Assert.DoesNotContain("hunter2", caught.Status.Detail, StringComparison.Ordinal);
        var entry = Assert.Single(logger.Entries);
        Assert.Equal(LogLevel.Error, entry.Level);
        Assert.IsType<InvalidOperationException>(entry.Exception);
    }

    [Fact]
    public async Task Unary_CancelledAfterDeadline_IsDeadlineExceeded()
    {
        var context = new TestCallContext(Now.AddSeconds(-1), cancelled: true);

        var caught = await Assert.ThrowsAsync<RpcException>(() => Run(ct => throw new OperationCanceledException(ct), context));

        Assert.Equal(StatusCode.DeadlineExceeded, caught.StatusCode);
    }

    [Fact]
    public async Task Unary_CancelledByClientBeforeDeadline_IsCancelled()
    {
        var context = new TestCallContext(Now.AddMinutes(1), cancelled: true);

        var caught = await Assert.ThrowsAsync<RpcException>(() => Run(ct => throw new OperationCanceledException(ct), context));

        Assert.Equal(StatusCode.Cancelled, caught.StatusCode);
    }

    [Fact]
    public async Task Unary_OurOwnTimeoutWhileCallIsLive_IsInternal()
    {
        // A cancellation the caller did not ask for (an internal timeout) is our failure, not theirs.
        var context = new TestCallContext(Now.AddMinutes(1));

        var caught = await Assert.ThrowsAsync<RpcException>(() => Run(_ => throw new TaskCanceledException("HttpClient timeout"), context));

        Assert.Equal(StatusCode.Internal, caught.StatusCode);
    }

    [Fact]
    public async Task ServerStreaming_UnexpectedException_IsInternal()
    {
        var interceptor = new ExceptionInterceptor(NullLogger<ExceptionInterceptor>.Instance, new FakeTimeProvider(Now));

        var caught = await Assert.ThrowsAsync<RpcException>(() => interceptor.ServerStreamingServerHandler<string, string>(
            "request", null!, new TestCallContext(Now.AddMinutes(1)), (_, _, _) => throw new InvalidOperationException("boom")));

        Assert.Equal(StatusCode.Internal, caught.StatusCode);
    }

    private static Task<string> Run(Func<CancellationToken, Task<string>> handler, TestCallContext context, ILogger<ExceptionInterceptor>? logger = null)
    {
        var interceptor = new ExceptionInterceptor(logger ?? NullLogger<ExceptionInterceptor>.Instance, new FakeTimeProvider(Now));
        return interceptor.UnaryServerHandler<string, string>("request", context, (_, ctx) => handler(ctx.CancellationToken));
    }

    private sealed class TestCallContext(DateTimeOffset deadline, bool cancelled = false) : ServerCallContext
    {
        private readonly CancellationToken _token = new(cancelled);

        protected override string MethodCore => "/supplierassure.partner.v1.PartnerExchange/GetSecurityStatus";
        protected override string HostCore => "localhost";
        protected override string PeerCore => "ipv4:127.0.0.1:50000";
        protected override DateTime DeadlineCore => deadline.UtcDateTime;
        protected override Metadata RequestHeadersCore { get; } = [];
        protected override CancellationToken CancellationTokenCore => _token;
        protected override Metadata ResponseTrailersCore { get; } = [];
        protected override Status StatusCore { get; set; }
        protected override WriteOptions? WriteOptionsCore { get; set; }
        protected override AuthContext AuthContextCore { get; } = new(null, []);

        protected override ContextPropagationToken CreatePropagationTokenCore(ContextPropagationOptions? options) => throw new NotSupportedException();

        protected override Task WriteResponseHeadersAsyncCore(Metadata responseHeaders) => Task.CompletedTask;
    }

    private sealed class CollectingLogger : ILogger<ExceptionInterceptor>
    {
        public List<(LogLevel Level, Exception? Exception)> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Add((logLevel, exception));
    }
}
