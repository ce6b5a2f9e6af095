using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SupplierAssure.Core.Auditing;
using SupplierAssure.Core.Demo;
using SupplierAssure.Core.Identity;
using SupplierAssure.Portal.Features.Admin;
using SupplierAssure.TestSupport;

namespace SupplierAssure.Portal.Tests;

/// <summary>
/// The hardening list of issue 4 checked against the running Portal: rate limits answer 429 with Retry-After,
/// HSTS and secure cookies outside Development, anti-forgery on every form, nothing secret in the logs, and the
/// audit chain verified by a command. Tests that only read share one production and one development host
/// (<see cref="HardeningHosts"/>); the ones that change settings or data start their own.
/// </summary>
public sealed class HardeningTests(HardeningHosts hosts) : IClassFixture<HardeningHosts>
{
    [Fact]
    public async Task TokenEndpoint_OverLimit_429WithRetryAfterAndNoToken()
    {
        using var portal = new PortalFactory().With("RateLimits:TokenPerMinute", "2");
        using var client = portal.CreateClient();

        HttpResponseMessage? last = null;
        for (var i = 0; i < 3; i++)
        {
            last?.Dispose();
            last = await client.PostAsync(new Uri("/connect/token", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["client_id"] = DemoData.PartnerClientId,
                ["client_secret"] = PortalFactory.PartnerSecret,
                ["scope"] = "partner.status.read",
            }));
        }

