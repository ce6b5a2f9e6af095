using SupplierAssure.PartnerGateway.Extensions;
using SupplierAssure.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddPartnerAuthentication();
builder.AddPartnerExchange();

var app = builder.Build();

app.UseAuthentication();
// After authentication, so each partner's calls are counted against its own client id.
app.UseRateLimiter();
app.UseAuthorization();
app.MapDefaultEndpoints();
app.MapPartnerExchange();

await app.Services.InitialiseDatabaseAsync();
app.Run();
