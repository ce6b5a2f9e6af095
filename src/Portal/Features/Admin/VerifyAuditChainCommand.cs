using System.Globalization;
using SupplierAssure.Core.Auditing;

namespace SupplierAssure.Portal.Features.Admin;

/// <summary>
/// <c>dotnet run --project src/Portal -- verify-audit-chain</c>: walks the audit log's hash chain on the configured
/// database and names the first entry that was edited or removed, the same check as the /Admin/AuditLog page, for
/// operators and scheduled jobs. Exit code 0: intact; 1: broken; 2: the log could not be read.
/// </summary>
public static class VerifyAuditChainCommand
{
    public const string Name = "verify-audit-chain";

    public static bool IsRequested(IReadOnlyList<string> args) =>
        args is not null && args.Count > 0 && string.Equals(args[0], Name, StringComparison.OrdinalIgnoreCase);

    public static async Task<int> RunAsync(IServiceProvider services, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(output);
        AuditVerification verification;
        try
        {
            verification = await services.GetRequiredService<AuditLog>().VerifyAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.Data.Common.DbException)
        {
            await output.WriteLineAsync($"The audit log could not be read: {ex.Message}");
            return 2;
        }

        if (verification.Intact)
        {
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Audit chain intact: {verification.EntriesChecked} entries checked."));
            return 0;
        }

        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"Audit chain BROKEN at entry {verification.FirstBrokenSequence}: {verification.Problem} ({verification.EntriesChecked} entries before it are intact.)"));
        return 1;
    }
}
