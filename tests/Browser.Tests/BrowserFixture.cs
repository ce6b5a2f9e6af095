using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using SupplierAssure.TestSupport;

namespace SupplierAssure.Browser.Tests;

/// <summary>The Portal on real Kestrel (loopback, free port) and Debian's Chromium driven by Playwright.</summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    public PortalFactory Portal { get; } = new();
    public Uri BaseAddress { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;

    // One Playwright driver and one Chromium for the whole test process (each fixture launched its own: about 2 s of
    // CPU each); every test opens its own browser context, so cookies and storage never cross between tests or Portals.
    private static readonly Lazy<Task<IBrowser>> SharedChromium = new(LaunchChromiumAsync, LazyThreadSafetyMode.ExecutionAndPublication);

    // The cookies of each user signed in through the form, kept for this Portal's lifetime (its keys sign them).
    private readonly ConcurrentDictionary<string, Lazy<Task<string>>> _signedIn = new(StringComparer.Ordinal);

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"{ChromiumPath} is missing: install Debian's chromium (`apt-get install -y chromium`); .ci/run does this.");
        }

        Portal.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        Portal.StartServer();
        var address = Portal.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address);

        Browser = await SharedChromium.Value;
    }

    /// <summary>
    /// A new browser context signed in as <paramref name="email"/> (password <see cref="PortalFactory.DemoPassword"/>):
    /// through the sign-in form the first time, from the kept cookies after that, instead of hashing the password again
    /// for every page a test opens (seconds each on a loaded machine).
    /// </summary>
    public async Task<IBrowserContext> SignedInContextAsync(string email)
    {
        var state = await _signedIn.GetOrAdd(email, e => new Lazy<Task<string>>(() => SignInThroughTheFormAsync(e))).Value;
        return await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = BaseAddress.ToString(), StorageState = state });
    }

    private async Task<string> SignInThroughTheFormAsync(string email)
    {
        await using var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = BaseAddress.ToString() });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/Account/Login");
        await page.GetByLabel("E-mail address").FillAsync(email);
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
        await page.GetByLabel("Password").FillAsync(PortalFactory.DemoPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        // The page after a sign-in names the user; waiting for it (not for a URL and its load event) is what a person sees.
        await Assertions.Expect(page.GetByTestId("signed-in-as")).ToBeVisibleAsync();
        return await context.StorageStateAsync();
    }

    public async Task DisposeAsync() => await Portal.DisposeAsync();

    private static async Task<IBrowser> LaunchChromiumAsync()
    {
        var playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            // Root in a container cannot use Chromium's sandbox; the browser only ever opens our loopback server.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            // Bounded: a test host that is being torn down must not hang on a driver that is already gone.
            _ = browser.CloseAsync().Wait(TimeSpan.FromSeconds(5));
            playwright.Dispose();
        };
        return browser;
    }
}
