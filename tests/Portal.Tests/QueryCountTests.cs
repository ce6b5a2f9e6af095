using System.Collections.Concurrent;
using System.Data.Common;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using SupplierAssure.Core.Demo;
using SupplierAssure.Core.Findings;
using SupplierAssure.Migrations.Sqlite;
using SupplierAssure.TestSupport;
using Xunit.Abstractions;

namespace SupplierAssure.Portal.Tests;

/// <summary>
/// No N+1 queries: the supplier list, a supplier page and the dashboard send the same number of SQL commands with 9
/// suppliers as with 54 (the scale demo seed's generator, a few rows instead of 10,000), counted per request by an
/// EF Core command interceptor in the test host.
/// </summary>
public sealed class QueryCountTests(QueryCountTests.Fixture fixture, ITestOutputHelper output) : IClassFixture<QueryCountTests.Fixture>
{
    // Ceilings that hold whatever the data: a change that adds queries per row breaks the equality below first.
    private const int ListCeiling = 6;
    private const int SupplierPageCeiling = 14;
    private const int DashboardCeiling = 14;

    [Fact]
    public async Task ListSupplierPageAndDashboard_SendAFixedNumberOfCommands_WhateverTheNumberOfRows()
    {
        var portal = fixture.Portal;
        await using (var db = portal.CreateDbContext())
        {
            var first = await ScaleDemoSeeder.SeedRangeAsync(db, TimeProvider.System, 0, 5, CancellationToken.None);
            Assert.Equal(5, first.Suppliers);
            Assert.Equal(Enumerable.Range(0, 5).Sum(ScaleDemoSeeder.FindingCount), first.Findings);
            Assert.True(first.Assessments >= 5 && first.CorrectiveActions > 0, $"{first}");
            // Idempotent: the same range again writes nothing.
            Assert.Equal(0, (await ScaleDemoSeeder.SeedRangeAsync(db, TimeProvider.System, 0, 5, CancellationToken.None)).Suppliers);
        }

        using var session = await PortalSession.SignInAsync(portal, DemoData.ProcurementUserEmail);
        var small = await CountAsync(session, SmallestSupplierAsync);

        await using (var db = portal.CreateDbContext())
        {
            Assert.Equal(45, (await ScaleDemoSeeder.SeedRangeAsync(db, TimeProvider.System, 5, 50, CancellationToken.None)).Suppliers);
            Assert.Equal(54, await db.Suppliers.CountAsync());
            // Every generated supplier has one to three sites, so the supplier page's sites section is counted with rows.
            Assert.Equal(50, await db.Set<Core.Suppliers.SupplierSite>().Where(x => x.SupplierId != DemoData.MeridianSupplierId && x.SupplierId != DemoData.CalderaSupplierId
                && x.SupplierId != DemoData.NorthgateSupplierId && x.SupplierId != DemoData.OakridgeSupplierId).Select(x => x.SupplierId).Distinct().CountAsync());
        }

        var large = await CountAsync(session, LargestSupplierAsync);
        foreach (var (path, count) in small)
        {
            output.WriteLine($"{path}: {count} commands with 9 suppliers, {large[path]} with 54");
        }

        Assert.Equal(small, large);
        Assert.All(small.Where(kv => kv.Key.StartsWith("/Suppliers?", StringComparison.Ordinal)), kv => Assert.InRange(kv.Value, 1, ListCeiling));
        Assert.InRange(small["supplier page"], 1, SupplierPageCeiling);
        Assert.InRange(small["/Dashboard"], 1, DashboardCeiling);
    }

    private async Task<Dictionary<string, int>> CountAsync(PortalSession session, Func<Task<Guid>> supplier)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        string[] lists =
        [
            "/Suppliers?sort=ScoreDescending",
            "/Suppliers?tier=Tier1Critical&overdue=true&page=2",
            "/Suppliers?finding=MajorNonconformity&fclause=8&credential=Valid&schedule=InDate",
            "/Suppliers?mclause=8&mlevel=3&actions=ClosedLate&questionnaire=Completed",
        ];
        foreach (var path in lists)
        {
            counts[path] = await CommandsForAsync(session, path);
        }

