using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.IdentityModel.Tokens;

namespace SupplierAssure.PartnerGateway.Auth;

/// <summary>
/// Wraps the JWT handler JwtBearer uses and remembers which access tokens it has already found valid, keyed by the
/// SHA-256 of the token, until the token's own expiry (plus the allowed clock skew). A partner sends the same token
/// with every call until it expires, and checking its RSA signature and claims again was ~7-10% of a status
/// look-up's CPU time (docs/performance.md). Only valid results are kept: an invalid, expired, tampered or unknown
/// token is always validated in full, so failures (and the key-refresh on an unknown "kid") behave as before.
/// </summary>
// Note: a remembered token is accepted until its own expiry even if the Portal stopped publishing its signing key
// in the meantime. That is no wider than before: the gateway validates tokens locally (no introspection, so a token
// the Portal revokes stays usable until it expires anyway, DESIGN.md §8 asks for issuer and audience checks, not
// revocation), and JwtBearer only re-reads the Portal's keys every 12 hours or on an unknown key id, so a withdrawn
// key was already trusted for that long. Each request gets its own copy of the claims, never a shared identity.
internal sealed class CachingTokenHandler(TokenHandler inner, IMemoryCache cache, TimeProvider clock) : TokenHandler
{
    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(validationParameters);
        var key = new TokenKey(token);
        var now = clock.GetUtcNow();
        if (cache.TryGetValue(key, out Remembered? remembered) && remembered is not null)
        {
            if (now < remembered.ValidUntil)
            {
                return new TokenValidationResult
                {
                    IsValid = true,
                    SecurityToken = remembered.Result.SecurityToken,
                    ClaimsIdentity = remembered.Result.ClaimsIdentity.Clone(),
                    Issuer = remembered.Result.Issuer,
                    TokenType = remembered.Result.TokenType,
                };
            }

            cache.Remove(key);
        }

        var result = await inner.ValidateTokenAsync(token, validationParameters);
        if (result.IsValid && result.SecurityToken is { ValidTo: var validTo } && validTo > DateTime.MinValue)
        {
            // The skew of this validation's own parameters, which options set after ours may have changed.
            var until = new DateTimeOffset(DateTime.SpecifyKind(validTo, DateTimeKind.Utc)) + validationParameters.ClockSkew;
            if (until > now)
            {
                using var entry = cache.CreateEntry(key);
                entry.Value = new Remembered(result, until);
                entry.Size = 1;
                entry.AbsoluteExpiration = until;
                // Hand the caller a copy too, so the remembered identity is never one a request holds.
                return new TokenValidationResult
                {
                    IsValid = true,
                    SecurityToken = result.SecurityToken,
                    ClaimsIdentity = result.ClaimsIdentity.Clone(),
                    Issuer = result.Issuer,
                    TokenType = result.TokenType,
                };
            }
        }

        return result;
    }

    public override SecurityToken ReadToken(string token) => inner.ReadToken(token);

    private sealed record Remembered(TokenValidationResult Result, DateTimeOffset ValidUntil);

    /// <summary>The SHA-256 of a token: the raw bearer token itself is not kept in the cache.</summary>
    private readonly record struct TokenKey
    {
        public TokenKey(string token)
        {
            var length = Encoding.UTF8.GetMaxByteCount(token.Length);
            var buffer = ArrayPool<byte>.Shared.Rent(length);
            try
            {
                var written = Encoding.UTF8.GetBytes(token, buffer);
                Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
                SHA256.HashData(buffer.AsSpan(0, written), hash);
                High = new UInt128(BitConverter.ToUInt64(hash[..8]), BitConverter.ToUInt64(hash[8..16]));
                Low = new UInt128(BitConverter.ToUInt64(hash[16..24]), BitConverter.ToUInt64(hash[24..]));
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        public UInt128 High { get; }

        public UInt128 Low { get; }
    }
}

/// <summary>
/// The gateway's memory of valid access tokens (<see cref="CachingTokenHandler"/>): its own bounded cache, so
/// nothing else sharing an <see cref="IMemoryCache"/> can evict or fill it. Size 0 turns it off.
/// </summary>
public sealed class PartnerTokenCache : IDisposable
{
    private readonly MemoryCache? _cache;

    public PartnerTokenCache(Microsoft.Extensions.Options.IOptions<PartnerGatewayOptions> options, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(options);
        Clock = clock;
        var size = options.Value.TokenCacheSize;
        if (size > 0)
        {
            _cache = new MemoryCache(new MemoryCacheOptions { SizeLimit = size });
        }
    }

    internal IMemoryCache? Cache => _cache;

    internal TimeProvider Clock { get; }

    public void Dispose() => _cache?.Dispose();
}
