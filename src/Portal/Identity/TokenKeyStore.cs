using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;

namespace SupplierAssure.Portal.Identity;

/// <summary>
/// The token server's signing and encryption keys when no certificate is configured: generated once, written to
/// the data directory as PKCS#12 blobs protected with ASP.NET Core Data Protection (whose own key ring lives in a
/// directory of its own), and loaded again on every start, so the JWKS key id and every issued token survive
/// restarts. A key is replaced a month before it expires; the old one stays published until it does.
/// </summary>
public sealed class TokenKeyStore
{
    /// <summary>How long a generated key is used for.</summary>
    public static readonly TimeSpan KeyLifetime = TimeSpan.FromDays(2 * 365);

    /// <summary>A new key is made when the newest has less than this left, so tokens signed before do not die with it.</summary>
    public static readonly TimeSpan RenewBefore = TimeSpan.FromDays(30);

    private const string Purpose = "SupplierAssure.Portal.TokenKeys.v1";
    private const string Extension = ".pfx.protected";

    private readonly string _keyDirectory;
    private readonly IDataProtector _protector;
    private readonly TimeProvider _clock;

    public TokenKeyStore(string keyDirectory, string keyRingDirectory, TimeProvider clock)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(keyDirectory);
        ArgumentException.ThrowIfNullOrWhiteSpace(keyRingDirectory);
        _keyDirectory = keyDirectory;
        _clock = clock ?? throw new ArgumentNullException(nameof(clock));
        CreatePrivateDirectory(keyDirectory);
        CreatePrivateDirectory(keyRingDirectory);
        // Note: a key ring of its own (not the application's cookie key ring) so that it can be put on another volume
        // or secret mount through Identity:TokenKeyRingDirectory. On Linux the ring's XML is not encrypted at rest;
        // with both directories readable only by the service account, the protection is the file permissions plus
        // keeping the two apart. Deployments that want more configure a certificate from their secret store.
        var provider = DataProtectionProvider.Create(new DirectoryInfo(keyRingDirectory), o => o.SetApplicationName("SupplierAssure.TokenKeys"));
        _protector = provider.CreateProtector(Purpose);
    }

    public enum KeyUse
    {
        Signing,
        Encryption,
    }

    /// <summary>
    /// Every stored key of <paramref name="use"/> that is still valid, newest first, generating a new one when none is
    /// valid for at least <see cref="RenewBefore"/>. Serialised across processes with a lock file.
    /// </summary>
    public IReadOnlyList<X509Certificate2> LoadOrCreate(KeyUse use)
    {
        using var fileLock = AcquireLock();
        var now = _clock.GetUtcNow();
        var prefix = use == KeyUse.Signing ? "signing-" : "encryption-";
        var valid = new List<X509Certificate2>();
        foreach (var file in Directory.EnumerateFiles(_keyDirectory, prefix + "*" + Extension))
        {
            var certificate = Load(file);
            if (certificate.NotAfter.ToUniversalTime() > now.UtcDateTime && certificate.NotBefore.ToUniversalTime() <= now.UtcDateTime)
            {
                valid.Add(certificate);
            }
            else
            {
                certificate.Dispose();
            }
        }

        if (!valid.Any(c => c.NotAfter.ToUniversalTime() - now.UtcDateTime > RenewBefore))
        {
            valid.Add(Create(use, prefix, now));
        }

        return [.. valid.OrderByDescending(c => c.NotBefore)];
    }

    private X509Certificate2 Load(string file)
    {
        byte[] pkcs12;
        try
        {
            pkcs12 = _protector.Unprotect(File.ReadAllBytes(file));
        }
        catch (CryptographicException ex)
        {
            throw new InvalidOperationException(
                $"The token key {Path.GetFileName(file)} cannot be unprotected: its Data Protection key ring is missing or is not the one it was written with. " +
                "Restore the key ring directory, or remove the token key files to issue new keys (tokens already issued stop validating).", ex);
        }

        try
        {
            return X509CertificateLoader.LoadPkcs12(pkcs12, password: null, X509KeyStorageFlags.EphemeralKeySet);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs12);
        }
    }

    private X509Certificate2 Create(KeyUse use, string prefix, DateTimeOffset now)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest(
            use == KeyUse.Signing ? "CN=SupplierAssure token signing" : "CN=SupplierAssure token encryption",
            rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            use == KeyUse.Signing ? X509KeyUsageFlags.DigitalSignature : X509KeyUsageFlags.KeyEncipherment, critical: true));
        // A little before now, so a host whose clock is slightly behind the writer's still accepts the key.
        using var generated = request.CreateSelfSigned(now.AddMinutes(-5), now.Add(KeyLifetime));
        var pkcs12 = generated.Export(X509ContentType.Pkcs12);
        try
        {
            var target = Path.Combine(_keyDirectory, prefix + generated.Thumbprint.ToLowerInvariant() + Extension);
            var temporary = target + ".tmp";
            File.WriteAllBytes(temporary, _protector.Protect(pkcs12));
            RestrictToOwner(temporary);
            File.Move(temporary, target, overwrite: false);
            return X509CertificateLoader.LoadPkcs12(pkcs12, password: null, X509KeyStorageFlags.EphemeralKeySet);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs12);
        }
    }

    private FileStream AcquireLock()
    {
        var path = Path.Combine(_keyDirectory, ".lock");
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (attempt < 100)
            {
                // Another host on the same data directory is loading or writing keys: wait for it.
                Thread.Sleep(100);
            }
        }
    }

    private static void CreatePrivateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else
        {
            Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    private static void RestrictToOwner(string file)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}