        counts["supplier page"] = await CommandsForAsync(session, $"/Suppliers/{await supplier()}");
        counts["/Dashboard"] = await CommandsForAsync(session, "/Dashboard");
        return counts;
    }

    private async Task<int> CommandsForAsync(PortalSession session, string path)
    {
        var id = Guid.NewGuid().ToString("N");
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        request.Headers.Add(CommandCounter.Header, id);
        using var response = await session.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var commands = fixture.Counter.Take(id);
        output.WriteLine($"{path}: {commands.Count}");
        return commands.Count;
    }

    private async Task<Guid> SmallestSupplierAsync() => await SupplierByFindingsAsync(descending: false);

    private async Task<Guid> LargestSupplierAsync() => await SupplierByFindingsAsync(descending: true);

    private async Task<Guid> SupplierByFindingsAsync(bool descending)
    {
        await using var db = fixture.Portal.CreateDbContext();
        var bySupplier = db.Set<AssessmentFinding>().GroupBy(f => f.SupplierId).Select(g => new { g.Key, Count = g.Count() });
        var ordered = descending ? bySupplier.OrderByDescending(g => g.Count) : bySupplier.OrderBy(g => g.Count);
        return await ordered.Select(g => g.Key).FirstAsync();
    }

    public sealed class Fixture : IDisposable
    {
        public Fixture() => Portal = new CountingPortalFactory(Counter);

        public CommandCounter Counter { get; } = new();

        public PortalFactory Portal { get; }

        public void Dispose() => Portal.Dispose();
    }

    private sealed class CountingPortalFactory(CommandCounter counter) : PortalFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            // Background work (workflows, deadline sweeps) would send commands of its own; only requests are counted.
            builder.UseSetting("Workflows:Enabled", "false");
            builder.ConfigureTestServices(services =>
            {
                services.ConfigureDbContext<SqliteSupplierAssureDbContext>(o => o.AddInterceptors(counter));
                services.AddSingleton<Microsoft.AspNetCore.Hosting.IStartupFilter>(new CountingStartupFilter(counter));
            });
        }
    }

    private sealed class CountingStartupFilter(CommandCounter counter) : Microsoft.AspNetCore.Hosting.IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (context, proceed) =>
            {
                if (context.Request.Headers.TryGetValue(CommandCounter.Header, out var id))
                {
                    await counter.CountAsync(id.ToString(), proceed);
                }
                else
                {
                    await proceed();
                }
            });
            next(app);
        };
    }

    /// <summary>Counts the SQL commands sent while a request marked with <see cref="Header"/> is handled.</summary>
    public sealed class CommandCounter : DbCommandInterceptor
    {
        public const string Header = "X-Test-Count-Commands";
        private readonly AsyncLocal<List<string>?> _current = new();
        private readonly ConcurrentDictionary<string, List<string>> _done = new(StringComparer.Ordinal);

        public async Task CountAsync(string id, Func<Task> request)
        {
            var commands = new List<string>();
            _current.Value = commands;
            try
            {
                await request();
            }
            finally
            {
                _current.Value = null;
                _done[id] = commands;
            }
        }

        public IReadOnlyList<string> Take(string id) =>
            _done.TryRemove(id, out var commands) ? commands : throw new InvalidOperationException($"Request {id} was not counted.");

        private void Record(DbCommand command)
        {
            if (_current.Value is { } commands)
            {
                lock (commands)
                {
                    commands.Add(command.CommandText);
                }
            }
        }

        public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
        {
            Record(command);
            return result;
        }

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            Record(command);
            return ValueTask.FromResult(result);
        }

        public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
        {
            Record(command);
            return result;
        }

        public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
        {
            Record(command);
            return ValueTask.FromResult(result);
        }

        public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
        {
            Record(command);
            return result;
        }

        public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            Record(command);
            return ValueTask.FromResult(result);
        }
    }
}
