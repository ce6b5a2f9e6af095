using System.Security.Cryptography;
using SupplierAssure.Core.Assessments;
using SupplierAssure.Core.Evidence;

namespace SupplierAssure.Core.Tests;

public sealed class EvidenceTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "sa-evidence-tests", Guid.NewGuid().ToString("N"));

    [Theory]
    [InlineData(new byte[] { 0x25, 0x50, 0x44, 0x46, 0x2D, 0x31 }, "policy.exe", "application/pdf")]
    [InlineData(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0 }, "x.pdf", "image/png")]
    [InlineData(new byte[] { 0xFF, 0xD8, 0xFF, 0xE0 }, "photo.jpg", "image/jpeg")]
    [InlineData(new byte[] { 0x50, 0x4B, 0x03, 0x04 }, "register.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")]
    [InlineData(new byte[] { 0x53, 0x65, 0x61, 0x6C, 0x20, 0x6C, 0x6F, 0x67 }, "seals.txt", "text/plain")]
    public void Detect_KnownContent_IgnoresTheExtension(byte[] header, string name, string expected) =>
        Assert.Equal(expected, EvidenceContentSniffer.Detect(header, name));

    [Theory]
    [InlineData(new byte[] { 0x4D, 0x5A, 0x90, 0x00 }, "report.pdf")] // a Windows executable named .pdf
    [InlineData(new byte[] { 0x7F, 0x45, 0x4C, 0x46, 0x02 }, "notes.txt")] // ELF
    [InlineData(new byte[] { 0x3C, 0x68, 0x74, 0x6D, 0x6C, 0x3E }, "page.txt")] // <html>
    [InlineData(new byte[] { 0x3C, 0x73, 0x76, 0x67, 0x20 }, "logo.png")] // <svg
    public void Detect_ExecutableOrMarkup_IsRefused(byte[] header, string name) =>
        Assert.Null(EvidenceContentSniffer.Detect(header, name));

    [Fact]
    public async Task SaveAsync_WritesCompleteFileWithHashUnderGeneratedKey()
    {
        var store = new FileSystemEvidenceStore(_root);
        var bytes = RandomNumberGenerator.GetBytes(200_000);
        var stored = await store.SaveAsync(new MemoryStream(bytes), 1_000_000, CancellationToken.None);

        Assert.Equal(bytes.Length, stored.Length);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), stored.Sha256);
        await using var read = await store.OpenReadAsync(stored.StorageKey, CancellationToken.None);
        using var copy = new MemoryStream();
        await read.CopyToAsync(copy);
        Assert.Equal(bytes, copy.ToArray());
    }

    [Fact]
    public async Task SaveAsync_OverLimit_ThrowsAndLeavesNoFile()
    {
        var store = new FileSystemEvidenceStore(_root);
        await Assert.ThrowsAsync<EvidenceTooLargeException>(() => store.SaveAsync(new MemoryStream(new byte[5000]), 4096, CancellationToken.None));
        Assert.Empty(Directory.EnumerateFiles(_root, "*", SearchOption.AllDirectories));
    }

    [Theory]
    [InlineData("../../etc/passwd")]
    [InlineData("ab/../../x")]
    [InlineData("/etc/passwd")]
    public async Task OpenReadAsync_KeyThatIsNotOurs_IsRejected(string key)
    {
        var store = new FileSystemEvidenceStore(_root);
        await Assert.ThrowsAsync<ArgumentException>(() => store.OpenReadAsync(key, CancellationToken.None));
    }

    [Theory]
    [InlineData(@"C:\Users\sam\seal log.pdf", "seal log.pdf")]
    [InlineData("../../secret.txt", "secret.txt")]
    [InlineData("..", null)]
    [InlineData("", null)]
    [InlineData("a\u0000b<script>.txt", "abscript.txt")]
    public void SafeDisplayName_StripsPathsAndControls(string input, string? expected) =>
        Assert.Equal(expected, UploadEvidenceHandler.SafeDisplayName(input));

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }
}
