using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using SupplierAssure.PartnerGateway.Auth;

namespace SupplierAssure.PartnerGateway.Tests;

public sealed class ConfigurePartnerJwtBearerTests
{
    [Theory]
    [InlineData("https://portal.example.com/", true)]
    [InlineData("http://portal.example.com/", true)] // plain HTTP off loopback still requires HTTPS metadata: startup fails
    [InlineData("http://10.0.0.5:5080/", true)]
    [InlineData("http://127.0.0.1:5080/", false)]
    [InlineData("http://localhost/", false)]
    [InlineData("http://[::1]:5080/", false)]
    public void Configure_Authority_RequiresHttpsMetadataUnlessLoopbackHttp(string authority, bool requireHttps)
    {
        var options = Configure(new PartnerGatewayOptions { Authority = authority });

        Assert.Equal(requireHttps, options.RequireHttpsMetadata);
        Assert.Equal(authority, options.Authority);
    }

    [Fact]
    public void Configure_Defaults_ValidateIssuerAudienceLifetimeAndSignature()
    {
        var options = Configure(new PartnerGatewayOptions());
        var validation = options.TokenValidationParameters;

        Assert.True(validation.ValidateIssuer);
        Assert.True(validation.ValidateAudience);
        Assert.Equal("supplierassure-partner-gateway", validation.ValidAudience);
        Assert.True(validation.ValidateLifetime);
        Assert.True(validation.RequireExpirationTime);
        Assert.True(validation.RequireSignedTokens);
        Assert.True(validation.ValidateIssuerSigningKey);
        Assert.Equal(["at+jwt"], validation.ValidTypes);
        Assert.True(options.RefreshOnIssuerKeyNotFound);
        Assert.False(options.MapInboundClaims);
        Assert.Equal("http://127.0.0.1:5080/", options.Authority);
    }

    [Theory]
    [InlineData(10_000, true)]
    [InlineData(0, false)]
    public void Configure_TokenCacheSize_WrapsTheTokenHandlersUnlessZero(int size, bool wrapped)
    {
        var gateway = new PartnerGatewayOptions { TokenCacheSize = size };
        using var cache = new PartnerTokenCache(Options.Create(gateway), TimeProvider.System);
        var options = new JwtBearerOptions();

        new ConfigurePartnerJwtBearer(Options.Create(gateway), cache).Configure(JwtBearerDefaults.AuthenticationScheme, options);

        Assert.NotEmpty(options.TokenHandlers);
        Assert.All(options.TokenHandlers, handler => Assert.Equal(wrapped, handler is CachingTokenHandler));
    }

    private static JwtBearerOptions Configure(PartnerGatewayOptions gateway)
    {
        var options = new JwtBearerOptions();
        new ConfigurePartnerJwtBearer(Options.Create(gateway)).Configure(JwtBearerDefaults.AuthenticationScheme, options);
        return options;
    }
}
