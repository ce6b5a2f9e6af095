using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using SupplierAssure.Portal.Identity;
using SupplierAssure.ServiceDefaults;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace SupplierAssure.Portal.Api;

/// <summary>
/// Makes sure the API scope exists (with the API as its audience) and, in demo mode, a demo procurement-system
/// client. Idempotent: it looks before it creates, and a concurrent instance that created the same row first wins.
/// </summary>
internal sealed class ApiClientRegistration(IServiceScopeFactory scopes, IOptions<DemoOptions> demo, IOptions<DatabaseOptions> database) : IHostedService
{
    public const string DemoClientId = "demo-procurement-system";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var scopeManager = scope.ServiceProvider.GetRequiredService<IOpenIddictScopeManager>();
        await CreateOnceAsync(
            async () => await scopeManager.FindByNameAsync(ApiScopes.ProcurementRead, cancellationToken) is not null,
            () => scopeManager.CreateAsync(new OpenIddictScopeDescriptor { Name = ApiScopes.ProcurementRead, Resources = { ApiScopes.Audience } }, cancellationToken).AsTask());
        await CreateOnceAsync(
            async () => await scopeManager.FindByNameAsync(ApiScopes.ProcurementWrite, cancellationToken) is not null,
            () => scopeManager.CreateAsync(new OpenIddictScopeDescriptor { Name = ApiScopes.ProcurementWrite, Resources = { ApiScopes.Audience } }, cancellationToken).AsTask());

        if (!demo.Value.Enabled || !database.Value.SeedDemoData || string.IsNullOrWhiteSpace(demo.Value.PartnerClientSecret))
        {
            return;
        }

        var applications = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
        await CreateOnceAsync(
            async () => await applications.FindByClientIdAsync(DemoClientId, cancellationToken) is not null,
            () => applications.CreateAsync(new OpenIddictApplicationDescriptor
            {
                ClientId = DemoClientId,
                // Note: demo mode only; the demo procurement system shares the demo partner's configured secret.
                ClientSecret = demo.Value.PartnerClientSecret,
                ClientType = ClientTypes.Confidential,
                DisplayName = "Demo procurement system",
                Permissions =
                {
                    Permissions.Endpoints.Token,
                    Permissions.GrantTypes.ClientCredentials,
                    Permissions.Prefixes.Scope + ApiScopes.ProcurementRead,
                    // Note: the demo client may also issue questionnaires; a client registered before this scope existed
                    // keeps its old permissions (delete the demo .data folder to get it).
                    Permissions.Prefixes.Scope + ApiScopes.ProcurementWrite,
                },
            }, cancellationToken).AsTask());
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static async Task CreateOnceAsync(Func<Task<bool>> exists, Func<Task> create)
    {
        if (await exists())
        {
            return;
        }

        try
        {
            await create();
        }
        catch (DbUpdateException)
        {
            // Another Portal instance may have created the same row between our look and our insert; then the goal
            // is met. If the row is still missing the failure was something else and must surface.
            if (!await exists())
            {
                throw;
            }
        }
    }
}
