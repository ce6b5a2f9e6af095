using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using SupplierAssure.Core.Identity;
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
    public const string DemoRiskClientId = "demo-risk-signoff-system";

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

        await CreateOnceAsync(
            async () => await scopeManager.FindByNameAsync(ApiScopes.RiskSignOff, cancellationToken) is not null,
            () => scopeManager.CreateAsync(new OpenIddictScopeDescriptor { Name = ApiScopes.RiskSignOff, Resources = { ApiScopes.Audience } }, cancellationToken).AsTask());

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

        // The demo risk owner's system: signs off residual risk through the API for that one person (who must keep the
        // risk-owner role; RiskAcceptanceApi checks on every call).
        var riskOwner = await scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>().FindByEmailAsync(IdentitySeeder.DemoRiskOwnerEmail);
        if (riskOwner is null)
        {
            return;
        }

        await CreateOnceAsync(
            async () => await applications.FindByClientIdAsync(DemoRiskClientId, cancellationToken) is not null,
            () => applications.CreateAsync(new OpenIddictApplicationDescriptor
            {
                ClientId = DemoRiskClientId,
                // Note: demo mode only, like the demo procurement system: the demo partner's configured secret.
                ClientSecret = demo.Value.PartnerClientSecret,
                ClientType = ClientTypes.Confidential,
                DisplayName = "Demo risk owner's system (Dana Whitfield)",
                Permissions =
                {
                    Permissions.Endpoints.Token,
                    Permissions.GrantTypes.ClientCredentials,
                    Permissions.Prefixes.Scope + ApiScopes.RiskSignOff,
                },
                Properties = { [RiskAcceptanceApi.RiskOwnerProperty] = JsonSerializer.SerializeToElement(riskOwner.Id.ToString("D")) },
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
