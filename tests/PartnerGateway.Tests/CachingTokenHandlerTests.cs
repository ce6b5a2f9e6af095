using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using SupplierAssure.PartnerGateway.Auth;

namespace SupplierAssure.PartnerGateway.Tests;

/// <summary>
/// The gateway's memory of valid access tokens: a token found valid is not checked again until it expires, and
/// nothing invalid is ever remembered. Real RSA-signed JWTs through the real JsonWebTokenHandler.
/// </summary>
public sealed class CachingTokenHandlerTests : IDisposable
{
    private const string Issuer = "https://portal.example/";
    private const string Audience = "supplierassure-partner-gateway";
    private static readonly TimeSpan Skew = TimeSpan.FromMinutes(1);

    private readonly RSA _rsa = RSA.Create(2048);
    private readonly RsaSecurityKey _key;
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = 100 });
    private readonly CountingHandler _inner = new();
    private readonly CachingTokenHandler _handler;

    public CachingTokenHandlerTests()
    {
        _key = new RsaSecurityKey(_rsa) { KeyId = "test-key" };
        _handler = new CachingTokenHandler(_inner, _cache, _clock);
    }

    public void Dispose()
    {
        _cache.Dispose();
        _rsa.Dispose();
    }

    [Fact]
    public async Task ValidToken_SecondCallFromMemory_EachCallGetsItsOwnClaims()
    {
        var token = CreateToken(_clock.GetUtcNow().AddMinutes(5));

        var first = await _handler.ValidateTokenAsync(token, Parameters());
        var second = await _handler.ValidateTokenAsync(token, Parameters());

        Assert.True(first.IsValid);
        Assert.True(second.IsValid);
        Assert.Equal(1, _inner.Calls);
        Assert.NotSame(first.ClaimsIdentity, second.ClaimsIdentity);
        Assert.Equal("acme-logistics", second.ClaimsIdentity.FindFirst("client_id")?.Value);
        Assert.Equal(first.SecurityToken.ValidTo, second.SecurityToken.ValidTo);
    }

    [Fact]
    public async Task RememberedToken_AfterExpiryPlusSkew_ValidatedInFullAgain()
    {
        var token = CreateToken(_clock.GetUtcNow().AddMinutes(5));
        Assert.True((await _handler.ValidateTokenAsync(token, Parameters())).IsValid);

        _clock.Advance(TimeSpan.FromMinutes(5) + Skew - TimeSpan.FromSeconds(5));
        Assert.True((await _handler.ValidateTokenAsync(token, Parameters())).IsValid);
        Assert.Equal(1, _inner.Calls); // still inside expiry + skew: from memory

        _clock.Advance(TimeSpan.FromSeconds(6));
        await _handler.ValidateTokenAsync(token, Parameters());
        Assert.Equal(2, _inner.Calls); // past it: the real handler decides again
    }

    [Fact]
    public async Task ValidationWithoutSkew_RememberedOnlyUntilTheExpiryItself()
    {
        var token = CreateToken(_clock.GetUtcNow().AddMinutes(5));
        var noSkew = Parameters();
        noSkew.ClockSkew = TimeSpan.Zero;
        Assert.True((await _handler.ValidateTokenAsync(token, noSkew)).IsValid);

        _clock.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));
        await _handler.ValidateTokenAsync(token, noSkew);

        Assert.Equal(2, _inner.Calls); // the one-minute skew of other settings does not stretch it
    }

    [Fact]
    public async Task InvalidToken_NeverRemembered()
    {
        var wrongAudience = CreateToken(_clock.GetUtcNow().AddMinutes(5), audience: "another-api");

        Assert.False((await _handler.ValidateTokenAsync(wrongAudience, Parameters())).IsValid);
        Assert.False((await _handler.ValidateTokenAsync(wrongAudience, Parameters())).IsValid);
        Assert.Equal(2, _inner.Calls);
    }

    [Fact]
    public async Task TamperedCopyOfARememberedToken_Rejected()
    {
        var token = CreateToken(_clock.GetUtcNow().AddMinutes(5));
        Assert.True((await _handler.ValidateTokenAsync(token, Parameters())).IsValid);
        var parts = token.Split('.');
        var payload = Base64UrlEncoder.Decode(parts[1]).Replace("acme-logistics", "evil-partner", StringComparison.Ordinal);
        var tampered = string.Join('.', parts[0], Base64UrlEncoder.Encode(payload), parts[2]);

        var result = await _handler.ValidateTokenAsync(tampered, Parameters());

        Assert.False(result.IsValid);
        Assert.Equal(2, _inner.Calls);
    }

    private TokenValidationParameters Parameters() => new()
    {
        ValidIssuer = Issuer,
        ValidAudience = Audience,
        IssuerSigningKey = _key,
        ValidateLifetime = true,
        RequireExpirationTime = true,
        ClockSkew = Skew,
    };

    private string CreateToken(DateTimeOffset expires, string audience = Audience) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = Issuer,
        Audience = audience,
        IssuedAt = _clock.GetUtcNow().UtcDateTime,
        NotBefore = _clock.GetUtcNow().UtcDateTime,
        Expires = expires.UtcDateTime,
        Subject = new ClaimsIdentity([new Claim("client_id", "acme-logistics"), new Claim("scope", "partner.status.read")]),
        SigningCredentials = new SigningCredentials(_key, SecurityAlgorithms.RsaSha256),
    });

    private sealed class CountingHandler : TokenHandler
    {
        private readonly JsonWebTokenHandler _real = new() { MapInboundClaims = false };

        public int Calls { get; private set; }

        public override Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
        {
            Calls++;
            return _real.ValidateTokenAsync(token, validationParameters);
        }
    }
}