        using (last)
        {
            AssertRetryAfter(last!);
            Assert.DoesNotContain("access_token", await last!.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task SignIn_OverLimit_429WithRetryAfter()
    {
        using var portal = new PortalFactory().With("RateLimits:SignInPerMinute", "2");
        using var session = PortalSession.Anonymous(portal);

        for (var i = 0; i < 2; i++)
        {
            using var refused = await session.SignInAttemptAsync(DemoData.SupplierUserEmail, "Not-the-passw0rd");
            Assert.Equal(HttpStatusCode.OK, refused.StatusCode); // the form again, with its message
        }

        // Even the right password waits: the limit is on attempts from this address, not on failures.
        using var limited = await session.SignInAttemptAsync(DemoData.SupplierUserEmail, PortalFactory.DemoPassword);
        AssertRetryAfter(limited);
    }

    [Fact]
    public async Task InvitationAcceptance_OverLimit_429WithRetryAfter()
    {
        using var portal = new PortalFactory().With("RateLimits:SignInPerMinute", "2");
        using var session = PortalSession.Anonymous(portal);

        HttpResponseMessage? last = null;
        for (var i = 0; i < 3; i++)
        {
            last?.Dispose();
            var token = await session.GetTokenAsync("/Account/Login");
            last = await session.Client.PostAsync(new Uri("/Invitations/Accept", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = token,
                ["Token"] = "guessed-token-" + i,
                ["DisplayName"] = "Guesser",
                ["Password"] = "Guessing-Passw0rd",
            }));
        }

        using (last)
        {
            AssertRetryAfter(last!);
        }
    }

    [Fact]
    public async Task Hsts_OnlyOutsideDevelopment()
    {
        var production = hosts.Production;
        var development = hosts.Development;

        using var productionResponse = await Https(production).GetAsync(new Uri("/Account/Login", UriKind.Relative));
        using var developmentResponse = await Https(development).GetAsync(new Uri("/Account/Login", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, productionResponse.StatusCode);
        Assert.StartsWith("max-age=", productionResponse.Headers.GetValues("Strict-Transport-Security").Single(), StringComparison.Ordinal);
        Assert.False(developmentResponse.Headers.Contains("Strict-Transport-Security"));
        Assert.Contains("frame-ancestors 'none'", productionResponse.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal("strict-origin-when-cross-origin", productionResponse.Headers.GetValues("Referrer-Policy").Single());
    }

    [Fact]
    public async Task Cookies_OverHttps_SecureHttpOnlyAndSameSite()
    {
        using var client = Https(hosts.Production);

        using var form = await client.GetAsync(new Uri("/Account/Login", UriKind.Relative));
        var html = await form.Content.ReadAsStringAsync();
        var token = PortalSession.Parse(html).QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        using var signedIn = await client.PostAsync(new Uri("/Account/Login", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.Email"] = DemoData.SupplierUserEmail,
            ["Input.Password"] = PortalFactory.DemoPassword,
            ["__RequestVerificationToken"] = token,
        }));

        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        var cookies = form.Headers.GetValues("Set-Cookie").Concat(signedIn.Headers.GetValues("Set-Cookie")).ToList();
        foreach (var name in new[] { "SupplierAssure.Antiforgery", "SupplierAssure.Auth" })
        {
            var cookie = cookies.FirstOrDefault(c => c.StartsWith(name + "=", StringComparison.Ordinal));
            Assert.True(cookie is not null, $"No {name} cookie in: {string.Join(" | ", cookies)}");
            var attributes = cookie.ToLowerInvariant();
            Assert.Contains("; secure", attributes, StringComparison.Ordinal);
            Assert.Contains("; httponly", attributes, StringComparison.Ordinal);
            Assert.Contains("; samesite=", attributes, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void EveryFormEndpoint_ValidatesAntiforgery_ExceptTheListedOnes()
    {
        // Razor Pages validate the token on every POST unless a page opts out; minimal endpoints that bind forms
        // validate it unless they opt out. Opting out is allowed only where no cookie authenticates the caller.
        var portal = hosts.Development;
        var allowedPages = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["/Error"] = "renders errors for any method; changes nothing",
            ["/Account/External"] = "upstream identity providers post back with form_post; the OIDC state binds the answer",
        };
        var pagesOptedOut = new List<string>();
        var endpointsOptedOut = new List<string>();
        foreach (var endpoint in portal.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var page = endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Mvc.RazorPages.PageActionDescriptor>();
            if (page is not null)
            {
                if (endpoint.Metadata.GetMetadata<IAntiforgeryPolicy>() is IgnoreAntiforgeryTokenAttribute)
                {
                    pagesOptedOut.Add(page.ViewEnginePath);
                }
            }
            else if (endpoint.Metadata.GetMetadata<IAntiforgeryMetadata>() is { RequiresValidation: false })
            {
                endpointsOptedOut.Add("/" + endpoint.RoutePattern.RawText?.TrimStart('/'));
            }
        }

        // The detection works (the known opt-outs are found), and nothing else opts out.
        Assert.Contains("/Error", pagesOptedOut);
        Assert.Contains("/connect/token", endpointsOptedOut);
        var optedOut = pagesOptedOut.Where(p => !allowedPages.ContainsKey(p)).Select(p => "page " + p)
            .Concat(endpointsOptedOut.Where(r => r != "/connect/token" && !r.StartsWith("/api/", StringComparison.Ordinal)).Select(r => "endpoint " + r))
            .ToList();
        Assert.True(optedOut.Count == 0, "Without anti-forgery: " + string.Join(", ", optedOut));
    }

    [Fact]
    public async Task Post_WithoutAntiforgeryToken_Is400AndChangesNothing()
    {
        var portal = hosts.Development;
        await portal.CreateUserAsync("admin-csrf@operator.example", Roles.Administrator);
        using var admin = await PortalSession.SignInAsync(portal, "admin-csrf@operator.example");

        using var response = await admin.Client.PostAsync(new Uri("/PartnerClients", UriKind.Relative),
            new FormUrlEncodedContent(new Dictionary<string, string> { ["Name"] = "Cross-site forgery Ltd" }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await using var db = portal.CreateDbContext();
        Assert.False(await db.PartnerOrganisations.AnyAsync(o => o.Name == "Cross-site forgery Ltd"));
    }

    [Fact]
    public async Task Logs_AtDebugLevel_HoldNoPasswordSecretOrToken()
    {
        var sink = new LogSink();
        using var portal = new LoggingPortalFactory(sink);
        portal.With("Logging:LogLevel:Default", "Debug").With("Logging:LogLevel:OpenIddict", "Debug").With("Logging:LogLevel:Microsoft.AspNetCore", "Debug");
        await portal.CreateUserAsync("admin-logs@operator.example", Roles.Administrator);

        // A sign-in with a password, a client created (its secret shown once), a token issued with that secret.
        using var admin = await PortalSession.SignInAsync(portal, "admin-logs@operator.example");
        using var organisation = await admin.PostFormAsync("/PartnerClients", new Dictionary<string, string> { ["Name"] = "Log check partner" });
        Guid organisationId;
        await using (var db = portal.CreateDbContext())
        {
            organisationId = await db.PartnerOrganisations.Where(o => o.Name == "Log check partner").Select(o => o.Id).SingleAsync();
        }

        using var created = await admin.PostFormAsync($"/PartnerClients/Create?organisationId={organisationId}", new Dictionary<string, string>
        {
            ["OrganisationId"] = organisationId.ToString(),
            ["DisplayName"] = "Log check client",
            ["Scopes"] = "partner.status.read",
            ["Authentication"] = "ClientSecret",
        }, $"/PartnerClients/Create?organisationId={organisationId}");
        var page = PortalSession.Parse(await created.Content.ReadAsStringAsync());
        var clientId = page.QuerySelector("[data-testid=client-id]")!.TextContent;
        var secret = page.QuerySelector("[data-testid=client-secret]")!.TextContent;
        using var client = portal.CreateClient();
        using var tokenResponse = await client.PostAsync(new Uri("/connect/token", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = clientId,
            ["client_secret"] = secret,
            ["scope"] = "partner.status.read",
        }));
        using var json = JsonDocument.Parse(await tokenResponse.Content.ReadAsStringAsync());
        var accessToken = json.RootElement.GetProperty("access_token").GetString()!;

        var lines = sink.Lines.ToArray();
        Assert.True(lines.Length > 20, $"Only {lines.Length} log lines: is Debug logging reaching the sink?");
        Assert.Contains(lines, l => l.Contains(clientId, StringComparison.Ordinal)); // the client is named, its secret is not
        foreach (var secretValue in new[] { PortalFactory.DemoPassword, secret, accessToken, accessToken.Split('.')[2] })
        {
            Assert.DoesNotContain(lines, l => l.Contains(secretValue, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task VerifyAuditChainCommand_IntactThenEdited_ExitCodeAndFirstEditedEntry()
    {
        using var portal = new PortalFactory();
        var log = portal.Services.GetRequiredService<AuditLog>();
        for (var i = 0; i < 3; i++)
        {
            await log.AppendAsync(new AuditRecord("test.event", null, "tester", Details: $"event {i}"), CancellationToken.None);
        }

        using var intact = new StringWriter();
        Assert.Equal(0, await VerifyAuditChainCommand.RunAsync(portal.Services, intact, CancellationToken.None));
        Assert.Contains("intact: 3 entries", intact.ToString(), StringComparison.Ordinal);

        await using (var db = portal.CreateDbContext())
        {
            await db.Set<AuditEntry>().Where(e => e.Sequence == 2).ExecuteUpdateAsync(s => s.SetProperty(e => e.Actor, "someone else"));
        }

        using var broken = new StringWriter();
        Assert.Equal(1, await VerifyAuditChainCommand.RunAsync(portal.Services, broken, CancellationToken.None));
        Assert.Contains("BROKEN at entry 2", broken.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyAuditChainCommand_FromTheCommandLine_ReportsOnTheDataDirectory()
    {
        // The real entry point, as an operator runs it: the Portal's own assembly with the command as its argument.
        using var portal = new PortalFactory();
        var log = portal.Services.GetRequiredService<AuditLog>();
        await log.AppendAsync(new AuditRecord("test.event", null, "tester"), CancellationToken.None);
        await log.AppendAsync(new AuditRecord("test.event", null, "tester"), CancellationToken.None);
        await using (var db = portal.CreateDbContext())
        {
            await db.Set<AuditEntry>().Where(e => e.Sequence == 1).ExecuteDeleteAsync();
        }

        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { Path.Combine(AppContext.BaseDirectory, "SupplierAssure.Portal.dll"), VerifyAuditChainCommand.Name },
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                ["ASPNETCORE_ENVIRONMENT"] = "Development",
                ["SupplierAssure__DataDirectory"] = portal.DataDirectory,
                ["Logging__LogLevel__Default"] = "Warning",
                ["Workflows__Enabled"] = "false",
            },
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);

        Assert.True(process.ExitCode == 1, $"exit {process.ExitCode}\n{await output}\n{await error}");
        Assert.Contains("BROKEN at entry 1", await output, StringComparison.Ordinal);
    }

    private static HttpClient Https(PortalFactory portal) =>
        portal.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://portal.example/"), AllowAutoRedirect = false, HandleCookies = true });

    private static void AssertRetryAfter(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        var retryAfter = response.Headers.RetryAfter?.Delta;
        Assert.True(retryAfter is { } wait && wait > TimeSpan.Zero && wait <= TimeSpan.FromMinutes(1), $"Retry-After: {response.Headers.RetryAfter}");
    }

    /// <summary>A Portal whose log goes (also) to <paramref name="sink"/>.</summary>
    private sealed class LoggingPortalFactory(ILoggerProvider sink) : PortalFactory
    {
        protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(s => s.AddSingleton(sink));
        }
    }

    private sealed class LogSink : ILoggerProvider
    {
        public ConcurrentQueue<string> Lines { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, Lines);

        public void Dispose()
        {
        }

        private sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                // The rendered message and every structured value, which a JSON log would write out too.
                var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(' ', pairs.Select(p => $"{p.Key}={p.Value}")) : string.Empty;
                lines.Enqueue($"{category}: {formatter(state, exception)} {values} {exception}");
            }
        }
    }
}

/// <summary>A production-mode and a development-mode Portal, each started on first use and shared by a class's tests.</summary>
public sealed class HardeningHosts : IDisposable
{
    public ProductionPortalFactory Production { get; } = new();

    public PortalFactory Development { get; } = new();

    public void Dispose()
    {
        Production.Dispose();
        Development.Dispose();
    }
}
