using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Demo;
using SupplierAssure.Core.Identity;
using SupplierAssure.Portal;

namespace SupplierAssure.TestSupport;

/// <summary>
/// The Portal on the test server (or on real Kestrel for browser tests) in demo mode, on its own SQLite database
/// and evidence folder in a fresh temporary data directory.
/// </summary>
public class PortalFactory : WebApplicationFactory<PortalApp>
{
    public const string DemoPassword = "Demo-Passw0rd!";
    public const string PartnerSecret = "demo-partner-secret";
    public const string Issuer = "http://localhost/";

    private readonly Dictionary<string, string?> _settings = new(StringComparer.Ordinal);

    /// <summary>The folder holding this host's SQLite file and evidence; set it to share one with another host.</summary>
    public string DataDirectory { get; init; } = TestPaths.NewDataDirectory();

    /// <summary>False to keep the database and evidence for a host started after this one (restart tests).</summary>
    public bool DeleteDataOnDispose { get; init; } = true;

    /// <summary>
    /// True (the default) to start from a copy of a database this test process migrated and seeded once
    /// (<see cref="SeededTemplate"/>) instead of migrating and seeding a new one; the host still runs its own
    /// migration and seed steps, which find nothing to do. Used only when the data directory is new and every extra
    /// setting is one that cannot change what the seed writes; false to see the first start itself.
    /// </summary>
    public bool StartFromSeededTemplate { get; init; } = true;

    /// <summary>Extra configuration for this host (set before the first client is created).</summary>
    public PortalFactory With(string key, string? value)
    {
        _settings[key] = value;
        return this;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseEnvironment("Development");
        builder.UseSetting("SupplierAssure:DataDirectory", DataDirectory);
        builder.UseSetting("Identity:Issuer", Issuer);
        builder.UseSetting("Workflows:PollInterval", "00:00:00.100");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        if (StartFromSeededTemplate && GetType() == typeof(PortalFactory) && _settings.Keys.All(SeededTemplate.CannotChangeTheSeed))
        {
            SeededTemplate.CopyTo(DataDirectory);
        }
    }

    /// <summary>A context on the same database with system scope, for arranging and asserting.</summary>
    public SupplierAssureDbContext CreateDbContext() =>
        Services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<SupplierAssureDbContext>>().CreateDbContext();

    /// <summary>Polls the database until the assessment meets <paramref name="condition"/> (the workflow runs in the background); fails after 30 s.</summary>
    public async Task<SupplierAssure.Core.Assessments.Assessment> WaitForAssessmentAsync(Guid assessmentId, Func<SupplierAssure.Core.Assessments.Assessment, bool> condition)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            await using var db = CreateDbContext();
            var assessment = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(
                Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.AsNoTracking(db.Assessments), a => a.Id == assessmentId);
            if (condition(assessment))
            {
                return assessment;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Assessment {assessmentId} stayed {assessment.State} for 30 s.");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>Polls the workflow store until the instance reaches <paramref name="status"/> (30 s at most).</summary>
    public async Task WaitForWorkflowAsync(Guid instanceId, WorkflowCore.Models.WorkflowStatus status)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            await using var db = CreateDbContext();
            var current = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(
                Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.AsNoTracking(db.Set<SupplierAssure.Core.WorkflowStore.PersistedWorkflow>()),
                w => w.Id == instanceId);
            if (current.Status == (int)status)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Workflow {instanceId} stayed in status {current.Status} for 30 s; expected {status}.");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>Client credentials against the real /connect/token.</summary>
    public async Task<string> GetPartnerTokenAsync(string scope = "partner.status.read", string clientId = DemoData.PartnerClientId, string secret = PartnerSecret)
    {
        using var client = CreateClient();
        using var response = await client.PostAsync(new Uri("/connect/token", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = clientId,
            ["client_secret"] = secret,
            ["scope"] = scope,
        }));
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"Token request failed ({(int)response.StatusCode}): {body}");
        }

        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("access_token").GetString()!;
    }

    /// <summary>
    /// Adds a confirmed local account with <paramref name="role"/> (none when null) in <paramref name="supplierId"/>'s
    /// organisation (operator staff when null), signing in with <see cref="DemoPassword"/>. Test-only seeding.
    /// </summary>
    public async Task<Guid> CreateUserAsync(string email, string? role, Guid? supplierId = null)
    {
        await using var scope = Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = new ApplicationUser
        {
            Id = Guid.NewGuid(),
            UserName = email,
            Email = email,
            EmailConfirmed = true,
            DisplayName = email,
            SupplierId = supplierId,
        };
        var created = await users.CreateAsync(user, DemoPassword);
        if (!created.Succeeded)
        {
            throw new InvalidOperationException($"Creating {email} failed: {string.Join("; ", created.Errors.Select(e => e.Description))}");
        }

        if (role is not null)
        {
            var added = await users.AddToRoleAsync(user, role);
            if (!added.Succeeded)
            {
                throw new InvalidOperationException($"Adding {email} to {role} failed.");
            }
        }

        return user.Id;
    }

    /// <summary>Messages the Portal wrote to its pickup folder (no SMTP server is configured in tests), oldest first.</summary>
    public IReadOnlyList<(string To, string Subject, string Text)> SentMail()
    {
        var folder = Path.Combine(DataDirectory, "mail-pickup");
        if (!Directory.Exists(folder))
        {
            return [];
        }

        return [.. Directory.EnumerateFiles(folder, "*.eml").Order(StringComparer.Ordinal).Select(file =>
        {
            using var message = MimeKit.MimeMessage.Load(file);
            return (message.To.Mailboxes.Single().Address, message.Subject ?? string.Empty, message.TextBody ?? string.Empty);
        })];
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && DeleteDataOnDispose)
        {
            TestPaths.TryDelete(DataDirectory);
        }
    }
}

public static class TestPaths
{
    public static string NewDataDirectory()
    {
        return Path.Combine(Path.GetTempPath(), "supplierassure-tests", Guid.NewGuid().ToString("N"));
    }

    /// <summary>Best effort: SQLite may still hold the file on a slow shutdown; the OS temp cleaner takes the rest.</summary>
    public static void TryDelete(string path)
    {
        try
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
        }
        catch (IOException)
        {
            // Leaving a temp folder behind is harmless; failing a passed test over it would not be.
        }
        catch (UnauthorizedAccessException)
        {
            // Same as above.
        }
    }
}
