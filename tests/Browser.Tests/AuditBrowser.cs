using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;
using SupplierAssure.Core.Demo;
using SupplierAssure.Core.SecondPartyAudits;
using SupplierAssure.TestSupport;

namespace SupplierAssure.Browser.Tests;

/// <summary>
/// One Portal and one Chromium (<see cref="BrowserFixture"/>) for the audit journeys, with the three demo users signed
/// in once through the sign-in form: each test opens pages in fresh contexts carrying that user's cookies, instead of
/// hashing the password again for every page it opens (several seconds each on a loaded machine).
/// </summary>
public sealed class AuditJourneyFixture : IAsyncLifetime
{
    public BrowserFixture Browser { get; } = new();

    public PortalFactory Portal => Browser.Portal;

    public async Task InitializeAsync()
    {
        await Browser.InitializeAsync();
        // One after the other: each sign-in appends to the hash-chained audit log, where concurrent appends collide and
        // are retried (with failed INSERTs in the log that would read like faults).
        string[] users = [DemoAudit.AuditorUserEmail, DemoData.SupplierUserEmail, DemoData.ProcurementUserEmail];
        foreach (var email in users)
        {
            await using var context = await Browser.SignedInContextAsync(email);
        }
    }

    /// <summary>A new browser context signed in as <paramref name="email"/> (one of the three demo users).</summary>
    public Task<IBrowserContext> SignedInContextAsync(string email) => Browser.SignedInContextAsync(email);

    /// <summary>
    /// A new browser context signed in as <paramref name="email"/>, a user a test created: signed in through the form
    /// the first time, from the kept cookies after that.
    /// </summary>
    public Task<IBrowserContext> SignInOnceAsync(string email) => Browser.SignedInContextAsync(email);

    public Task DisposeAsync() => Browser.DisposeAsync();
}

/// <summary>
/// The audit journey classes share one <see cref="AuditJourneyFixture"/> (one Portal, one Chromium, the sign-ins) and
/// run one after the other; each test makes its own audits and keeps its visits in weeks of its own.
/// </summary>
[CollectionDefinition(Name)]
public sealed class AuditJourneyCollection : ICollectionFixture<AuditJourneyFixture>
{
    public const string Name = "Audit journeys";
}

/// <summary>
/// What the audit journeys do in more than one place: the dates the forms take, a small file to upload, and the
/// axe-core scan of the page in view (serious or critical WCAG 2.x A/AA violations).
/// </summary>
internal static class AuditBrowser
{
    private static readonly Lazy<string> Axe = new(ReadAxe);

    /// <summary>Midnight UTC today plus <paramref name="days"/> and <paramref name="hour"/> hours.</summary>
    public static DateTimeOffset At(int days, int hour) => new(DateTime.UtcNow.Date.AddDays(days).AddHours(hour), TimeSpan.Zero);

    /// <summary>As a datetime-local input takes it (the audit pages read those as UTC).</summary>
    public static string Local(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture);

    public static string Day(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>A minimal PDF in a temporary file named after <paramref name="stem"/>; the caller deletes it.</summary>
    public static async Task<string> PdfFileAsync(string stem, string note)
    {
        var path = Path.Combine(Path.GetTempPath(), $"{stem}-{Guid.NewGuid():N}.pdf");
        await File.WriteAllTextAsync(path, $"%PDF-1.7\n% {note}\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");
        return path;
    }

    /// <summary>
    /// Runs axe-core on the page in view and fails with each serious or critical violation (rule, help, elements).
    /// axe is evaluated through the DevTools protocol, which the page's content security policy does not govern.
    /// </summary>
    public static async Task AssertAccessibleAsync(IPage page)
    {
        await page.EvaluateAsync(Axe.Value);
        var json = await page.EvaluateAsync<string>("""
            async () => JSON.stringify((await axe.run(document, {
                runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
                resultTypes: ['violations'],
            })).violations.map(v => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map(n => n.target.join(' ')) })))
            """);
        var blocking = JsonSerializer.Deserialize<List<AxeViolation>>(json, new JsonSerializerOptions(JsonSerializerDefaults.Web))!
            .Where(v => v.Impact is "serious" or "critical")
            .ToList();
        Assert.True(blocking.Count == 0, $"{new Uri(page.Url).PathAndQuery}: " + string.Join("; ", blocking.Select(v => $"{v.Impact} {v.Id} ({v.Help}) at {string.Join(", ", v.Targets.Take(5))}")));
    }

    private static string ReadAxe()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var file = Path.Combine(dir.FullName, "tests", "Browser.Tests", "node_modules", "axe-core", "axe.min.js");
            if (File.Exists(file))
            {
                return File.ReadAllText(file);
            }
        }

        throw new InvalidOperationException("axe-core is missing: scripts/test.sh installs it (npm install --no-save --prefix tests/Browser.Tests axe-core@4.14.1).");
    }

    private sealed record AxeViolation(string Id, string? Impact, string Help, IReadOnlyList<string> Targets);
}
