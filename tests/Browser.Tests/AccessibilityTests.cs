using System.Text.Json;
using Microsoft.Playwright;
using SupplierAssure.Core.Demo;
using SupplierAssure.TestSupport;

namespace SupplierAssure.Browser.Tests;

/// <summary>
/// axe-core (from npm, installed by scripts/test.sh into tests/Browser.Tests/node_modules) scans the main pages in
/// Chromium against WCAG 2.x A and AA rules; any serious or critical violation fails the test with its rule and elements.
/// </summary>
public sealed class AccessibilityTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private static readonly Lazy<string> AxeSource = new(LoadAxe);

    public static TheoryData<string, string> Pages() => new()
    {
        { "", "/Account/Login" },
        { DemoData.ProcurementUserEmail, "/Suppliers" },
        { DemoData.ProcurementUserEmail, $"/Suppliers/{DemoData.MeridianSupplierId}" },
        { DemoData.ProcurementUserEmail, "/Dashboard" },
        { DemoData.ProcurementUserEmail, "/Suppliers/Import" },
        { DemoData.ProcurementUserEmail, "/Suppliers/Onboard" },
        { DemoData.ProcurementUserEmail, $"/Suppliers/{DemoData.OakridgeSupplierId}/Sites" },
        { DemoData.SupplierUserEmail, "/Organisation/Sites" },
        { DemoData.SupplierUserEmail, $"/Assessments/{DemoData.MeridianAssessmentId}" },
    };

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task Page_HasNoSeriousOrCriticalAxeViolation(string user, string path)
    {
        await using var context = user.Length > 0
            ? await fixture.SignedInContextAsync(user)
            : await fixture.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = fixture.BaseAddress.ToString() });
        var page = await context.NewPageAsync();
        var response = await page.GotoAsync(path);
        Assert.True(response is { Ok: true }, $"{path} answered {response?.Status}");
        Assert.EndsWith(path, new Uri(page.Url).AbsolutePath, StringComparison.Ordinal);

        var blocking = await SeriousViolationsAsync(page);
        Assert.True(blocking.Count == 0, $"{path}: " + string.Join("; ", blocking.Select(v => $"{v.Impact} {v.Id} ({v.Help}) at {string.Join(", ", v.Targets.Take(5))}")));
    }

    /// <summary>The scan itself works: a page with known faults reports them as serious or critical.</summary>
    [Fact]
    public async Task Scan_PageWithKnownFaults_ReportsThem()
    {
        await using var context = await fixture.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.SetContentAsync("""<html lang="en"><head><title>t</title></head><body><main><img src="x.png"><a href="/x"></a></main></body></html>""");
        var found = (await SeriousViolationsAsync(page)).Select(v => v.Id).ToList();
        Assert.Contains("image-alt", found);
        Assert.Contains("link-name", found);
    }

    /// <summary>The serious and critical violations on the page as it is now (other tests scan pages mid-journey with it).</summary>
    internal static async Task<List<Violation>> SeriousViolationsAsync(IPage page)
    {
        // Evaluated through the DevTools protocol, which the page's CSP (script-src 'self') does not govern; no
        // script tag is added to the page.
        await page.EvaluateAsync(AxeSource.Value);
        var json = await page.EvaluateAsync<string>("""
            async () => JSON.stringify((await axe.run(document, {
                runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
                resultTypes: ['violations'],
            })).violations.map(v => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map(n => n.target.join(' ')) })))
            """);
        var violations = JsonSerializer.Deserialize<List<Violation>>(json, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
        return [.. violations.Where(v => v.Impact is "serious" or "critical")];
    }

    // Here for the browser this class already starts: the API reference (Scalar) must render under the content security
    // policy, which pins its one inline script by hash instead of allowing inline script.
    [Fact]
    public async Task ApiReference_RendersTheOperationsWithoutPolicyViolations()
    {
        await using var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = fixture.BaseAddress.ToString() });
        var page = await context.NewPageAsync();
        var refused = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                refused.Add(message.Text);
            }
        };

        var response = await page.GotoAsync("/api/docs/v1");
        Assert.True(response is { Ok: true }, $"/api/docs/v1 answered {response?.Status}");
        Assert.Contains("'sha256-", response!.Headers["content-security-policy"], StringComparison.Ordinal);
        // The operations come from the OpenAPI document the page fetched: open the Suppliers group and find one.
        await page.GetByText("Suppliers", new PageGetByTextOptions { Exact = true }).First.ClickAsync(new LocatorClickOptions { Timeout = 20_000 });
        await page.GetByText("The supplier portfolio, filtered, sorted and paged").First.WaitForAsync(new LocatorWaitForOptions { Timeout = 20_000 });
        Assert.Empty(refused);
    }

    private static string LoadAxe()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "Browser.Tests", "node_modules", "axe-core", "axe.min.js");
            if (File.Exists(candidate))
            {
                return File.ReadAllText(candidate);
            }
        }

        throw new InvalidOperationException("axe-core is missing: scripts/test.sh installs it (npm install --no-save --prefix tests/Browser.Tests axe-core@4.14.1).");
    }

    internal sealed record Violation(string Id, string? Impact, string Help, IReadOnlyList<string> Targets);
}
