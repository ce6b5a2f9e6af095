using System.Security.Cryptography;

namespace SupplierAssure.Core.Evidence;

/// <summary>
/// Evidence on the local disk: one file per key, written to a temporary name and moved into place only when
/// complete, so a failed upload never leaves a half-written file under a real key.
/// </summary>
public sealed class FileSystemEvidenceStore : IEvidenceStore
{
    private readonly string _root;

    public FileSystemEvidenceStore(string rootPath)
    {
        _root = Path.GetFullPath(rootPath);
        Directory.CreateDirectory(_root);
    }

    public async Task<StoredEvidence> SaveAsync(Stream content, long maxBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        var id = Guid.NewGuid().ToString("N");
        var key = $"{id[..2]}/{id}";
        var finalPath = PathFor(key);
        Directory.CreateDirectory(Path.GetDirectoryName(finalPath)!);
        var tempPath = finalPath + ".partial";

        try
        {
            long length = 0;
            using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            await using (var output = new FileStream(tempPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            {
                var buffer = new byte[81920];
                int read;
                while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    length += read;
                    if (length > maxBytes)
                    {
                        throw new EvidenceTooLargeException(maxBytes);
                    }

                    sha.AppendData(buffer, 0, read);
                    await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }

                await output.FlushAsync(cancellationToken);
            }

            File.Move(tempPath, finalPath);
            return new StoredEvidence(key, length, Convert.ToHexStringLower(sha.GetHashAndReset()));
        }
        finally
        {
            if (File.Exists(tempPath))
            {
                File.Delete(tempPath);
            }
        }
    }

    public Task<Stream> OpenReadAsync(string storageKey, CancellationToken cancellationToken)
    {
        Stream stream = new FileStream(PathFor(storageKey), FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);
        return Task.FromResult(stream);
    }

    public Task DeleteAsync(string storageKey, CancellationToken cancellationToken)
    {
        var path = PathFor(storageKey);
        if (File.Exists(path))
        {
            File.Delete(path);
        }

        return Task.CompletedTask;
    }

    private string PathFor(string key)
    {
        // Keys are generated here, but a key read back from the database is still checked before touching the disk.
        if (key.Length != 35 || key[2] != '/' || !key.Remove(2, 1).All(char.IsAsciiHexDigitLower))
        {
            throw new ArgumentException("Not an evidence storage key.", nameof(key));
        }

        return Path.Combine(_root, key[..2], key[3..]);
    }
}
