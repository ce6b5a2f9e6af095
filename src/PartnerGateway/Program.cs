using SupplierAssure.PartnerGateway.Extensions;
using SupplierAssure.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddPartnerAuthentication();
builder.AddPartnerExchange();

var app = builder.Build();

app.UseAuthentication();
app.UseAuthorization();
app.MapDefaultEndpoints();
app.MapPartnerExchange();

await app.Services.InitialiseDatabaseAsync();
app.Run();
